/**
 * bench:reports — `dailyUsage` over 7 years (2,627 periods) on PostgreSQL, ours
 * against django-souvenirs' approach (a query loop: registered + activated users,
 * then distinct active users, two queries per period), side by side in one run.
 *
 * Workload: 100,000 users who joined between the subscription start and now, and
 * 1,100,000 souvenirs at random instants of those 7 years and 70 days, seeded once
 * into the schema `souvenirs_bench` (reused by later runs when its counts match;
 * `SOUVENIRS_BENCH_SCHEMA` names another).
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import { SOUVENIRS_MIGRATIONS } from '../lib/table/migrations/index.js';
import { Souvenir } from '../lib/table/souvenir.entity.js';
import { SOUVENIRS_ENTITIES } from '../lib/table/souvenirs-entities.js';
import { ReportsService } from '../lib/reports/reports.service.js';
import type { UsageRow } from '../lib/reports/usage-row.interface.js';
import { SouvenirsModule } from '../lib/souvenirs.module.js';
import { BenchUser } from './bench-user.entity.js';
import { benchConnection } from './bench-postgres.js';
import { time } from './bench-timing.js';

const USERS = 100_000;
const SOUVENIRS = 1_100_000;
/** `SOUVENIRS_BENCH_SCHEMA` picks another schema, e.g. to try a branch without touching the shared one. */
const SCHEMA = process.env.SOUVENIRS_BENCH_SCHEMA ?? 'souvenirs_bench';
const subscriptionStart = new Date('2010-01-25T03:00:00Z'); // 22:00 in New York, as the original suite
const now = new Date('2017-04-04T03:00:00Z');
const timeZone = 'America/New_York';

class RoundTrips implements TypeOrmLogger {
  count = 0;
  logQuery() {
    this.count += 1;
  }
  logQueryError() {}
  logQuerySlow() {}
  logSchemaBuild() {}
  logMigration() {}
  log() {}
}

const connection = benchConnection();

