import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { performance } from 'node:perf_hooks';
import { ActivityService } from '../../lib/activity/activity.service.js';
import { Souvenir } from '../../lib/table/souvenir.entity.js';
import { CollectingLogger } from '../e2e/app/collecting-logger.js';
import { startApp, type RunningApp } from '../e2e/app/start-app.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { recordFaultFigure } from '../support/fault-figures.js';
import { failedRequests, loadAs, quantileMs, slowestMs } from '../support/http-load.js';
import { startStandaloneRedis, type StandaloneRedis } from '../support/standalone-redis.js';

const OUTAGE_WARNING = 'cannot take rate-limit claims';
const RECOVERY_LOG = 'takes rate-limit claims again';

/** `count` users named `prefix0…`, each `times` times, interleaved as real traffic is. */
function visits(prefix: string, count: number, times: number): string[] {
  return Array.from({ length: count * times }, (_, i) => `${prefix}${i % count}`);
}

/** Rows per user in the souvenirs table. */
async function rowsPerUser(db: TestDatabase): Promise<Map<string, number>> {
  const rows = await db.dataSource.getRepository(Souvenir).find();
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.userId, (counts.get(row.userId) ?? 0) + 1);
  return counts;
}

/** Polls `check` every 20 ms for at most `ms`; resolves whether it came true. */
async function eventually(check: () => Promise<boolean>, ms = 5_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('activity during a Redis outage (redis-server killed mid-load, then restarted)', () => {
  const logger = new CollectingLogger();
  let redis: StandaloneRedis;
  let db: TestDatabase;
  let running: RunningApp;

  beforeAll(async () => {
    redis = await startStandaloneRedis();
    db = await createTestDatabase('sqlite');
    running = await startApp('express', { ...db.options }, { redis: redis.url }, logger);
  });

  afterAll(async () => {
    await running?.app.close();
    await redis?.kill();
    await db?.drop();
  });

  it('answers every request, writes one row per user per window, and claims in Redis again after a restart', async () => {
    const url = `${running.url}/orders`;
    const activity = running.app.get(ActivityService);
    const before = await loadAs(url, visits('before', 20, 3), 8);
    expect(await eventually(async () => (await rowsPerUser(db)).size === 20)).toBe(true);

    // Kill Redis once a tenth of the outage load is through; time every request after it.
    const outageUsers = visits('outage', 60, 3);
    let killedAt = 0;
    const outage = await loadAs(url, outageUsers, 8, async (done) => {
      if (done === 18) {
        await redis.kill();
        killedAt = performance.now();
      }
    });
    expect(killedAt).toBeGreaterThan(0);

    // A direct souvenez resolves 'added' while Redis is gone; the per-process limit stands in.
    expect(await activity.souvenez('direct')).toBe('added');
    expect(await activity.souvenez('direct')).toBe('rate-limited');

    const expected = [...new Set([...outageUsers, 'direct'])];
    await eventually(async () => {
      const rows = await rowsPerUser(db);
      return expected.every((user) => rows.has(user));
    });
    const rows = await rowsPerUser(db);
    const lost = expected.filter((user) => !rows.has(user)).length;
    const doubled = [...rows.values()].filter((n) => n > 1).length;

    // Restart on the same port: the created client reconnects, and claims go to Redis again.
    redis = await startStandaloneRedis({ port: redis.port });
    const outageSeconds = (performance.now() - killedAt) / 1000;
    const checker = new Redis({ port: redis.port, host: '127.0.0.1', lazyConnect: true, disconnectTimeout: 50 });
    let attempt = 0;
    const claimedInRedis = await eventually(async () => {
      const user = `after-${attempt++}`;
      await activity.souvenez(user);
      return (await checker.exists(`souvenirs:{activity}:ratelimit:${user}`)) === 1;
    }, 10_000);
    const after = await loadAs(url, visits('resumed', 10, 2), 4);
    await eventually(async () => (await checker.keys('souvenirs:{activity}:ratelimit:resumed*')).length === 10);
    const resumedKeys = (await checker.keys('souvenirs:{activity}:ratelimit:resumed*')).length;
    checker.disconnect();

    const failed = failedRequests([...before, ...outage, ...after]);
    await recordFaultFigure({
      id: 'redis-outage-activity',
      fault: 'Redis killed (SIGKILL) mid-load, restarted on the same port',
      duration: `until restart, ${outageSeconds.toFixed(1)} s`,
      load: `8 concurrent × ${outage.length} tracked requests of ${expected.length - 1} users`,
      lost,
      doubled,
      failedRequests: failed,
      note:
        `activity rows: ${rows.size} users; p95 ${quantileMs(outage, 0.95).toFixed(0)} ms, slowest ${slowestMs(outage).toFixed(0)} ms ` +
        `(before the kill: p95 ${quantileMs(before, 0.95).toFixed(0)} ms, slowest ${slowestMs(before).toFixed(0)} ms)`,
    });

    expect(failed).toBe(0);
    expect(lost).toBe(0);
    expect(doubled).toBe(0);
    // None slower than usual: requests never wait on the dead Redis. Usual is measured before the
    // kill on this (shared, busy) machine; the margin absorbs its noise, not a wait on Redis.
    expect(quantileMs(outage, 0.95)).toBeLessThan(3 * quantileMs(before, 0.95) + 100);
    // Logged once for the whole outage, and once when it ended.
    expect(logger.lines.filter((line) => line.includes(OUTAGE_WARNING))).toHaveLength(1);
    expect(claimedInRedis).toBe(true);
    expect(resumedKeys).toBe(10);
    expect(logger.lines.filter((line) => line.includes(RECOVERY_LOG))).toHaveLength(1);
  });
});
