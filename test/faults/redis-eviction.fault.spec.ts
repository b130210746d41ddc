import 'reflect-metadata';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { ActivityService } from '../../lib/activity/activity.service.js';
import { StoreRefusedError } from '../../lib/errors/store-refused.error.js';
import { UnsafeStoreSettingsError } from '../../lib/errors/unsafe-store-settings.error.js';
import type { SouvenirsModuleOptions } from '../../lib/souvenirs.options.js';
import { ExpressAdapter } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { AppModule } from '../e2e/app/app.module.js';
import { CollectingLogger } from '../e2e/app/collecting-logger.js';
import { startApp, type RunningApp } from '../e2e/app/start-app.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startStandaloneRedis, type StandaloneRedis } from '../support/standalone-redis.js';

const DAY_MS = 86_400_000;
const START = Date.UTC(2026, 2, 2);
const DAYS = 7;
const USERS = 3_000;
const POLICY_WARNING = /maxmemory-policy is allkeys-lru/;

/** Activity of `USERS` users over `DAYS` days, a deterministic spread: user u on the days where (u * 7 + d) % 3 !== 0. */
function entries(): Array<{ user: string; when: Date }> {
  const rows: Array<{ user: string; when: Date }> = [];
  for (let u = 0; u < USERS; u++) {
    for (let d = 0; d < DAYS; d++) {
      if ((u * 7 + d) % 3 !== 0) rows.push({ user: `user-${u}`, when: new Date(START + d * DAY_MS + ((u * 37) % 86_000) * 1000) });
    }
  }
  return rows;
}

/** 49 ranges: every pair of day boundaries, and the same shifted off midnight by 5 hours. */
function ranges(): Array<[Date, Date]> {
  const out: Array<[Date, Date]> = [];
  for (let a = 0; a < DAYS; a++) {
    for (let b = a + 1; b <= DAYS; b++) out.push([new Date(START + a * DAY_MS), new Date(START + b * DAY_MS)]);
  }
  for (let a = 0; a < DAYS; a++) out.push([new Date(START + a * DAY_MS + 5 * 3_600_000), new Date(START + (a + 1) * DAY_MS + 5 * 3_600_000)]);
  return out.slice(0, 49);
}

/** Distinct users of `rows` in `[start, end)`: what plain SQL over the table answers. */
function distinct(rows: ReadonlyArray<{ user: string; when: Date }>, [start, end]: [Date, Date]): number {
  return new Set(rows.filter(({ when }) => when >= start && when < end).map(({ user }) => user)).size;
}

/** Writes `megabytes` of 10 kB strings under `filler:` (with an expiry when `ttl`); a refused write (OOM) ends it. */
async function fill(port: number, megabytes: number, ttl: boolean, name = 'filler', valueBytes = 10_000): Promise<{ written: number; refused: Error | null }> {
  const client = new Redis({ port, host: '127.0.0.1', disconnectTimeout: 50 });
  const value = 'x'.repeat(valueBytes);
  let written = 0;
  try {
    for (let i = 0; i < (megabytes * 1_000_000) / valueBytes; i += 50) {
      const pipeline = client.pipeline();
      for (let j = i; j < i + 50; j++) {
        if (ttl) pipeline.set(`${name}:${j}`, value, 'EX', 3600);
        else pipeline.set(`${name}:${j}`, value);
      }
      const results = (await pipeline.exec()) ?? [];
      const refused = results.find(([error]) => error)?.[0];
      if (refused) return { written, refused };
      written += 50;
    }
    return { written, refused: null };
  } finally {
    client.disconnect();
  }
}

