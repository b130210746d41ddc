/**
 * `npm run bench:tracking`: the CPU request tracking adds to one request, in one
 * process, next to what a prom-client histogram adds: the interceptor is called as
 * Nest calls it (an ExecutionContext, a handler's Observable), without HTTP, whose
 * own cost (~200 µs a request) and noise on a shared machine swamp a few µs in
 * `bench:http`. Same process, rounds alternated, medians of TRACKING_ROUNDS (default 7)
 * rounds of TRACKING_REQUESTS (default 50,000) requests each; recordings run on the
 * next turn of the event loop every 10 requests, as a server's would between requests.
 *
 * tracked: SouvenirsModule's interceptor with default options on the memory store
 * and SQLite (activity of 100 users, `response_time` with its histogram, and a
 * `@Track('item_views')` kick); prom-client: a Histogram interceptor (route, status),
 * as in bench:http; none: the handler alone. Answers are checked: every tracked
 * request is in `response_time` and in `item_views`.
 */
import 'reflect-metadata';
import { Controller, Get, Logger, type ExecutionContext } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { of, type Observable } from 'rxjs';
import { MetricaRegistry } from '../lib/metricas/metrica.registry.js';
import { PromHistogramInterceptor } from './prom-histogram-peer.js';
import { SouvenirsModule } from '../lib/souvenirs.module.js';
import { SOUVENIRS_MIGRATIONS } from '../lib/table/migrations/index.js';
import { SOUVENIRS_ENTITIES } from '../lib/table/souvenirs-entities.js';
import { SouvenirsInterceptor } from '../lib/tracking/souvenirs.interceptor.js';
import { Track } from '../lib/tracking/track.decorator.js';
import { RESPONSE_TIME_METRICA } from '../lib/tracking/tracking.constants.js';

const REQUESTS = Number(process.env.TRACKING_REQUESTS ?? 50_000);
const ROUNDS = Number(process.env.TRACKING_ROUNDS ?? 7);
const USERS = 100;

@Controller()
class ItemsController {
  @Get('items/:id')
  @Track('item_views')
  show(id: string) {
    return { id, name: `item ${id}` };
  }
}


type Side = 'none' | 'tracked' | 'prom-client';

async function main(): Promise<void> {
  Logger.overrideLogger(['error']);
  const directory = await mkdtemp(join(tmpdir(), 'souvenirs-bench-tracking-'));
  const moduleRef = await Test.createTestingModule({
    imports: [
      TypeOrmModule.forRoot({ type: 'better-sqlite3', database: join(directory, 'bench.sqlite'), entities: [...SOUVENIRS_ENTITIES], migrations: SOUVENIRS_MIGRATIONS, migrationsRun: true }),
      SouvenirsModule.forRoot({ metricas: [{ name: 'item_views' }] }),
    ],
    controllers: [ItemsController],
  }).compile();
  await moduleRef.init();
  try {
    const tracking = moduleRef.get(SouvenirsInterceptor);
    const registry = moduleRef.get(MetricaRegistry);
    const prom = new PromHistogramInterceptor();
    const requests = Array.from({ length: USERS }, (_, n) => ({ user: { id: `bench-user-${n}` }, params: { id: String(n) }, headers: {} }));
    const response = { statusCode: 200 };
    const handler = ItemsController.prototype.show;
    const controller = new ItemsController();
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    let trackedRequests = 0;
    const round = async (side: Side): Promise<number> => {
      const cpu = process.cpuUsage();
      for (let index = 0; index < REQUESTS; index++) {
        const request = requests[index % USERS];
        const context = new ExecutionContextHost([request, response, () => undefined], ItemsController, handler);
        const next = { handle: () => of(controller.show(request.params.id)) };
        const answer = side === 'tracked' ? tracking.intercept(context, next) : side === 'prom-client' ? prom.intercept(context, next) : next.handle();
        answer.subscribe();
        if (index % 10 === 9) await nextTurn();
      }
      await nextTurn();
      if (side === 'tracked') {
        trackedRequests += REQUESTS;
        await registry.flush();
      }
      const used = process.cpuUsage(cpu);
      return (used.user + used.system) / REQUESTS;
    };
    const sides: Side[] = ['none', 'tracked', 'prom-client'];
    for (const side of sides) await round(side); // JIT, the users' activity rows, the stored choices
    const samples: Record<Side, number[]> = { none: [], tracked: [], 'prom-client': [] };
    for (let at = 0; at < ROUNDS; at++) for (const side of at % 2 === 0 ? sides : [...sides].reverse()) samples[side].push(await round(side));
    const responseTimes = await registry.get(RESPONSE_TIME_METRICA).count();
    const itemViews = await registry.get('item_views').total();
    if (responseTimes !== trackedRequests || itemViews !== trackedRequests) {
      throw new Error(`expected ${trackedRequests} tracked requests, response_time counted ${responseTimes}, item_views ${itemViews}`);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
    const [none, tracked, promClient] = sides.map((side) => median(samples[side]));
    console.log(
      `workload: ${ROUNDS} rounds × ${REQUESTS} requests per side, alternated, medians; ${USERS} users; memory store, SQLite; ` +
        `machine: ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}`,
    );
    for (const side of sides) console.log(`${side.padEnd(12)} ${samples[side].map((value) => value.toFixed(2)).join(', ')} µs CPU per request`);
    console.log(`stored: ${responseTimes} response times, ${itemViews} item_views kicks, for ${trackedRequests} tracked requests`);
    const [trackingCost, promCost] = [tracked - none, promClient - none];
    console.log(`tracking: CPU per request +${trackingCost.toFixed(2)} µs, prom-client +${promCost.toFixed(2)} µs (${(trackingCost / promCost).toFixed(2)}×)`);
  } finally {
    await moduleRef.close();
    await rm(directory, { recursive: true, force: true });
  }
}

await main();
