/**
 * bench:analytics — the active-user analytics (issue 10) on the scale workload of
 * bench:scale, each report timed next to plain PostgreSQL computing the same
 * answer, both checked equal:
 * - 90-day `activeUsers` (DAU/WAU/MAU per local day);
 * - 12 weekly retention cohorts (classic);
 * - 90-day daily lifecycle;
 * - 8 weeks of stickiness.
 *
 * Workload: ANALYTICS_ROWS souvenirs (default 10,000,000: the scale of issue 10) of
 * ANALYTICS_USERS users (default rows / 10) over 120 local days in Europe/Paris,
 * the pool of users growing day by day (so cohorts are real) and skewed like real
 * traffic; loaded through `ActivityService.backfill` into schema ANALYTICS_SCHEMA
 * (default souvenirs_analytics), dropped at the end unless ANALYTICS_KEEP=1; a kept
 * schema already holding exactly ANALYTICS_ROWS rows is reused, not loaded again
 * (a 10M load takes a while). The index lives in a redis-server this bench starts
 * on a spare loopback port (and kills at the end), so its days and first activity
 * are built from SQL on first use, timed apart. Our figures are medians of 3 runs
 * once the index holds them.
 */
import 'reflect-metadata';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, type EntityManager } from 'typeorm';
import { ActivityService, type BackfillEntry } from '../lib/activity/activity.service.js';
import { countActiveUsersPerPeriod } from '../lib/table/active-users.query.js';
import { ReportsService } from '../lib/reports/reports.service.js';
import { startStandaloneRedis } from '../test/support/standalone-redis.js';
import { BenchSchema, benchConnection, startBenchApp } from './bench-postgres.js';
import { random, time, median } from './bench-timing.js';

const ROWS = Number(process.env.ANALYTICS_ROWS ?? 10_000_000);
const USERS = Number(process.env.ANALYTICS_USERS ?? Math.max(1, Math.round(ROWS / 10)));
const DAYS = 120;
const SCHEMA = process.env.ANALYTICS_SCHEMA ?? 'souvenirs_analytics';
/** Keep the schema at the end, for the next run to reuse. */
const KEEP = process.env.ANALYTICS_KEEP === '1';
const timeZone = 'Europe/Paris';
const firstDay = DateTime.fromISO('2026-06-01', { zone: timeZone }); // a Monday
const today = firstDay.plus({ days: DAYS });
const now = today.plus({ hours: 13 }).toJSDate();
const localDate = (date: DateTime) => date.toISODate()!;
const connection = benchConnection({ statement_timeout: 120_000 * Math.max(1, Math.ceil(ROWS / 1_000_000)) });

/** Rows in time order: on day d, users drawn with a skew among the first (d + 1) / DAYS of the pool. */
function* rows(): Generator<BackfillEntry> {
  const next = random(10);
  const perDay = Math.ceil(ROWS / DAYS);
  let made = 0;
  for (let d = 0; d < DAYS && made < ROWS; d++) {
    const start = firstDay.plus({ days: d }).toMillis();
    const length = firstDay.plus({ days: d + 1 }).toMillis() - start;
    const pool = Math.max(1, Math.round((USERS * (d + 1)) / DAYS));
    for (let i = 0; i < perDay && made < ROWS; i++, made++) {
      const r = next();
      yield { user: 1 + Math.floor(pool * r * r), when: new Date(start + Math.floor(next() * length)) };
    }
  }
}

/** The local date of an instant in epoch milliseconds (how `when` is stored), in SQL. */
const local = (column: string) => `(to_timestamp(${column} / 1000.0) AT TIME ZONE '${timeZone}')::date`;
const LOCAL = local('s."when"');
/** Rows of local dates [$1, $1 + n days): a range of `when` (the index), from epoch seconds $3, $4. */
const IN_WINDOW = `s."when" >= round($3::float8 * 1000)::bigint AND s."when" < round($4::float8 * 1000)::bigint`;
/** The epoch seconds of local date `date` plus `days`, midnight in the zone. */
const epoch = (date: string, days: number) => DateTime.fromISO(date, { zone: timeZone }).plus({ days }).toSeconds();

