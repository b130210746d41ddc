/**
 * `npm run demo`: the sample app on embedded defaults (SQLite + in-memory store),
 * seeded with four months of activity and two of orders, printing a usage report
 * and the dashboard's URL.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ReportsService } from '../lib/index.js';
import { AppModule } from './app.module.js';
import { seedMetricas } from './seed-metricas.js';
import { seedDemo } from './seed.js';

async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule, { logger: ['log', 'warn', 'error'] });
  app.enableShutdownHooks();
  const seeded = await seedDemo(app);
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  const kicks = await seedMetricas(app);
  // A few real requests, so the dashboard's response times have something to show.
  for (const path of ['/usage/active', '/usage/monthly', '/usage/daily', '/usage/active']) await fetch(url + path).then((r) => r.text());

  const rows = await app.get(ReportsService).calendarMonthlyUsage({ start: new Date(Date.now() - 120 * 86_400_000) });
  console.log(`\nSeeded ${seeded.users} users, ${seeded.souvenirs} souvenirs and ${kicks} orders.\n`);
  console.log('month     registered  activated  active');
  for (const row of rows) {
    const { registeredUsers, activatedUsers, activeUsers } = row.usage;
    console.log(
      `${String(row.labels?.calendarYearMonth).padEnd(8)}  ${String(registeredUsers).padStart(10)}  ${String(activatedUsers).padStart(9)}  ${String(activeUsers).padStart(6)}`,
    );
  }
  console.log(`\nDashboard: ${url}/souvenirs (analytics: ${url}/souvenirs/analytics)`);
  console.log('Press Ctrl+C to stop.');
  if (process.env.SOUVENIRS_DEMO_EXIT) await app.close();
}

void main();
