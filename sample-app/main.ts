/**
 * `npm run demo`: the sample app on embedded defaults (SQLite + in-memory store),
 * seeded with four months of activity, printing a usage report and its URLs.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ReportsService } from '../lib/index.js';
import { AppModule } from './app.module.js';
import { seedDemo } from './seed.js';

async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule, { logger: ['log', 'warn', 'error'] });
  app.enableShutdownHooks();
  const seeded = await seedDemo(app);
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', 'localhost');

  const rows = await app.get(ReportsService).calendarMonthlyUsage({ start: new Date(Date.now() - 120 * 86_400_000) });
  console.log(`\nSeeded ${seeded.users} users and ${seeded.souvenirs} souvenirs.\n`);
  console.log('month     registered  activated  active');
  for (const row of rows) {
    const { registeredUsers, activatedUsers, activeUsers } = row.usage;
    console.log(
      `${String(row.labels?.calendarYearMonth).padEnd(8)}  ${String(registeredUsers).padStart(10)}  ${String(activatedUsers).padStart(9)}  ${String(activeUsers).padStart(6)}`,
    );
  }
  console.log(`\nDashboard (JSON): ${url}/usage/active  ${url}/usage/monthly  ${url}/usage/daily`);
  console.log('Press Ctrl+C to stop.');
  if (process.env.SOUVENIRS_DEMO_EXIT) await app.close();
}

void main();
