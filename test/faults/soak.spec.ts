import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RedisSouvenirsStore } from '../../lib/store/redis/redis-souvenirs.store.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { recordFaultFigure } from '../support/fault-figures.js';
import { deleteKeysWithPrefix, randomKeyPrefix } from '../support/redis-test-keys.js';
import { readStoredCounts } from './fixtures/counts.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOAK_APP = fileURLToPath(new URL('./fixtures/soak-app.ts', import.meta.url));

/** The app in a child process, and a way to ask it for figures. */
class SoakApp {
  private constructor(private readonly child: ChildProcess, readonly url: string) {}

  static async start(config: object): Promise<SoakApp> {
    const env = { ...process.env };
    delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not for the child
    const child = fork(SOAK_APP, [JSON.stringify(config)], { cwd: ROOT, env, execArgv: ['--expose-gc', '--import', './scripts/register-ts.mjs'] });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (message) => resolve((message as { port: number }).port));
      child.once('exit', (code) => reject(new Error(`the soak app exited (${code}) before listening`)));
    });
    return new SoakApp(child, `http://127.0.0.1:${port}`);
  }

  /** Its resident memory (after a full GC when asked) and the cells waiting in its kick buffers. */
  stats(afterGc = false): Promise<{ rssMb: number; cells: number }> {
    return new Promise((resolve) => {
      this.child.once('message', (message) => resolve(message as { rssMb: number; cells: number }));
      this.child.send(afterGc ? 'stats-after-gc' : 'stats');
    });
  }

  /** `app.close()` in the child; resolves once the child has exited. */
  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send('close');
    await exited;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

const REDIS_URL = 'redis://127.0.0.1:6379';
/** `SOUVENIRS_SOAK_SECONDS` (`npm run test:faults` sets 60); a plain test run soaks 20 s to keep CI short. */
const SECONDS = Number(process.env.SOUVENIRS_SOAK_SECONDS ?? 20);
/** V8 grows its heap for the first seconds of load; memory is judged after that. */
const WARMUP_SECONDS = Math.max(8, Math.round(SECONDS * 0.25));
const MAX_CELLS = 100_000;
const USERS = 20;
const CONNECTIONS = 16;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/**
 * Soak: tracked requests at the highest rate this machine gives, for a bounded time.
 * Resident memory after warm-up stays flat (within 10%), the kick buffer within its
 * bound, and every request is counted once.
 */
describe(`soak: ${SECONDS} s of tracked requests`, () => {
  let database: TestDatabase;
  const keyPrefix = randomKeyPrefix('test-soak');

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });

  afterAll(async () => {
    await database?.drop();
    const cleaner = new Redis(REDIS_URL);
    await deleteKeysWithPrefix(cleaner, keyPrefix);
    cleaner.disconnect();
  });

  it('keeps memory flat and the buffer bounded, and counts every request', async () => {
    const database_ = { ...database.options, entities: [], migrations: [] };
    const running = await SoakApp.start({ database: database_, redisUrl: REDIS_URL, keyPrefix, maxCells: MAX_CELLS });
    const samples: Array<{ atMs: number; rssMb: number; cells: number }> = [];
    const started = Date.now();
    let maxCells = 0;
    let sampling = true;
    const sampler = (async () => {
      let next = 1000;
      while (sampling) {
        const atMs = Date.now() - started;
        const sample = atMs >= next;
        const stats = await running.stats(sample);
        maxCells = Math.max(maxCells, stats.cells);
        if (sample) {
          samples.push({ atMs, ...stats });
          next += 1000;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    let result: Awaited<ReturnType<typeof autocannon>>;
    try {
      result = await autocannon({
        url: running.url,
        connections: CONNECTIONS,
        duration: SECONDS,
        requests: [
          {
            method: 'GET',
            setupRequest: (request) => ({ ...request, path: '/hit', headers: { 'x-user-id': `soak-${Math.floor(Math.random() * USERS)}` } }),
          },
        ],
      });
    } finally {
      sampling = false;
      await sampler;
      await running.close().catch(() => running.kill());
    }
    const reader = new RedisSouvenirsStore({ redis: REDIS_URL, keyPrefix });
    const counts = await readStoredCounts(reader);
    await reader.close();

    // autocannon leaves out the answers still in flight when its time is up (one per connection at most).
    const answered = result.requests.total - result.non2xx;
    const failed = result.non2xx + result.errors;
    const afterWarmup = samples.filter(({ atMs }) => atMs >= WARMUP_SECONDS * 1000);
    // RSS is sampled after a full GC each second (the GC sawtooth is tens of MB);
    // the medians of the first and second halves after warm-up are compared.
    const half = Math.floor(afterWarmup.length / 2);
    const baseline = median(afterWarmup.slice(0, half).map(({ rssMb }) => rssMb));
    const end = median(afterWarmup.slice(half).map(({ rssMb }) => rssMb));
    const growth = (end - baseline) / baseline;
    const figures =
      `${answered} requests in ${SECONDS} s (${Math.round(answered / SECONDS)} req/s), RSS after ${WARMUP_SECONDS} s warm-up ` +
      `${baseline.toFixed(1)} MB → ${end.toFixed(1)} MB (medians of each half) (${(growth * 100).toFixed(1)}%), ` +
      `most cells waiting ${maxCells} of ${MAX_CELLS}, ${counts.responseTimes} response times and ${counts.httpHits} @Track kicks stored`;
    console.log(`soak: ${figures}; RSS MB each second: ${samples.map(({ rssMb }) => Math.round(rssMb)).join(" ")}`);
    await recordFaultFigure({
      id: 'soak',
      fault: 'none: sustained tracked load',
      duration: `${SECONDS} s`,
      load: `autocannon, ${CONNECTIONS} connections, GET /hit (@Track + response_time + activity of ${USERS} users)`,
      lost: Math.max(answered - counts.responseTimes, 0),
      doubled: Math.max(counts.responseTimes - answered - CONNECTIONS, 0),
      failedRequests: failed,
      note: figures,
    });
    expect(failed).toBe(0);
    expect(afterWarmup.length).toBeGreaterThanOrEqual(6);
    expect(growth).toBeLessThanOrEqual(0.1);
    expect(maxCells).toBeLessThanOrEqual(MAX_CELLS);
    expect(counts.responseTimes).toBeGreaterThanOrEqual(answered);
    expect(counts.responseTimes).toBeLessThanOrEqual(answered + CONNECTIONS);
    expect(counts.httpHits).toBe(counts.responseTimes);
  }, (SECONDS + 60) * 1000);
});