/** Plain SQL: 12 weekly cohorts by first activity ever, classic retention. */
async function sqlRetention(sql: EntityManager, d0: string, weeks: number): Promise<{ size: number; retained: number[] }[]> {
  const result = await sql.query(
    `WITH f AS (SELECT s.user_id, floor((${local('MIN(s."when")')} - $1::date) / 7.0)::int AS c FROM ${SCHEMA}.souvenirs s GROUP BY s.user_id),
          a AS (SELECT DISTINCT s.user_id, (${LOCAL} - $1::date) / 7 AS w FROM ${SCHEMA}.souvenirs s WHERE ${IN_WINDOW})
     SELECT f.c, a.w - f.c AS k, COUNT(*)::int AS n FROM a JOIN f USING (user_id)
     WHERE f.c >= 0 AND f.c < $2 AND a.w >= f.c GROUP BY 1, 2`,
    [d0, weeks, epoch(d0, 0), epoch(d0, 7 * weeks)],
  );
  const cohorts = Array.from({ length: weeks }, (_, c) => ({ size: 0, retained: new Array<number>(weeks - c).fill(0) }));
  for (const { c, k, n } of result as { c: number; k: number; n: number }[]) {
    cohorts[c].retained[k] = n;
    if (k === 0) cohorts[c].size = n;
  }
  return cohorts;
}

/** Plain SQL: new, returning, resurrecting and dormant users of each local day from d0. */
async function sqlLifecycle(sql: EntityManager, d0: string, days: number) {
  const result = await sql.query(
    `WITH a AS (SELECT DISTINCT s.user_id, ${LOCAL} AS d FROM ${SCHEMA}.souvenirs s WHERE ${IN_WINDOW}),
          f AS (SELECT s.user_id, ${local('MIN(s."when")')} AS fd FROM ${SCHEMA}.souvenirs s GROUP BY s.user_id),
          cur AS (SELECT a.d, f.fd, p.user_id IS NOT NULL AS before FROM a JOIN f USING (user_id)
                  LEFT JOIN a p ON p.user_id = a.user_id AND p.d = a.d - 1 WHERE a.d >= $1::date),
          counts AS (SELECT d, COUNT(*) FILTER (WHERE fd = d) AS new, COUNT(*) FILTER (WHERE fd < d AND before) AS returning,
                       COUNT(*) FILTER (WHERE fd < d AND NOT before) AS resurrecting FROM cur GROUP BY d),
          dormant AS (SELECT p.d + 1 AS d, COUNT(*) AS dormant FROM a p LEFT JOIN a n ON n.user_id = p.user_id AND n.d = p.d + 1
                      WHERE n.user_id IS NULL GROUP BY 1),
          days AS (SELECT ($1::date + g)::date AS d FROM generate_series(0, $2::int - 1) g)
     SELECT COALESCE(counts.new, 0)::int AS new, COALESCE(counts.returning, 0)::int AS returning,
            COALESCE(counts.resurrecting, 0)::int AS resurrecting, COALESCE(dormant.dormant, 0)::int AS dormant
     FROM days LEFT JOIN counts USING (d) LEFT JOIN dormant USING (d) ORDER BY days.d`,
    [d0, days, epoch(d0, -1), epoch(d0, days)],
  );
  return (result as { new: number; returning: number; resurrecting: number; dormant: number }[]).map(({ new: n, returning, resurrecting, dormant }) => ({ new: n, returning, resurrecting, dormant }));
}

/** Plain SQL: users active on exactly n local days of each of `weeks` weeks from d0. */
async function sqlStickiness(sql: EntityManager, d0: string, weeks: number): Promise<number[][]> {
  const result = await sql.query(
    `SELECT w, n, COUNT(*)::int AS users FROM (
       SELECT s.user_id, (${LOCAL} - $1::date) / 7 AS w, COUNT(DISTINCT ${LOCAL})::int AS n FROM ${SCHEMA}.souvenirs s
       WHERE ${IN_WINDOW} AND $2::int > 0 GROUP BY 1, 2) t GROUP BY 1, 2`,
    [d0, weeks, epoch(d0, 0), epoch(d0, 7 * weeks)],
  );
  const histograms = Array.from({ length: weeks }, () => new Array<number>(7).fill(0));
  for (const { w, n, users } of result as { w: number; n: number; users: number }[]) histograms[w][n - 1] = users;
  return histograms;
}

function check(name: string, ours: unknown, sql: unknown): void {
  if (JSON.stringify(ours) !== JSON.stringify(sql)) {
    throw new Error(`${name}: ours ${JSON.stringify(ours).slice(0, 300)} differs from SQL ${JSON.stringify(sql).slice(0, 300)}`);
  }
}