describe('the active-users index under Redis memory pressure', () => {
  const logger = new CollectingLogger();
  let redis: StandaloneRedis | undefined;
  let db: TestDatabase | undefined;
  let running: RunningApp | undefined;

  async function boot(redisArgs: string[], options: SouvenirsModuleOptions = {}): Promise<ActivityService> {
    redis = await startStandaloneRedis({ args: redisArgs });
    db = await createTestDatabase('sqlite');
    running = await startApp('express', { ...db.options }, { redis: redis.url, rateLimitSeconds: 0, ...options }, logger);
    return running.app.get(ActivityService);
  }

  afterEach(async () => {
    await running?.app.close();
    await redis?.kill();
    await db?.drop();
    running = undefined;
    redis = undefined;
    db = undefined;
    logger.lines.length = 0;
  });

  afterAll(async () => {
    await redis?.kill();
  });

  it('with allkeys-lru and a small maxmemory: one warning, and every count equals SQL while keys are evicted', async () => {
    const activity = await boot(['--maxmemory', '4mb', '--maxmemory-policy', 'allkeys-lru']);
    expect(logger.lines.filter((line) => POLICY_WARNING.test(line))).toHaveLength(1);
    const rows = entries();
    await activity.backfill(rows);
    // Push Redis past its maxmemory: it evicts whatever it likes, the index's keys included.
    await fill(redis!.port, 8, false);
    const asked = ranges();
    const counted = await Promise.all(asked.map(([start, end]) => activity.countActiveUsers({ start, end })));
    expect(counted).toEqual(asked.map((range) => distinct(rows, range)));
    await activity.reindex();
    await fill(redis!.port, 8, false);
    const again = await Promise.all(asked.map(([start, end]) => activity.countActiveUsers({ start, end })));
    expect(again).toEqual(asked.map((range) => distinct(rows, range)));
  }, 120_000);

  it("with allkeys-lru and activity.index 'require-safe-policy': refuses to start, saying why", async () => {
    redis = await startStandaloneRedis({ args: ['--maxmemory', '4mb', '--maxmemory-policy', 'allkeys-lru'] });
    db = await createTestDatabase('sqlite');
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot({ ...db.options }, { redis: redis.url, activity: { index: 'require-safe-policy' } })],
    })
      .setLogger(logger)
      .compile();
    const app = moduleRef.createNestApplication(new ExpressAdapter());
    const error = await app.init().catch((caught: unknown) => caught);
    await app.close(); // what the boot opened (the database, the Redis client), closed
    expect(error).toBeInstanceOf(UnsafeStoreSettingsError);
    expect((error as Error).message).toMatch(/allkeys-lru.*noeviction or a volatile-\* policy/);
  }, 60_000);

  it('with volatile-lru and a small maxmemory: the index is used, and every count equals SQL while days are evicted', async () => {
    const activity = await boot(['--maxmemory', '4mb', '--maxmemory-policy', 'volatile-lru']);
    expect(logger.lines.filter((line) => /maxmemory-policy is/.test(line))).toEqual([]);
    const rows = entries();
    await activity.backfill(rows);
    // Keys with an expiry go first: day keys among them; the fillers without one end in OOM.
    await fill(redis!.port, 4, true);
    await fill(redis!.port, 8, false);
    const asked = ranges();
    const counted = await Promise.all(asked.map(([start, end]) => activity.countActiveUsers({ start, end })));
    expect(counted).toEqual(asked.map((range) => distinct(rows, range)));
  }, 120_000);

  it('reindex against a Redis out of memory rejects with StoreRefusedError, the OOM reply as cause', async () => {
    const activity = await boot(['--maxmemory', '3mb', '--maxmemory-policy', 'noeviction']);
    await activity.backfill(entries().slice(0, 2_000));
    const { refused } = await fill(redis!.port, 8, false);
    expect(refused?.message).toMatch(/^OOM/);
    // Redis full: the claim is refused, so the row is written under the per-process limit and
    // its day is left for the index to invalidate, which a reindex does first (a write Redis refuses).
    expect(await activity.souvenez('late-user', { when: new Date(START + DAY_MS) })).toBe('added');
    // Filled again, in small values: the first filler left up to 10 KB below `maxmemory` once its
    // connection closed, which a reindex of this little data may fit in (then nothing is refused).
    expect((await fill(redis!.port, 8, false, 'filler-again', 100)).refused?.message).toMatch(/^OOM/);
    const error = await activity.reindex().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreRefusedError);
    expect((error as StoreRefusedError).cause).toBeInstanceOf(Error);
    expect(((error as StoreRefusedError).cause as Error).message).toMatch(/^OOM/);
    expect((error as Error).message).toMatch(/raise `maxmemory`/);
    // Counts still answer, from SQL.
    const rows = [...entries().slice(0, 2_000), { user: 'late-user', when: new Date(START + DAY_MS) }];
    const range: [Date, Date] = [new Date(START), new Date(START + 2 * DAY_MS)];
    expect(await activity.countActiveUsers({ start: range[0], end: range[1] })).toBe(distinct(rows, range));
  }, 60_000);
});
