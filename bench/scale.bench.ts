/**
 * bench:scale — exact active users on many souvenirs (issue 9): the active-users
 * index (ours) against plain SQL COUNT(DISTINCT) on the same PostgreSQL rows, side
 * by side in one run, every answer checked equal.
 *
 * Workload: SCALE_ROWS souvenirs (default 10,000,000) of SCALE_USERS users (default
 * rows / 10) over 90 local days in Europe/Paris (20 Aug – 17 Nov 2026, across the
 * October DST change), skewed like real traffic (a few very active users), loaded
 * through `ActivityService.backfill` into a fresh schema (SCALE_SCHEMA, default
 * `souvenirs_scale`), then the same rows by PostgreSQL's own COPY into a copy of the
 * table (same columns and indexes), side by side; the index lives in a
 * redis-server this bench starts on a spare loopback port (and kills at the end).
 *
 * Questions: 30 days on local midnights; the rolling 30 days (`now - 30 d` to `now`,
 * both ends off midnight); 10 rolling 30-day windows ending 10 days apart, the later
 * ones crossing the October DST change; all time; 10 rolling MAU windows and the
 * 90-day DAU/WAU/MAU series on midnights. Before them, the first analytics call
 * after the load (`activeUsers` over 90 days) is timed alone.
 *
 * SCALE_CLUSTER=1 puts the index in a 3-master Redis Cluster the bench starts instead
 * (the site index then in shards over the masters; memory summed over them).
 *
 * SCALE_KEEP=1 keeps the schema at the end, and a run finding it already holding
 * exactly SCALE_ROWS rows skips the load (minutes at 10M rows): iterating on the
 * read path then costs only the first use, which builds the index in the fresh Redis.
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Cluster, Redis } from 'ioredis';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { ActivityService } from '../lib/activity/activity.service.js';
import { countActiveUsersPerPeriod } from '../lib/table/active-users.query.js';
import { ReportsService } from '../lib/reports/reports.service.js';
import { startStandaloneRedis } from '../test/support/standalone-redis.js';
import { startRedisCluster } from '../test/support/redis-cluster.js';
import { copyRowsBeside } from './bench-copy.js';
import { BenchSchema, benchConnection, startBenchApp } from './bench-postgres.js';
import { skewedRows } from './skewed-rows.js';
import { time, median } from './bench-timing.js';

const ROWS = Number(process.env.SCALE_ROWS ?? 10_000_000);
const USERS = Number(process.env.SCALE_USERS ?? Math.max(1, Math.round(ROWS / 10)));
const DAYS = 90;
const SCHEMA = process.env.SCALE_SCHEMA ?? 'souvenirs_scale';
const KEEP = process.env.SCALE_KEEP === '1';
const CLUSTER = process.env.SCALE_CLUSTER === '1';
const timeZone = 'Europe/Paris';
const firstDay = DateTime.fromISO('2026-08-20', { zone: timeZone });
const today = firstDay.plus({ days: DAYS }); // the day after the last day with rows
const now = today.plus({ hours: 13, minutes: 27 }).toJSDate();
const midnight = (days: number): Date => today.minus({ days }).toJSDate();
const DAY_MS = 86_400_000;

const connection = benchConnection();

/** The workload's rows (see skewed-rows.ts). */
const rows = () => skewedRows({ rows: ROWS, users: USERS, days: DAYS, firstDay, seed: 9 });

/** The 90-day DAU/WAU/MAU windows, as the dashboard asks for them. */
function seriesWindows(): [Date, Date][] {
  return Array.from({ length: DAYS }, (_, i) => DAYS - i).flatMap((back): [Date, Date][] => {
    const end = midnight(back - 1);
    return [[midnight(back), end], [midnight(back + 6), end], [midnight(back + 29), end]];
  });
}

/**
 * 10 rolling 30-day windows (30 × 24 h back from their end), ending `now`, `now` - 10 d, …
 * `now` - 90 d: ends off midnight, those ending after 25 October crossing the DST change.
 */
function rollingWindows(): [Date, Date][] {
  return Array.from({ length: 10 }, (_, i): [Date, Date] => {
    const end = now.getTime() - i * 10 * DAY_MS;
    return [new Date(end - 30 * DAY_MS), new Date(end)];
  });
}

