/**
 * `npm run bench:http`: requests per second of one GET endpoint on Express, with
 * and without request tracking, and with a prom-client histogram as a peer.
 *
 * Each app (bench/http-bench-apps.ts) runs in its own child process; autocannon
 * runs here. Each app is measured in every round, the order alternating between
 * rounds, after a warm-up; medians of the rounds are reported, with each app's
 * CPU time per request (steadier than req/s on a machine shared with the load). The tracked app uses Redis at 127.0.0.1:6379 (a
 * random key prefix, deleted afterwards) and a SQLite database in a temp dir.
 *
 * Goals: tracked/untracked ≥ 0.95, and ≥ prom-client/untracked; the CPU tracking adds
 * per request (activity, the response_time histogram and a @Track kick) at most 2× what
 * prom-client's in-process histogram adds. The last line gives both differences in µs.
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { SOUVENIRS_MIGRATIONS } from '../lib/table/migrations/index.js';
import { SOUVENIRS_ENTITIES } from '../lib/table/souvenirs-entities.js';
import type { BenchApp } from './http-bench-apps.js';

const CONNECTIONS = 10;
const WARMUP_SECONDS = 1;
const MEASURE_SECONDS = 5;
const ROUNDS = 6;
const USERS = 100;
const APPS: BenchApp[] = ['untracked', 'tracked', 'prom-client'];

function requestsFor(port: number, seconds: number) {
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        // A spread of users and ids, so activity and the path parameter vary.
        setupRequest: (request) => {
          const n = Math.floor(Math.random() * USERS);
          return { ...request, path: `/items/${n}`, headers: { 'x-user-id': `bench-user-${n}` } };
        },
      },
    ],
  });
}

/** CPU affinity (Linux `taskset`), so the load generator and the app under test do not share a core. */
const APP_CPU = 0;
const LOAD_CPU = 1;
function pin(pid: number | undefined, cpu: number): void {
  if (pid === undefined || availableParallelism() < 2) return;
  try {
    execFileSync('taskset', ['-pc', String(cpu), String(pid)], { stdio: 'ignore' });
  } catch {
    // No taskset: unpinned, only noisier.
  }
}

/** The CPU time (µs) a child app has used so far. */
function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (typeof message === 'object' && message !== null && 'cpuMicros' in message) {
        child.off('message', onMessage);
        resolve((message as { cpuMicros: number }).cpuMicros);
      }
    };
    child.on('message', onMessage);
    child.send('cpu');
  });
}

