/**
 * Kicks per second of a 3-axis averaged metrica on the local Redis (127.0.0.1:6379):
 * ours (MetricaRegistry + RedisSouvenirsStore: concurrent kicks coalesced into one
 * write) against a staste-style baseline (every counter of a kick its own HINCRBY,
 * plus EXPIREs and the years SADD, in one ioredis pipeline per kick), at 1 and 64
 * concurrent callers, each caller awaiting its kicks one after the other. Also
 * Redis commands per kick, from INFO commandstats deltas (other clients of the same
 * Redis would inflate both sides).
 *
 * Run: npm run bench:kick. Keys live under their own prefix and are deleted at the end.
 */
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { DateTime } from 'luxon';
import { Axis } from '../lib/metricas/axes/axis.js';
import { MetricaRegistry } from '../lib/metricas/metrica.registry.js';
import { type Metrica } from '../lib/metricas/metrica.js';
import { SouvenirsCalendar } from '../lib/calendar/souvenirs-calendar.js';
import { resolveSouvenirsOptions } from '../lib/souvenirs.options.js';
import { validateSouvenirsOptions } from '../lib/souvenirs-options.validation.js';
import { RedisSouvenirsStore } from '../lib/store/redis/redis-souvenirs.store.js';

const KICKS_PER_CALLER = 500;
const CONCURRENCIES = [1, 64] as const;
const ROUTES = ['/', '/login', '/logout', '/api/items', '/api/items/:id', '/api/users', '/api/users/:id', '/search'] as const;
const STATUSES = ['2xx', '3xx', '4xx', '5xx'] as const;
const METHODS = ['GET', 'POST', 'PUT'] as const;
const MULTIPLIER = 100;
const SCALES = ['year', 'month', 'day', 'hour', 'minute'] as const;
const TTLS: Record<(typeof SCALES)[number], number> = { year: 0, month: 94_608_000, day: 15_984_000, hour: 1_209_600, minute: 86_400 };

interface KickInput {
  route: (typeof ROUTES)[number];
  status: (typeof STATUSES)[number];
  method: (typeof METHODS)[number];
  value: number;
}

/** A deterministic workload (same for both sides): skewed like real traffic. */
function workload(count: number, seed: number): KickInput[] {
  let state = seed;
  const random = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const pick = <T>(values: readonly T[], weights: readonly number[]): T => {
    let roll = random() * weights.reduce((sum, weight) => sum + weight, 0);
    for (let index = 0; index < values.length; index++) {
      roll -= weights[index];
      if (roll < 0) return values[index];
    }
    return values[values.length - 1];
  };
  return Array.from({ length: count }, () => ({
    route: pick(ROUTES, [30, 10, 5, 20, 15, 8, 7, 5]),
    status: pick(STATUSES, [85, 5, 8, 2]),
    method: pick(METHODS, [80, 15, 5]),
    value: Math.round(random() * 50_000) / 100,
  }));
}

/** staste's kick: HINCRBY per counter (values and counts hash), EXPIRE per expiring key, SADD the year, one pipeline. */
function stasteStyleKick(redis: Redis, prefix: string, kick: KickInput, date: Date): Promise<unknown> {
  const local = DateTime.fromJSDate(date, { zone: 'UTC' });
  const buckets: Array<[string, number]> = [['__all__', 0]];
  const parts: string[] = [];
  for (const scale of SCALES) {
    parts.push(scale, String(local[scale]));
    buckets.push([parts.join(':'), TTLS[scale]]);
  }
  const value = Math.round(kick.value * MULTIPLIER);
  const pipeline = redis.pipeline();
  for (const [bucket, ttl] of buckets) {
    const key = `${prefix}:${bucket}`;
    for (const route of ['__all__', kick.route]) {
      for (const status of ['__all__', kick.status]) {
        for (const method of ['__all__', kick.method]) {
          const field = `${route}:${status}:${method}`;
          pipeline.hincrby(key, field, value);
          pipeline.hincrby(`${key}:__len__`, field, 1);
        }
      }
    }
    if (ttl) pipeline.expire(key, ttl).expire(`${key}:__len__`, ttl);
  }
  pipeline.sadd(`${prefix}:years`, String(local.year));
  return pipeline.exec();
}

async function commandCount(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  let calls = 0;
  for (const match of info.matchAll(/^cmdstat_[^:]+:calls=(\d+)/gm)) calls += Number(match[1]);
  return calls;
}