async function main(): Promise<void> {
  const schema = await BenchSchema.open(connection, SCHEMA, KEEP, ROWS, [firstDay.toMillis(), today.toMillis()]);
  const redis = CLUSTER ? await startRedisCluster() : await startStandaloneRedis();
  const cluster = 'nodes' in redis ? new Cluster([...redis.nodes]) : null;
  // Every server holding index keys (the masters of a Cluster), for the memory figures.
  const raw = 'nodes' in redis ? redis.nodes.map(({ host, port }) => new Redis({ host, port })) : [new Redis(redis.url)];
  const app = await startBenchApp(connection, schema, { redisUrl: 'nodes' in redis ? cluster! : redis.url, keyPrefix: 'scale', timeZone, now: () => now });
  try {
    const activity = app.get(ActivityService);
    const reports = app.get(ReportsService);
    const dataSource = app.get<DataSource>(getDataSourceToken());
    const sql = dataSource.manager;
    console.log(`workload: ${ROWS} souvenirs, ${USERS} users, ${DAYS} days in ${timeZone}, PostgreSQL + Redis${CLUSTER ? ' Cluster (3 masters)' : ''}`);

    const memoryBefore = await usedMemory(raw);
    let backfill = 'skipped';
    if (schema.reused) {
      console.log(`backfill: skipped, schema ${SCHEMA} already holds ${ROWS} rows (SCALE_KEEP=1); the index is built on first use`);
    } else {
      const [{ added }, loadMs] = await time(() => activity.backfill(rows(), { batchSize: 10_000 }));
      const backfillRate = added / (loadMs / 1000);
      console.log(`backfill: ${added} rows in ${(loadMs / 1000).toFixed(1)} s, ${Math.round(backfillRate)} rows/s (index included)`);
      const copyRate = await copyRowsBeside(dataSource, SCHEMA, rows());
      backfill = `${Math.round(backfillRate)} rows/s (COPY ${Math.round(copyRate)} rows/s)`;
      console.log(`COPY: the same rows into a copy of the table and its indexes, ${Math.round(copyRate)} rows/s; backfill ${(backfillRate / copyRate).toFixed(2)}× COPY`);
      await dataSource.query(`VACUUM ANALYZE ${SCHEMA}.souvenirs`); // as autovacuum would, for SQL's index-only scans
    }

    // The first analytics call after the load: what a backfill leaves to build.
    const analyticsRange = { start: midnight(DAYS), end: midnight(0) };
    const [, firstMs] = await time(() => reports.activeUsers(analyticsRange));
    console.log(`first call: activeUsers over ${DAYS} days after the load in ${firstMs.toFixed(0)} ms`);
    await reportMemory(raw, memoryBefore, activity);

    const questions: [string, [Date, Date][]][] = [
      ['countActiveUsers 1 d', [[midnight(1), midnight(0)]]],
      ['countActiveUsers 7 d', [[midnight(7), midnight(0)]]],
      ['countActiveUsers 30 d', [[midnight(30), midnight(0)]]],
      ['rolling 30 d', [[new Date(now.getTime() - 30 * DAY_MS), now]]],
      ['10 rolling 30-day windows across DST', rollingWindows()],
      ['countActiveUsers all time', [[new Date(0), now]]],
      ['10 rolling MAU windows', Array.from({ length: 10 }, (_, i): [Date, Date] => [midnight(i + 30), midnight(i)])],
      ['90-day DAU/WAU/MAU', seriesWindows()],
    ];
    const figures = new Map<string, { ours: number; sql: number; first: number }>();
    for (const [name, ranges] of questions) {
      const ask = () =>
        ranges.length === 1 && name.endsWith('all time')
          ? activity.countActiveUsers().then((n) => [n])
          : ranges.length === 1
            ? activity.countActiveUsers({ start: ranges[0][0], end: ranges[0][1] }).then((n) => [n])
            : reports.usageForPeriods(ranges).then((usage) => usage.map((row) => row.usage.activeUsers));
      // The first ask alone (it may build what it reads), then the median of three.
      const [, firstAskMs] = await time(ask);
      const [ourCounts, oursMs] = await median(ask);
      const [sqlCounts, sqlMs] = await time(() => countActiveUsersPerPeriod(sql, ranges));
      if (JSON.stringify(ourCounts) !== JSON.stringify(sqlCounts)) {
        throw new Error(`${name}: ours ${JSON.stringify(ourCounts.slice(0, 9))} differs from SQL ${JSON.stringify(sqlCounts.slice(0, 9))}`);
      }
      figures.set(name, { ours: oursMs, sql: sqlMs, first: firstAskMs });
      const shown = ranges.length === 1 ? `${ourCounts[0]} users` : `${ranges.length} windows`;
      console.log(`${name}: ${shown}; ours ${oursMs.toFixed(1)} ms, SQL ${sqlMs.toFixed(0)} ms, ratio ${(sqlMs / oursMs).toFixed(0)}×, equal`);
    }
    await reportMemory(raw, memoryBefore, activity);
    const month = figures.get('countActiveUsers 30 d')!;
    const rolling = figures.get('rolling 30 d')!;
    const windows = figures.get('10 rolling 30-day windows across DST')!;
    console.log(`rolling 30 d: ours ${rolling.ours.toFixed(1)} ms, ${(rolling.sql / rolling.ours).toFixed(0)}× SQL; first ask (logs of its end days built) ${rolling.first.toFixed(0)} ms`);
    console.log(`10 windows: ours ${windows.ours.toFixed(1)} ms; first ask ${windows.first.toFixed(0)} ms`);
    console.log(
      `scale: countActiveUsers 30 d ours ${month.ours.toFixed(1)} ms (SQL ${month.sql.toFixed(0)} ms, ${(month.sql / month.ours).toFixed(0)}×); ` +
        `rolling 30 d ${rolling.ours.toFixed(1)} ms; 10 windows ${windows.ours.toFixed(0)} ms; first call ${firstMs.toFixed(0)} ms; backfill ${backfill}`,
    );
  } finally {
    await app.close();
    await Promise.all(raw.map((node) => node.quit()));
    await cluster?.quit();
    await ('kill' in redis ? redis.kill() : redis.stop());
    await schema.close();
  }
}