async function main(): Promise<void> {
  pin(process.pid, LOAD_CPU);
  const directory = await mkdtemp(join(tmpdir(), 'souvenirs-bench-http-'));
  const keyPrefix = `bench-http-${randomBytes(6).toString('hex')}`;
  const database = {
    type: 'better-sqlite3',
    database: join(directory, 'bench.sqlite'),
    entities: [...SOUVENIRS_ENTITIES],
    migrations: SOUVENIRS_MIGRATIONS,
  } as DataSourceOptions;
  const setup = new DataSource(database);
  await setup.initialize();
  await setup.runMigrations();
  await setup.destroy();

  const children = new Map<BenchApp, ChildProcess>();
  const start = (app: BenchApp) =>
    new Promise<number>((resolve, reject) => {
      const child = fork(new URL('./http-bench-apps.ts', import.meta.url), [app, JSON.stringify({ ...database, entities: [], migrations: [] }), keyPrefix], {
        execArgv: ['--import', './scripts/register-ts.mjs'],
      });
      // The apps on one core, this process (autocannon) on the other, when the machine has two.
      pin(child.pid, APP_CPU);
      children.set(app, child);
      child.once('message', (message) => resolve((message as { port: number }).port));
      child.once('exit', (code) => reject(new Error(`the ${app} app exited (${code}) before listening`)));
    });
  try {
    const ports = Object.fromEntries(await Promise.all(APPS.map(async (app) => [app, await start(app)] as const))) as Record<BenchApp, number>;

    console.log(
      `workload: GET /items/:id on Express, ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up then ${MEASURE_SECONDS} s measured ` +
        `per app, ${ROUNDS} rounds in alternating order (medians reported; apps pinned to one core, the load to the other); requests carry one of ${USERS} users (x-user-id); ` +
        'each app in its own process; tracked = SouvenirsModule with default options (Redis 127.0.0.1:6379, SQLite, ' +
        'activity + response_time, and the route\'s @Track kick), prom-client = a Histogram interceptor (route, status), untracked = track: false.',
    );
    // JIT of every app (and of autocannon) before any measurement.
    for (const app of APPS) await requestsFor(ports[app], WARMUP_SECONDS);
    const samples: Record<BenchApp, number[]> = { untracked: [], tracked: [], 'prom-client': [] };
    const cpuPerRequest: Record<BenchApp, number[]> = { untracked: [], tracked: [], 'prom-client': [] };
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? APPS : [...APPS].reverse();
      for (const app of order) {
        await requestsFor(ports[app], WARMUP_SECONDS);
        const child = children.get(app)!;
        const cpuBefore = await cpuOf(child);
        const result = await requestsFor(ports[app], MEASURE_SECONDS);
        // After the run, so the tracked app's deferred recording (1 s buffer) is counted too.
        await new Promise((resolve) => setTimeout(resolve, 1200));
        const cpu = (await cpuOf(child)) - cpuBefore;
        if (result.errors > 0 || result.non2xx > 0) throw new Error(`${app}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
        samples[app].push(result.requests.average);
        cpuPerRequest[app].push(cpu / result.requests.total);
        console.log(
          `round ${round + 1} ${app.padEnd(14)} ${result.requests.average.toFixed(0)} req/s, ` +
            `${(cpu / result.requests.total).toFixed(1)} µs CPU per request, latency avg ${result.latency.average.toFixed(2)} ms p99 ${result.latency.p99} ms`,
        );
      }
    }
    // Medians: one disturbed round (another process waking up) does not move them.
    const median = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const middle = sorted.length >> 1;
      return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    };
    const untracked = median(samples.untracked);
    const tracked = median(samples.tracked);
    const prom = median(samples['prom-client']);
    console.log(`median req/s: untracked ${untracked.toFixed(0)}, tracked ${tracked.toFixed(0)}, prom-client ${prom.toFixed(0)}`);
    const cpu = { untracked: median(cpuPerRequest.untracked), tracked: median(cpuPerRequest.tracked), prom: median(cpuPerRequest['prom-client']) };
    console.log(`median CPU per request: untracked ${cpu.untracked.toFixed(1)} µs, tracked ${cpu.tracked.toFixed(1)} µs, prom-client ${cpu.prom.toFixed(1)} µs`);

    const check = new DataSource(database);
    await check.initialize();
    const [{ count }] = (await check.query('SELECT COUNT(*) AS count FROM souvenirs')) as Array<{ count: number }>;
    await check.destroy();
    console.log(`activity rows written by the tracked app: ${count} (one per user: each later request of a user fell in its rate-limit window)`);
    const [trackingCost, promCost] = [cpu.tracked - cpu.untracked, cpu.prom - cpu.untracked];
    const signed = (micros: number) => `${micros < 0 ? '-' : '+'}${Math.abs(micros).toFixed(1)}`;
    console.log(
      `http: tracked/untracked ratio ${(tracked / untracked).toFixed(3)}, prom-client/untracked ratio ${(prom / untracked).toFixed(3)}; ` +
        `CPU per request: tracking ${signed(trackingCost)} µs, prom-client ${signed(promCost)} µs` +
        (promCost > 0 ? ` (${(trackingCost / promCost).toFixed(2)}×)` : ''),
    );
  } finally {
    for (const child of children.values()) child.kill();
    const redis = new Redis('redis://127.0.0.1:6379');
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
    await redis.quit();
    await rm(directory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
