import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { deleteKeysWithPrefix, randomKeyPrefix } from '../../support/redis-test-keys.js';
import { REDIS_URL } from './activity-test-kit.js';
import { LineWorker } from '../../support/line-worker.js';

const WORKER = fileURLToPath(new URL('./fixtures/souvenez-worker.ts', import.meta.url));
const PROCESSES = 4;
const CALLS_PER_PROCESS = 50;

interface WorkerResult {
  added: number;
  rateLimited: number;
  duplicated: number;
  errors: string[];
  startedAt: number;
  finishedAt: number;
}

describe('souvenez under concurrency: 4 processes × 50 calls for one user, one Redis, one PostgreSQL schema', () => {
  let db: TestDatabase;
  let redis: Redis;
  const keyPrefix = randomKeyPrefix();
  let workers: LineWorker[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    redis = new Redis(REDIS_URL);
  });

  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill();
    await deleteKeysWithPrefix(redis, keyPrefix);
    await redis.quit();
    await db?.drop();
  });

  it('adds exactly one row: 1 added, 199 rate-limited', async () => {
    const { host, port, username, password, database, schema } = db.options as unknown as Record<string, unknown>;
    const config = {
      postgres: { host, port, username, password, database, schema },
      redisUrl: REDIS_URL,
      keyPrefix,
      userId: 'busy-user',
      calls: CALLS_PER_PROCESS,
    };
    workers = Array.from({ length: PROCESSES }, () => new LineWorker(WORKER, config));
    for (const worker of workers) expect(await worker.nextLine()).toBe('ready');

    // The shared start signal: every worker fires its 50 calls at the same instant.
    const startAt = Date.now() + 300;
    for (const worker of workers) worker.child.stdin.write(`go ${startAt}\n`);
    const results = await Promise.all(workers.map(async (worker) => JSON.parse(await worker.nextLine()) as WorkerResult));
    expect(await Promise.all(workers.map((worker) => worker.exited()))).toEqual([0, 0, 0, 0]);

    expect(results.flatMap((result) => result.errors)).toEqual([]);
    const sum = (key: 'added' | 'rateLimited' | 'duplicated') => results.reduce((total, result) => total + result[key], 0);
    expect({ added: sum('added'), rateLimited: sum('rateLimited'), duplicated: sum('duplicated') }).toEqual({
      added: 1,
      rateLimited: PROCESSES * CALLS_PER_PROCESS - 1,
      duplicated: 0,
    });
    // The processes' bursts really overlapped in time.
    expect(Math.max(...results.map((r) => r.startedAt))).toBeLessThan(Math.min(...results.map((r) => r.finishedAt)));

    const rows = await db.dataSource.getRepository(Souvenir).find();
    expect(rows.map((row) => row.userId)).toEqual(['busy-user']);
  }, 90_000);
});
