/**
 * bench:tenants — active users per customer (issue 19): one tenant's 30 days, the
 * billing run over every tenant, and a 10,000-user subset, each from the indexes
 * (ours) against plain SQL on the same PostgreSQL rows, side by side in one run,
 * every answer checked equal.
 *
 * Workload: TENANTS_ROWS souvenirs (default 10,000,000) of TENANTS_USERS users (default
 * 1,000,000) in TENANTS_TENANTS tenants (default 10,000) over 90 local days in
 * Europe/Paris. Tenant sizes are Zipf-distributed (the k-th tenant holds ∝ 1/k of the
 * users); one user in TENANTS_SHARED (default 20) also belongs to a second tenant, and
 * each of their rows is in one of the two. Users are drawn with a skew, as in
 * bench:scale. Loaded through `ActivityService.backfill` into a fresh schema
 * (TENANTS_SCHEMA, default `souvenirs_tenants`); the indexes live in a redis-server this
 * bench starts on a spare loopback port (and kills at the end).
 *
 * Questions, on the last 30 local days (midnight to midnight):
 * - one tenant: `countActiveUsers({ tenant })` of the 10th largest tenant, vs
 *   `COUNT(DISTINCT user_id) WHERE tenant = $1`;
 * - the billing run: `reports.tenantsUsage` over every tenant (from the pairs index), vs one `GROUP BY tenant`;
 * - a subset: `countActiveUsers({ among })` of 10,000 users (TENANTS_SUBSET), vs
 *   `COUNT(DISTINCT user_id) WHERE user_id = ANY($1)`.
 * Each is asked once alone (it may build what it reads), then timed as the median of three.
 *
 * TENANTS_KEEP=1 keeps the schema at the end, and a run finding it already holding
 * exactly TENANTS_ROWS rows skips the load.
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { ActivityService } from '../lib/activity/activity.service.js';
import { ReportsService } from '../lib/reports/reports.service.js';
import { activeUsersPerTenant } from '../lib/table/tenants.query.js';
import { startStandaloneRedis } from '../test/support/standalone-redis.js';
import { BenchSchema, benchConnection, startBenchApp } from './bench-postgres.js';
import { median, random, time } from './bench-timing.js';
import { skewedRows } from './skewed-rows.js';

const ROWS = Number(process.env.TENANTS_ROWS ?? 10_000_000);
const USERS = Number(process.env.TENANTS_USERS ?? 1_000_000);
const TENANTS = Number(process.env.TENANTS_TENANTS ?? 10_000);
const SHARED = Number(process.env.TENANTS_SHARED ?? 20);
const SUBSET = Number(process.env.TENANTS_SUBSET ?? 10_000);
const DAYS = 90;
const SCHEMA = process.env.TENANTS_SCHEMA ?? 'souvenirs_tenants';
const KEEP = process.env.TENANTS_KEEP === '1';
const timeZone = 'Europe/Paris';
const firstDay = DateTime.fromISO('2026-08-20', { zone: timeZone });
const today = firstDay.plus({ days: DAYS });
const now = today.plus({ hours: 13, minutes: 27 }).toJSDate();
const midnight = (days: number): Date => today.minus({ days }).toJSDate();

const connection = benchConnection();

/** A tenant's name: `t00042`, so names sort as ranks do. */
const tenantName = (rank: number) => `t${String(rank).padStart(5, '0')}`;

/**
 * Each user's tenants: a home tenant drawn from a Zipf law over the ranks (inverse CDF,
 * binary search), and for one user in SHARED a second, different one.
 */