async function main(): Promise<void> {
  const schema = await BenchSchema.open(connection, SCHEMA, KEEP, ROWS);
  const redis = await startStandaloneRedis();
  const app = await startBenchApp(connection, schema, { redisUrl: redis.url, keyPrefix: 'analytics', timeZone, now: () => now });
  try {
    const reports = app.get(ReportsService);
    const dataSource = app.get<DataSource>(getDataSourceToken());
    const sql = dataSource.manager;
    console.log(`workload: ${ROWS} souvenirs, ${USERS} users, ${DAYS} days in ${timeZone}, PostgreSQL + Redis`);
    if (schema.reused) {
      console.log(`backfill: skipped, schema ${SCHEMA} kept by a previous run holds the ${ROWS} rows`);
    } else {
      const [{ added }, loadMs] = await time(() => app.get(ActivityService).backfill(rows(), { batchSize: 10_000 }));
      console.log(`backfill: ${added} rows in ${(loadMs / 1000).toFixed(1)} s`);
      await dataSource.query(`VACUUM ANALYZE ${SCHEMA}.souvenirs`);
    }

    const last90 = today.minus({ days: 90 });
    // Whole weeks (the default weekStart, Monday) ending with the last Monday.
    const monday = today.startOf('week');
    const weeks12 = monday.minus({ weeks: 12 });
    const weeks8 = monday.minus({ weeks: 8 });
    const figures: Record<string, { ours: number; sql: number }> = {};

    // activeUsers: the 270 DAU/WAU/MAU windows of 90 local days, counted by plain SQL.
    const windows = Array.from({ length: 90 }, (_, i) => last90.plus({ days: i })).flatMap((day): [Date, Date][] => {
      const end = day.plus({ days: 1 }).toJSDate();
      return [[day.toJSDate(), end], [day.minus({ days: 6 }).toJSDate(), end], [day.minus({ days: 29 }).toJSDate(), end]];
    });
    const range90 = { start: last90.toJSDate(), end: today.toJSDate() };
    const [, buildMs] = await time(() => reports.activeUsers(range90));
    console.log(`first use: the index's days built from SQL in ${(buildMs / 1000).toFixed(1)} s`);
    const [active, activeMs] = await median(() => reports.activeUsers(range90));
    const [counts, activeSqlMs] = await time(() => countActiveUsersPerPeriod(sql, windows));
    check('activeUsers', active.map((row) => [row.dau, row.wau, row.mau]), active.map((_, i) => counts.slice(3 * i, 3 * i + 3)));
    figures.activeUsers = { ours: activeMs, sql: activeSqlMs };

    const retention12 = () => reports.retention({ start: weeks12.toJSDate(), end: monday.toJSDate(), period: 'week', mode: 'classic' });
    const [, firstBuildMs] = await time(retention12);
    console.log(`first use: first activity (and the days retention adds) built from SQL in ${(firstBuildMs / 1000).toFixed(1)} s`);
    const [cohorts, retentionMs] = await median(retention12);
    const [sqlCohorts, retentionSqlMs] = await time(() => sqlRetention(sql, localDate(weeks12), 12));
    check('retention', cohorts.map(({ size, retained }) => ({ size, retained })), sqlCohorts);
    figures.retention = { ours: retentionMs, sql: retentionSqlMs };

    const [lifecycle, lifecycleMs] = await median(() => reports.lifecycle({ ...range90, period: 'day' }));
    const [sqlLife, lifecycleSqlMs] = await time(() => sqlLifecycle(sql, localDate(last90), 90));
    check('lifecycle', lifecycle.map(({ new: n, returning, resurrecting, dormant }) => ({ new: n, returning, resurrecting, dormant })), sqlLife);
    figures.lifecycle = { ours: lifecycleMs, sql: lifecycleSqlMs };

    const [sticky, stickinessMs] = await median(() => reports.stickiness({ start: weeks8.toJSDate(), end: monday.toJSDate(), period: 'week' }));
    const [sqlSticky, stickinessSqlMs] = await time(() => sqlStickiness(sql, localDate(weeks8), 8));
    check('stickiness', sticky.map((row) => row.days), sqlSticky);
    figures.stickiness = { ours: stickinessMs, sql: stickinessSqlMs };

    for (const [name, { ours, sql: plain }] of Object.entries(figures)) console.log(`${name}: ours ${ours.toFixed(0)} ms, SQL ${plain.toFixed(0)} ms, equal`);
    const f = (name: string) => figures[name].ours.toFixed(0);
    const s = (name: string) => figures[name].sql.toFixed(0);
    console.log(
      `analytics: activeUsers ${f('activeUsers')} ms, retention ${f('retention')} ms, lifecycle ${f('lifecycle')} ms, stickiness ${f('stickiness')} ms ` +
        `(SQL: activeUsers ${s('activeUsers')} ms, retention ${s('retention')} ms, lifecycle ${s('lifecycle')} ms, stickiness ${s('stickiness')} ms)`,
    );
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
