/**
 * What observability costs, on the local Redis (127.0.0.1:6379):
 *
 * 1. kicks/s of a 3-axis averaged metrica without and with a 12-bucket histogram
 *    (its cells, of exact combinations, at the default histogram.scales: all-time, day, hour), same
 *    workload, at 1 and 64 concurrent callers, each round measuring both sides back
 *    to back (order alternating) so load from other clients of the machine hits both
 *    alike; the median of the rounds' ratios counts;
 * 2. one Prometheus scrape of 10,000 series (a 2-axis histogram metrica with
 *    100 × 100 combinations), consumed chunk by chunk as the endpoint streams it:
 *    wall time and the longest event-loop block during it
 *    (perf_hooks.monitorEventLoopDelay, 1 ms resolution).
 *
 * Run: npm run bench:observability. Keys live under their own prefix and are deleted at the end.
 */
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { Axis } from '../lib/metricas/axes/axis.js';
import { MetricaRegistry } from '../lib/metricas/metrica.registry.js';
import { StoredChoiceAxis } from '../lib/metricas/axes/stored-choice-axis.js';
import { type Metrica } from '../lib/metricas/metrica.js';
import { PrometheusService } from '../lib/prometheus/prometheus.service.js';
import { SouvenirsCalendar } from '../lib/calendar/souvenirs-calendar.js';
import { resolveSouvenirsOptions } from '../lib/souvenirs.options.js';
import { validateSouvenirsOptions } from '../lib/souvenirs-options.validation.js';
import { RedisSouvenirsStore } from '../lib/store/redis/redis-souvenirs.store.js';
import type { CounterIncrements } from '../lib/store/souvenirs-store.interface.js';

const CONCURRENCIES = [1, 64] as const;
const KICKS_PER_CALLER = { 1: 1500, 64: 150 } as const;
/** Rounds per concurrency (`OBSERVABILITY_ROUNDS`, default 5), each measuring both sides: the median ratio counts. */
const ROUNDS = Number(process.env.OBSERVABILITY_ROUNDS ?? 5);
const ROUTES = ['/', '/login', '/logout', '/api/items', '/api/items/:id', '/api/users', '/api/users/:id', '/search'] as const;
const STATUSES = ['2xx', '3xx', '4xx', '5xx'] as const;
const METHODS = ['GET', 'POST', 'PUT'] as const;
const BUCKETS = [5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000];
const SIDE = 100; // 100 × 100 = 10,000 series

interface KickInput {
  route: (typeof ROUTES)[number];
  status: (typeof STATUSES)[number];
  method: (typeof METHODS)[number];
  value: number;
}

/** A deterministic, skewed workload (same for both sides). */
function workload(count: number, seed: number): KickInput[] {
  let state = seed;
  const random = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() ** 2 * values.length)];
  return Array.from({ length: count }, () => ({ route: pick(ROUTES), status: pick(STATUSES), method: pick(METHODS), value: Math.round(random() ** 3 * 300_000) / 100 }));
}

async function kicksPerSecond(metrica: Metrica, inputs: KickInput[], concurrency: number): Promise<number> {
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, caller) => {
      for (let index = caller; index < inputs.length; index += concurrency) {
        const { route, status, method, value } = inputs[index];
        await metrica.kick({ route, status, method }, { value });
      }
    }),
  );
  return inputs.length / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** Counts what reaches Redis: the distinct cells a flush writes are what each side pays for. */
class CountingRedisStore extends RedisSouvenirsStore {
  writes = 0;
  cells = 0;

