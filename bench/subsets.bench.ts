/**
 * bench:subsets — `countActiveUsers({ among })` (issue 19, subsets): the distinct active
 * users of a subset of SUBSETS_SUBSET users (default 10,000, every tenth user) over the
 * last 30 local days, from the index (its days intersected with the subset's numbers),
 * next to plain PostgreSQL counting the same (`COUNT(DISTINCT user_id)` with the subset
 * as one `= ANY(varchar[])` array), both checked equal.
 *
 * Workload: SUBSETS_ROWS souvenirs (default 2,000,000) of SUBSETS_USERS users (default
 * rows / 10) over 60 local days in Europe/Paris, skewed like real traffic; loaded through
 * `ActivityService.backfill` into schema SUBSETS_SCHEMA (default souvenirs_subsets),
 * dropped at the end unless SUBSETS_KEEP=1 (a kept schema holding exactly SUBSETS_ROWS
 * rows is reused). The index lives in a redis-server this bench starts on a spare port;
 * its days are built on first use (timed apart). Figures are medians of 3 runs, after one
 * first ask of the subset (timed apart: it loads the subset script into Redis).
 */
import 'reflect-metadata';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { ActivityService } from '../lib/activity/activity.service.js';
import { textArrayLiteral } from '../lib/table/sql/postgres-array-literal.js';
import { startStandaloneRedis } from '../test/support/standalone-redis.js';
import { BenchSchema, benchConnection, startBenchApp } from './bench-postgres.js';
import { skewedRows } from './skewed-rows.js';
import { median, time } from './bench-timing.js';

const ROWS = Number(process.env.SUBSETS_ROWS ?? 2_000_000);
const USERS = Number(process.env.SUBSETS_USERS ?? Math.max(1, Math.round(ROWS / 10)));
const SUBSET = Math.min(USERS, Number(process.env.SUBSETS_SUBSET ?? 10_000));
const DAYS = 60;
const SCHEMA = process.env.SUBSETS_SCHEMA ?? 'souvenirs_subsets';
const KEEP = process.env.SUBSETS_KEEP === '1';
const timeZone = 'Europe/Paris';
const firstDay = DateTime.fromISO('2026-03-01', { zone: timeZone });
const today = firstDay.plus({ days: DAYS });
const now = today.plus({ hours: 9 }).toJSDate();

/** The workload's rows (see skewed-rows.ts). */
const rows = () => skewedRows({ rows: ROWS, users: USERS, days: DAYS, firstDay, seed: 19 });

async function main(): Promise<void> {
  const schema = await BenchSchema.open(benchConnection(), SCHEMA, KEEP, ROWS);
  const redis = await startStandaloneRedis();
  const app = await startBenchApp(benchConnection(), schema, { redisUrl: redis.url, keyPrefix: 'subsets', timeZone, now: () => now });
  try {
    const activity = app.get(ActivityService);
    const dataSource = app.get<DataSource>(getDataSourceToken());
    console.log(`workload: ${ROWS} souvenirs, ${USERS} users, ${DAYS} days in ${timeZone}, PostgreSQL + Redis; subset of ${SUBSET} users, last 30 local days`);
    if (schema.reused) {
      console.log(`backfill: skipped, schema ${SCHEMA} kept by a previous run holds the ${ROWS} rows`);
    } else {
      const [{ added }, loadMs] = await time(() => activity.backfill(rows(), { batchSize: 10_000 }));
      console.log(`backfill: ${added} rows in ${(loadMs / 1000).toFixed(1)} s`);
      await dataSource.query(`VACUUM ANALYZE ${SCHEMA}.souvenirs`);
    }
    const step = Math.max(1, Math.floor(USERS / SUBSET));
    const among = Array.from({ length: SUBSET }, (_, i) => String(1 + i * step));
    const range = { start: today.minus({ days: 30 }).toJSDate(), end: today.toJSDate() };
    const [, firstMs] = await time(() => activity.countActiveUsers({ ...range }));
    console.log(`first use: 30 days built from SQL in ${(firstMs / 1000).toFixed(1)} s`);
    // One first ask apart, as bench:tenants does: it loads the subset script into Redis.
    const [, firstAskMs] = await time(() => activity.countActiveUsers({ ...range, among }));
    console.log(`first ask of the subset: ${firstAskMs.toFixed(1)} ms`);
    const [ours, oursMs] = await median(() => activity.countActiveUsers({ ...range, among }));
    const [[{ n }], sqlMs] = await median(() =>
      dataSource.query(
        `SELECT COUNT(DISTINCT s.user_id)::int AS n FROM ${SCHEMA}.souvenirs s WHERE s."when" >= $1 AND s."when" < $2 AND s.user_id = ANY($3::varchar[])`,
        [range.start.getTime(), range.end.getTime(), textArrayLiteral(among)],
      ),
    );
    if (ours !== n) throw new Error(`the subset's count ${ours} differs from SQL's ${n}`);
    console.log(`counts: ${ours} active users of the subset, equal to SQL`);
    console.log(`subsets: subset of ${SUBSET} users 30 d ${oursMs.toFixed(1)} ms (SQL ${sqlMs.toFixed(1)} ms, ${(sqlMs / oursMs).toFixed(1)}x)`);
  } finally {
    await app.close();
    await redis.kill();
    await schema.close();
  }
}

void main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