async function seed(): Promise<void> {
  const admin = new DataSource(connection);
  await admin.initialize();
  await admin.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
  await admin.destroy();

  const dataSource = new DataSource({
    ...connection,
    schema: SCHEMA,
    entities: [...SOUVENIRS_ENTITIES, BenchUser],
    migrations: SOUVENIRS_MIGRATIONS,
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.synchronize(); // the users table; souvenirs already matches its entity
  const [{ users }] = await dataSource.query(`SELECT count(*)::int AS users FROM ${SCHEMA}.bench_users`);
  const [{ souvenirs }] = await dataSource.query(`SELECT count(*)::int AS souvenirs FROM ${SCHEMA}.souvenirs`);
  if (users !== USERS || souvenirs !== SOUVENIRS) {
    console.log(`seeding ${USERS} users and ${SOUVENIRS} souvenirs into ${SCHEMA} (once)...`);
    const span = `(timestamp '${iso(now)}' - timestamp '${iso(subscriptionStart)}')`;
    await dataSource.query(`TRUNCATE ${SCHEMA}.bench_users, ${SCHEMA}.souvenirs RESTART IDENTITY`);
    await dataSource.query(
      `INSERT INTO ${SCHEMA}.bench_users (date_joined, is_active)
       SELECT timestamp '${iso(subscriptionStart)}' + random() * ${span}, random() < 0.9 FROM generate_series(1, ${USERS})`,
    );
    await dataSource.query(
      // `when` is epoch milliseconds (see Souvenir).
      `INSERT INTO ${SCHEMA}.souvenirs (user_id, "when")
       SELECT (1 + floor(random() * ${USERS}))::int::text,
              ${subscriptionStart.getTime()} + floor(random() * ${now.getTime() - subscriptionStart.getTime()})::bigint
       FROM generate_series(1, ${SOUVENIRS})`,
    );
    // As autovacuum would on a live table: statistics, and the visibility map that index-only scans need.
    await dataSource.query(`VACUUM ANALYZE ${SCHEMA}.bench_users`);
    await dataSource.query(`VACUUM ANALYZE ${SCHEMA}.souvenirs`);
  }
  await dataSource.destroy();
}

/** The timestamp literal PostgreSQL stores for this Date through node-postgres (process-local wall time), for `bench_users`. */
function iso(date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** django-souvenirs' `_usage_for_periods`: per period, registered users as of its end, then its distinct active users. */
async function perPeriodLoop(dataSource: DataSource, periods: readonly (readonly [Date, Date])[]): Promise<UsageRow['usage'][]> {
  const usage: UsageRow['usage'][] = [];
  for (const [start, end] of periods) {
    const [registered] = await dataSource.query(
      `SELECT count(*)::int AS registered, count(*) FILTER (WHERE is_active)::int AS activated
       FROM ${SCHEMA}.bench_users WHERE date_joined < $1`,
      [end],
    );
    const [active] = await dataSource.query(
      `SELECT count(DISTINCT user_id)::int AS active FROM ${SCHEMA}.souvenirs WHERE "when" >= $1 AND "when" < $2`,
      [start.getTime(), end.getTime()],
    );
    usage.push({ registeredUsers: registered.registered, activatedUsers: registered.activated, activeUsers: active.active });
  }
  return usage;
}

async function main(): Promise<void> {
  await seed();
  const roundTrips = new RoundTrips();

  @Module({
    imports: [
      TypeOrmModule.forRoot({ ...connection, schema: SCHEMA, entities: [...SOUVENIRS_ENTITIES, BenchUser], logger: roundTrips, logging: true }),
      SouvenirsModule.forRoot({ timeZone, now: () => now, users: { entity: BenchUser, joinedAt: 'dateJoined', isActive: 'isActive' }, track: false }),
    ],
  })
  class BenchModule {}

  const app = await NestFactory.createApplicationContext(BenchModule, { logger: ['error', 'warn'] });
  const reports = app.get(ReportsService);
  const dataSource = app.get<DataSource>(getDataSourceToken());

  console.log(`workload: dailyUsage(${subscriptionStart.toISOString()}) to ${now.toISOString()} in ${timeZone};`);
  console.log(`          ${USERS} users, ${SOUVENIRS} souvenirs on PostgreSQL`);

  await reports.dailyUsage(subscriptionStart); // warm the caches for both contenders alike
  const runs: number[] = [];
  let ours: UsageRow[] = [];
  let trips = 0;
  for (let i = 0; i < 3; i++) {
    const before = roundTrips.count;
    const [rows, ms] = await time(() => reports.dailyUsage(subscriptionStart));
    trips = roundTrips.count - before;
    ours = rows;
    runs.push(ms);
  }
  const oursMs = runs.sort((a, b) => a - b)[1];
  console.log(`ours: ${ours.length} periods, runs ${runs.map((ms) => ms.toFixed(0)).join(' / ')} ms, median ${oursMs.toFixed(0)} ms, ${trips} round trips`);

  const periods = ours.map((row) => [row.period.start, row.period.end] as const);
  const [loop, loopMs] = await time(() => perPeriodLoop(dataSource, periods));
  console.log(`per-period loop: ${periods.length} periods, ${loopMs.toFixed(0)} ms, ${periods.length * 2} round trips`);

  const mismatch = loop.findIndex((usage, i) => JSON.stringify(usage) !== JSON.stringify(ours[i].usage));
  if (mismatch !== -1) {
    throw new Error(`results differ at period ${mismatch}: ours ${JSON.stringify(ours[mismatch].usage)}, loop ${JSON.stringify(loop[mismatch])}`);
  }
  console.log('both contenders report the same usage for every period');
  await app.close();

  const ratio = loopMs / oursMs;
  console.log(`reports: ours ${oursMs.toFixed(0)} ms, per-period loop ${loopMs.toFixed(0)} ms, ratio ${ratio.toFixed(1)}×, ${trips} round trips`);
}

main().catch((error) => {
  new Logger('bench:reports').error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