interface Result {
  kicksPerSecond: number;
  commandsPerKick: number;
}

async function measure(redis: Redis, concurrency: number, kick: (input: KickInput) => Promise<unknown>, inputs: KickInput[]): Promise<Result> {
  const before = await commandCount(redis);
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, caller) => {
      for (let index = caller; index < inputs.length; index += concurrency) await kick(inputs[index]);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // The INFO calls themselves (2) are not kicks' commands.
  const commands = (await commandCount(redis)) - before - 2;
  return { kicksPerSecond: inputs.length / seconds, commandsPerKick: commands / inputs.length };
}

async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

async function main(): Promise<void> {
  const prefix = `souvenirs-bench-kick-${randomUUID()}`;
  const redis = new Redis({ host: '127.0.0.1', port: 6379 });
  const stats = new Redis({ host: '127.0.0.1', port: 6379 });
  const options = resolveSouvenirsOptions(validateSouvenirsOptions({}));
  Logger.overrideLogger(['error', 'warn']);
  const registry = new MetricaRegistry(new RedisSouvenirsStore({ redis, keyPrefix: `${prefix}:ours` }), options, new SouvenirsCalendar(options));
  const axes = { route: new Axis({ choices: ROUTES }), status: new Axis({ choices: STATUSES }), method: new Axis({ choices: METHODS }) };
  const metrica: Metrica<typeof axes> = registry.define({ name: 'response_time', axes, averaged: true, multiplier: MULTIPLIER });
  const ours = ({ route, status, method, value }: KickInput) => metrica.kick({ route, status, method }, { value });
  const staste = (input: KickInput) => stasteStyleKick(redis, `${prefix}:staste`, input, new Date());

  console.log(
    `workload: averaged metrica, 3 axes (route ×${ROUTES.length}, status ×${STATUSES.length}, method ×${METHODS.length}, skewed), ` +
      `multiplier ${MULTIPLIER}, all-time + 5 date scales: 8 combinations × 6 buckets × (sum + count) = 96 counters per kick; ` +
      `${KICKS_PER_CALLER} kicks per caller, each caller awaiting its kicks in turn; Redis 127.0.0.1:6379`,
  );
  try {
    // Warm up both paths (connections, JIT, the years set) before measuring.
    const warmUp = workload(200, 7);
    await Promise.all(warmUp.map(ours));
    await Promise.all(warmUp.map(staste));
    let kicked = warmUp.length;
    const results = new Map<number, { ours: Result; staste: Result }>();
    for (const concurrency of CONCURRENCIES) {
      const inputs = workload(concurrency * KICKS_PER_CALLER, 42 + concurrency);
      const stasteResult = await measure(stats, concurrency, staste, inputs);
      const ourResult = await measure(stats, concurrency, ours, inputs);
      kicked += inputs.length;
      results.set(concurrency, { ours: ourResult, staste: stasteResult });
      console.log(
        `${String(concurrency).padStart(2)} concurrent (${inputs.length} kicks): ` +
          `ours ${Math.round(ourResult.kicksPerSecond)}/s, ${ourResult.commandsPerKick.toFixed(1)} Redis commands per kick; ` +
          `staste-style ${Math.round(stasteResult.kicksPerSecond)}/s, ${stasteResult.commandsPerKick.toFixed(1)} commands per kick; ` +
          `ratio ${(ourResult.kicksPerSecond / stasteResult.kicksPerSecond).toFixed(1)}×`,
      );
    }
    await registry.flush();
    const ourCount = await metrica.count();
    const stasteCount = Number(await redis.hget(`${prefix}:staste:__all__:__len__`, '__all__:__all__:__all__'));
    if (ourCount !== kicked || stasteCount !== kicked) {
      throw new Error(`counts disagree: expected ${kicked}, ours ${ourCount}, staste-style ${stasteCount}`);
    }
    console.log(`checked: both sides counted all ${kicked} kicks; ours dropped ${registry.droppedKicks}`);
    const last = results.get(64)!;
    console.log(
      `kick: ours ${Math.round(last.ours.kicksPerSecond)}/s, staste-style ${Math.round(last.staste.kicksPerSecond)}/s, ` +
        `ratio ${(last.ours.kicksPerSecond / last.staste.kicksPerSecond).toFixed(1)}× at 64 concurrent`,
    );
  } finally {
    await registry.onApplicationShutdown();
    await deleteKeys(stats, `${prefix}:*`);
    await Promise.all([redis.quit(), stats.quit()]);
  }
}

await main();