  override incrementCounters(increments: CounterIncrements, flushId?: string): Promise<void> {
    this.writes++;
    for (const { fields } of increments.values()) this.cells += fields.size;
    return super.incrementCounters(increments, flushId);
  }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

async function main(): Promise<void> {
  const prefix = `souvenirs-bench-observability-${randomUUID()}`;
  const redis = new Redis({ host: '127.0.0.1', port: 6379 });
  const options = resolveSouvenirsOptions(validateSouvenirsOptions({}));
  Logger.overrideLogger(['error']);
  const store = new CountingRedisStore({ redis, keyPrefix: prefix });
  const registry = new MetricaRegistry(store, options, new SouvenirsCalendar(options));
  const axes = () => ({ route: new Axis({ choices: ROUTES }), status: new Axis({ choices: STATUSES }), method: new Axis({ choices: METHODS }) });
  const plain = registry.define({ name: 'plain', axes: axes(), averaged: true, multiplier: 100 }) as unknown as Metrica;
  const histogram = registry.define({ name: 'histogram', axes: axes(), averaged: true, multiplier: 100, histogram: { buckets: BUCKETS } }) as unknown as Metrica;
  console.log(
    `workload: averaged metrica, 3 axes (8 × 4 × 3, skewed), all-time + 5 scales; at 1 and 64 concurrent callers (each awaiting its kicks), ` +
      `${ROUNDS} rounds, both sides back to back in each, the median of the rounds' ratios counts; with histogram: ${BUCKETS.length} buckets, cells at all-time, day and hour; Redis 127.0.0.1:6379`,
  );
  try {
    const warmUp = workload(2000, 7);
    await kicksPerSecond(plain, warmUp, 64);
    await kicksPerSecond(histogram, warmUp, 64);
    let expected = warmUp.length;
    const ratios = new Map<number, number>();
    for (const concurrency of CONCURRENCIES) {
      const rates = { plain: [] as number[], histogram: [] as number[] };
      const written = { plain: { writes: 0, cells: 0 }, histogram: { writes: 0, cells: 0 } };
      const measure = async (side: 'plain' | 'histogram', inputs: KickInput[]): Promise<void> => {
        const [writes, cells] = [store.writes, store.cells];
        rates[side].push(await kicksPerSecond(side === 'plain' ? plain : histogram, inputs, concurrency));
        written[side].writes += store.writes - writes;
        written[side].cells += store.cells - cells;
      };
      const pairs: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const inputs = workload(concurrency * KICKS_PER_CALLER[concurrency], 42 + round);
        expected += inputs.length;
        // Back to back, the order alternating: each round's ratio sees the same load on both sides.
        for (const side of round % 2 === 0 ? (['plain', 'histogram'] as const) : (['histogram', 'plain'] as const)) await measure(side, inputs);
        pairs.push(rates.histogram[round] / rates.plain[round]);
      }
      // The median of the rounds' ratios: a machine whose load drifts between rounds moves the rates, much less their ratio.
      ratios.set(concurrency, median(pairs));
      console.log(
        `${String(concurrency).padStart(2)} concurrent: without histogram ${Math.round(median(rates.plain))}/s, with ${Math.round(median(rates.histogram))}/s ` +
          `(rounds: ${rates.plain.map(Math.round).join(', ')} vs ${rates.histogram.map(Math.round).join(', ')}); ` +
          `ratio per round ${pairs.map((pair) => pair.toFixed(2)).join(', ')}, median ${ratios.get(concurrency)!.toFixed(2)}; ` +
          `distinct cells per Redis write ${Math.round(written.plain.cells / written.plain.writes)} vs ${Math.round(written.histogram.cells / written.histogram.writes)}`,
      );
    }
    await registry.flush();
    const [plainCount, histogramCount] = [await plain.count(), await histogram.count()];
    const bucketTotal = (await histogram.values().buckets()).at(-1)![1];
    if (plainCount !== expected || histogramCount !== expected || bucketTotal !== expected) {
      throw new Error(`counts disagree: expected ${expected}, plain ${plainCount}, histogram ${histogramCount}, its buckets ${bucketTotal}`);
    }

    // 10,000 series: every (a, b) of 100 × 100 kicked once, all-time only.
    const wide = registry.define({
      name: 'wide',
      axes: { a: new StoredChoiceAxis(), b: new StoredChoiceAxis() },
      averaged: true,
      scales: [],
      histogram: { buckets: BUCKETS },
    });
    // One value of a (100 kicks) at a time: 10,000 kicks of new values at once would wait with 120,000 cells, past kickBuffer.maxCells.
    for (let a = 0; a < SIDE; a++) {
      const kicks: Array<Promise<void>> = [];
      for (let b = 0; b < SIDE; b++) kicks.push(wide.kick({ a: `a${a}`, b: `b${b}` }, { value: (a * SIDE + b) % 3000 }));
      await Promise.all(kicks);
    }
    await registry.flush();
    const prometheus = new PrometheusService(registry, store, resolveSouvenirsOptions(validateSouvenirsOptions({ prometheus: { public: true, metricas: ['wide'] } })));
    // Consumed chunk by chunk, as the endpoint writes them to the response: lines counted, nothing joined.
    const scrape = async (): Promise<{ series: number; lines: number; chars: number }> => {
      const seen = { series: 0, lines: 0, chars: 0 };
      for await (const chunk of await prometheus.scrapeChunks()) {
        seen.chars += chunk.length;
        for (const line of chunk.split('\n')) {
          if (line === '') continue;
          seen.lines++;
          if (line.startsWith('souvenirs_wide_count')) seen.series++;
        }
      }
      return seen;
    };
    await scrape(); // warm up
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const { series, lines, chars } = await scrape();
    const scrapeMs = Number(process.hrtime.bigint() - started) / 1e6;
    const used = process.cpuUsage(cpu);
    delay.disable();
    if (series !== SIDE * SIDE) throw new Error(`expected ${SIDE * SIDE} series, the scrape had ${series}`);
    const longestBlockMs = delay.max / 1e6;
    // Wall-clock blocks include time the OS gave other processes: say how busy the machine was.
    console.log(`machine: ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}; scrape CPU ${((used.user + used.system) / 1000).toFixed(0)} ms`);
    console.log(`scrape: ${series} series (${lines} lines, ${(chars / 1e6).toFixed(1)} MB, in chunks) in ${scrapeMs.toFixed(0)} ms, longest event-loop block ${longestBlockMs.toFixed(1)} ms`);
    console.log(
      `observability: histogram kick cost ratio ${ratios.get(1)!.toFixed(2)} at 1, ${ratios.get(64)!.toFixed(2)} at 64 concurrent callers, ` +
        `scrape of ${series} series ${scrapeMs.toFixed(0)} ms, longest block ${longestBlockMs.toFixed(1)} ms`,
    );
  } finally {
    await registry.onApplicationShutdown();
    await deleteKeys(redis, `${prefix}:*`);
    await redis.quit().catch(() => undefined);
  }
}

await main();