async function usedMemory(raw: readonly Redis[]): Promise<number> {
  let used = 0;
  for (const node of raw) used += Number(/used_memory:(\d+)/.exec(await node.info('memory'))![1]);
  return used;
}

/** The keys matching `pattern` on every server, with the server holding each. */
async function keysOf(raw: readonly Redis[], pattern: string): Promise<Array<[Redis, string]>> {
  const found: Array<[Redis, string]> = [];
  for (const node of raw) for (const key of await node.keys(pattern)) found.push([node, key]);
  return found;
}

/**
 * The index's memory: the day bitmaps (one bit per numbered user) and the user numbers,
 * of the site's one slot (`{activity}`) or its shards (`{activity-s…}`) on a Cluster.
 */
async function reportMemory(raw: readonly Redis[], before: number, activity: ActivityService): Promise<void> {
  const dayKeys = await keysOf(raw, 'scale:{activity*}:day:*');
  let dayBytes = 0;
  for (const [node, key] of dayKeys) dayBytes += Number(await node.memory('USAGE', key));
  let numbered = 0;
  let numbersBytes = 0;
  for (const [node, key] of await keysOf(raw, 'scale:{activity*}:numbers')) {
    numbered += await node.hlen(key);
    numbersBytes += Number(await node.memory('USAGE', key, 'SAMPLES', '0'));
  }
  const total = (await usedMemory(raw)) - before;
  const days = new Set(dayKeys.map(([, key]) => key.slice(key.indexOf(':day:')))).size;
  const perDay = dayBytes / days;
  const logKeys = await keysOf(raw, 'scale:{activity*}:log:*');
  let logBytes = 0;
  let logRows = 0;
  for (const [node, key] of logKeys) {
    logBytes += Number(await node.memory('USAGE', key));
    logRows += (await node.strlen(key)) / 8 - 1;
  }
  if (logKeys.length > 0) {
    console.log(`day logs: ${logKeys.length} logs, ${logRows} rows, ${(logBytes / 1e6).toFixed(1)} MB (${(logBytes / Math.max(1, logRows)).toFixed(1)} bytes a row)`);
  }
  console.log(
    `index memory: ${(total / 1e6).toFixed(1)} MB in Redis: ${days} days in ${dayKeys.length} bitmaps ${(dayBytes / 1e6).toFixed(1)} MB ` +
      `(${(perDay / 1e3).toFixed(1)} KB a day, ${((perDay / numbered) * 1e6 / 1e3).toFixed(0)} KB a day per 1M numbered users), ` +
      `user numbers ${(numbersBytes / 1e6).toFixed(1)} MB (${(numbersBytes / numbered).toFixed(0)} bytes a user)`,
  );
  void activity;
}

main().catch((error) => {
  new Logger('bench:scale').error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