function tenantsOfUsers(): { home: Uint32Array; second: Int32Array } {
  const next = random(19);
  const cumulative = new Float64Array(TENANTS);
  let sum = 0;
  for (let k = 0; k < TENANTS; k++) cumulative[k] = sum += 1 / (k + 1);
  const draw = () => {
    const x = next() * sum;
    let [lo, hi] = [0, TENANTS - 1];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  const home = new Uint32Array(USERS + 1);
  const second = new Int32Array(USERS + 1).fill(-1);
  for (let user = 1; user <= USERS; user++) {
    home[user] = draw();
    if (TENANTS > 1 && next() * SHARED < 1) {
      let other = draw();
      while (other === home[user]) other = 1 + Math.floor(next() * TENANTS);
      second[user] = other;
    }
  }
  return { home, second };
}

/** The rows of bench:scale's traffic, each in one of its user's tenants (either of two, evenly). */
function rows(tenants: { home: Uint32Array; second: Int32Array }) {
  return skewedRows({ rows: ROWS, users: USERS, days: DAYS, firstDay, seed: 9 }, (user, next) => {
    const other = tenants.second[user];
    return tenantName(other > 0 && next() < 0.5 ? other : tenants.home[user]);
  });
}

async function main(): Promise<void> {
  const schema = await BenchSchema.open(connection, SCHEMA, KEEP, ROWS, [firstDay.toMillis(), today.toMillis()]);
  const redis = await startStandaloneRedis();
  const raw = new Redis(redis.url);
  const app = await startBenchApp(connection, schema, { redisUrl: redis.url, keyPrefix: 'tenants', timeZone, now: () => now });
  try {
    const activity = app.get(ActivityService);
    const reports = app.get(ReportsService);
    const dataSource = app.get<DataSource>(getDataSourceToken());
    const table = `${SCHEMA}.souvenirs`;
    console.log(
      `workload: ${ROWS} souvenirs, ${USERS} users, ${TENANTS} tenants (Zipf sizes, 1 user in ${SHARED} in two), ${DAYS} days in ${timeZone}, PostgreSQL + Redis`,
    );
    const memoryBefore = await usedMemory(raw);
    if (schema.reused) {
      console.log(`backfill: skipped, schema ${SCHEMA} already holds ${ROWS} rows (TENANTS_KEEP=1)`);
    } else {
      const [{ added }, loadMs] = await time(() => activity.backfill(rows(tenantsOfUsers()), { batchSize: 10_000 }));
      console.log(`backfill: ${added} rows in ${(loadMs / 1000).toFixed(1)} s, ${Math.round(added / (loadMs / 1000))} rows/s (indexes included)`);
      await dataSource.query(`VACUUM ANALYZE ${table}`);
    }
    const [start, end] = [midnight(30), midnight(0)];

    // One tenant: the 10th largest (or the smallest there is).
    const tenant = tenantName(Math.min(10, TENANTS));
    const oneTenant = await compare(
      'one tenant 30 d',
      () => activity.countActiveUsers({ start, end, tenant }),
      async () => Number((await dataSource.query(`SELECT COUNT(DISTINCT user_id) AS n FROM ${table} WHERE tenant = $1 AND "when" >= $2 AND "when" < $3`, [tenant, start.getTime(), end.getTime()]))[0].n),
    );

    // The billing run: every tenant at once, against one GROUP BY (sorted the same way).
    const billing = await compare(
      `tenantsUsage ${TENANTS} tenants`,
      () => reports.tenantsUsage({ start, end }),
      async () =>
        (await activeUsersPerTenant(dataSource.manager, start, end)).sort(
          (a, b) => b.activeUsers - a.activeUsers || (a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : 0),
        ),
    );

    // A subset of users: every k-th user, SUBSET of them.
    const step = Math.max(1, Math.floor(USERS / SUBSET));
    const among = Array.from({ length: Math.min(SUBSET, USERS) }, (_, i) => String(1 + i * step));
    const subset = await compare(
      `subset of ${among.length} users`,
      () => activity.countActiveUsers({ start, end, among }),
      async () => Number((await dataSource.query(`SELECT COUNT(DISTINCT user_id) AS n FROM ${table} WHERE user_id = ANY($1) AND "when" >= $2 AND "when" < $3`, [among, start.getTime(), end.getTime()]))[0].n),
    );

    const memoryMb = ((await usedMemory(raw)) - memoryBefore) / 1e6;
    const pairs = await keysMemory(raw, '*{activity:pairs}:*');
    console.log(`pairs index (the billing run's): ${(pairs.bytes / 1e6).toFixed(1)} MB in ${pairs.keys} keys, of which the numbering ${(pairs.largest / 1e6).toFixed(1)} MB`);
    const size = ROWS === 10_000_000 && USERS === 1_000_000 && TENANTS === 10_000 ? 'full size' : `reduced size: ${ROWS} rows, ${USERS} users`;
    console.log(`(${size}; ratios: one tenant ${(oneTenant.sql / oneTenant.ours).toFixed(0)}×, billing ${(billing.sql / billing.ours).toFixed(1)}×, subset ${(subset.sql / subset.ours).toFixed(1)}×)`);
    console.log(
      `tenants: one tenant 30 d ${oneTenant.ours.toFixed(1)} ms (SQL ${oneTenant.sql.toFixed(0)} ms); ` +
        `tenantsUsage ${TENANTS} tenants ${billing.ours.toFixed(0)} ms (SQL ${billing.sql.toFixed(0)} ms); ` +
        `subset of ${among.length} users ${subset.ours.toFixed(1)} ms; index memory ${memoryMb.toFixed(1)} MB`,
    );
  } finally {
    await app.close();
    await raw.quit();
    await redis.kill();
    await schema.close();
  }
}

/** Ours asked once alone then timed (median of three), SQL timed once; the answers must be equal. */
async function compare<T>(name: string, ours: () => Promise<T>, sql: () => Promise<T>): Promise<{ ours: number; sql: number }> {
  const [, firstMs] = await time(ours);
  const [answer, oursMs] = await median(ours);
  const [expected, sqlMs] = await time(sql);
  if (JSON.stringify(answer) !== JSON.stringify(expected)) {
    throw new Error(`${name}: ours ${JSON.stringify(answer).slice(0, 200)} differs from SQL ${JSON.stringify(expected).slice(0, 200)}`);
  }
  const shown = Array.isArray(answer) ? `${answer.length} tenants` : `${String(answer)} users`;
  console.log(`${name}: ${shown}; ours ${oursMs.toFixed(1)} ms (first ask ${firstMs.toFixed(0)} ms), SQL ${sqlMs.toFixed(0)} ms, equal`);
  return { ours: oursMs, sql: sqlMs };
}

/** What the keys matching `pattern` take (`MEMORY USAGE`, every value sampled), and the largest of them. */
async function keysMemory(raw: Redis, pattern: string): Promise<{ keys: number; bytes: number; largest: number }> {
  let [keys, bytes, largest] = [0, 0, 0];
  for await (const batch of raw.scanStream({ match: pattern, count: 1000 }) as AsyncIterable<string[]>) {
    for (const key of batch) {
      const used = Number(await raw.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
      [keys, bytes, largest] = [keys + 1, bytes + used, Math.max(largest, used)];
    }
  }
  return { keys, bytes, largest };
}

async function usedMemory(raw: Redis): Promise<number> {
  const info = await raw.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)![1]);
}

main().catch((error) => {
  new Logger('bench:tenants').error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
