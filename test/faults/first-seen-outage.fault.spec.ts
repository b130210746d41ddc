import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Cluster } from 'ioredis';
import { ActivityService } from '../../lib/activity/activity.service.js';
import { StoreUnavailableError } from '../../lib/errors/store-unavailable.error.js';
import { StoredChoiceAxis } from '../../lib/metricas/axes/stored-choice-axis.js';
import { MetricaRegistry } from '../../lib/metricas/metrica.registry.js';
import { RESPONSE_TIME_METRICA } from '../../lib/tracking/tracking.constants.js';
import { CollectingLogger } from '../e2e/app/collecting-logger.js';
import { startApp, type Platform, type RunningApp } from '../e2e/app/start-app.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { recordFaultFigure } from '../support/fault-figures.js';
import { startRedisCluster, type TestRedisCluster } from '../support/redis-cluster.js';
import { randomKeyPrefix } from '../support/redis-test-keys.js';
import { startStandaloneRedis, type StandaloneRedis } from '../support/standalone-redis.js';
import { startSwitchableProxy, type SwitchableProxy } from '../support/switchable-proxy.js';

type Topology = 'redis' | 'cluster';

/** Four routes of the fixture app this process never served before the outage, five requests each. */
const ROUTES: ReadonlyArray<[path: string, view: string, status: number]> = [
  ['/orders', 'OrdersController.index', 200],
  ['/orders/7', 'OrdersController.show', 200],
  ['/missing', 'OrdersController.missing', 404],
  ['/checkout?plan=pro&size=3', 'OrdersController.checkout', 200],
];
const PER_ROUTE = 5;
const OUTAGE_MS = 2_000;
/** What the driver says during an outage; never to reach an HTTP client. */
const DRIVER_TEXT = /writeable|enableOfflineQueue|ECONNREFUSED|isn't ready|Connection is closed|127\.0\.0\.1|\bat /;

/** The app's way to Redis, through proxies the test cuts: `redis` option and the proxies. */
interface Route {
  readonly redis: string | Cluster;
  readonly proxies: SwitchableProxy[];
  close(): Promise<void>;
}

async function routeTo(topology: Topology, backend: StandaloneRedis | TestRedisCluster): Promise<Route> {
  if (topology === 'redis') {
    const proxy = await startSwitchableProxy({ host: '127.0.0.1', port: (backend as StandaloneRedis).port });
    // A URL: the store creates its own client (offline queue off), as an app given `redis: url` does.
    return { redis: `redis://127.0.0.1:${proxy.port}`, proxies: [proxy], close: () => proxy.close() };
  }
  const { nodes } = backend as TestRedisCluster;
  const proxies = await Promise.all(nodes.map((node) => startSwitchableProxy(node)));
  // The nodes announce their own ports; natMap sends the client through the proxies instead.
  const natMap = Object.fromEntries(nodes.map((node, i) => [`${node.host}:${node.port}`, { host: '127.0.0.1', port: proxies[i].port }]));
  // Offline queue off, as the docs ask of a given client: calls fail fast during the outage.
  const client = new Cluster([{ host: '127.0.0.1', port: proxies[0].port }], {
    natMap,
    enableOfflineQueue: false,
    redisOptions: { maxRetriesPerRequest: 1 },
  });
  client.on('error', () => undefined); // the outage is the point here
  return {
    redis: client,
    proxies,
    close: async () => {
      client.disconnect();
      await Promise.all(proxies.map((proxy) => proxy.close()));
    },
  };
}

/** Whether `read` succeeds within 10 s, tried every 50 ms. */
async function readable(read: () => Promise<unknown>): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await read().then(() => true, () => false)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

async function statusOf(url: string): Promise<number> {
  return (await fetch(url)).status;
}

/**
 * A real outage (every connection to Redis cut, new ones refused, for 2 s) while an
 * app meets values it never saw: first requests to four routes (new `response_time`
 * views and exception names) and direct kicks of new `StoredChoiceAxis` values.
 * Every count arrives once Redis is back; reads during the outage reject with
 * `StoreUnavailableError`, and the dashboard and Prometheus answer 503.
 */
describe.each<Topology>(['redis', 'cluster'])('first-seen values through an outage on %s', (topology) => {
  let backend: StandaloneRedis | TestRedisCluster;

  beforeAll(async () => {
    backend = topology === 'redis' ? await startStandaloneRedis() : await startRedisCluster();
  }, 90_000);

  afterAll(async () => {
    if (topology === 'redis') await (backend as StandaloneRedis | undefined)?.kill();
    else await (backend as TestRedisCluster | undefined)?.stop();
  });

  describe.each<Platform>(['express', 'fastify'])('on %s', (platform) => {
    const logger = new CollectingLogger();
    let route: Route;
    let db: TestDatabase;
    let running: RunningApp;

    beforeAll(async () => {
      route = await routeTo(topology, backend);
      db = await createTestDatabase('sqlite');
      running = await startApp(
        platform,
        { ...db.options },
        {
          redis: route.redis,
          keyPrefix: randomKeyPrefix('test-first-seen'),
          kickBuffer: { trackingFlushIntervalMs: 200 },
          dashboard: { public: true },
          prometheus: { public: true },
        },
        logger,
      );
    }, 60_000);

    afterAll(async () => {
      await running?.app.close();
      await route?.close();
      await db?.drop();
    });

    it('counts every first-seen kick and request once Redis is back; reads meanwhile fail typed and answer 503', async () => {
      const registry = running.app.get(MetricaRegistry);
      const firsts = registry.define({ name: 'firsts', axes: { value: new StoredChoiceAxis() } });
      const orders = registry.get('orders');
      const started = Date.now();
      await Promise.all(route.proxies.map((proxy) => proxy.cut()));

      // Writes during the outage: nobody waits on Redis, everything is kept for later.
      const kicks = ['v1', 'v2', 'v3', 'v4', 'v5'].map((value) => firsts.kick({ value }));
      const answers = await Promise.all(
        ROUTES.flatMap(([path]) => Array.from({ length: PER_ROUTE }, () => fetch(`${running.url}${path}`).then((r) => r.status))),
      );

      // Reads during the outage: typed, with the driver's error as cause.
      const read = await orders.values().total().catch((error: unknown) => error);
      const choices = await orders.choices('size').catch((error: unknown) => error);
      // Active-user counts need no store: SQL answers them.
      const activeUsers = await running.app.get(ActivityService).countActiveUsers();
      const scrape = await fetch(`${running.url}/metrics`);
      const scrapeBody = await scrape.text();
      const dashboard = await fetch(`${running.url}/souvenirs/api/metricas`);
      const dashboardBody = await dashboard.text();
      const timelineResponse = await fetch(`${running.url}/souvenirs/api/metricas/orders/timeline?scale=day`);
      const timeline = timelineResponse.status;
      const timelineBody = await timelineResponse.text();
      const dashboardActive = await statusOf(`${running.url}/souvenirs/api/active-users`);

      await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - started))));
      await Promise.all(route.proxies.map((proxy) => proxy.resume()));
      const outcomes = await Promise.allSettled(kicks);
      await registry.flush();
      const recovered = Date.now() - started;
      // The client reconnects on its own schedule: read once it has.
      expect(await readable(() => orders.values().total())).toBe(true);

      const responseTime = registry.get(RESPONSE_TIME_METRICA);
      const perView = await Promise.all(ROUTES.map(([, view]) => responseTime.filter({ view }).count()));
      const counted = (await responseTime.count()) + (await firsts.total());
      const expected = ROUTES.length * PER_ROUTE + kicks.length;
      await recordFaultFigure({
        id: `first-seen-outage-${topology}-${platform}`,
        fault: `every connection to Redis cut, new ones refused (${topology}, ${platform})`,
        duration: `${(OUTAGE_MS / 1000).toFixed(1)} s, counted ${recovered} ms after the cut`,
        load: `${ROUTES.length * PER_ROUTE} first requests to ${ROUTES.length} routes + ${kicks.length} kicks of new values`,
        lost: Math.max(expected - counted, 0),
        doubled: Math.max(counted - expected, 0),
        failedRequests: answers.filter((status, i) => status !== ROUTES[Math.floor(i / PER_ROUTE)][2]).length,
        note: `reads during the outage: metrica ${(read as Error).name}, Prometheus ${scrape.status}, dashboard ${dashboard.status}`,
      });

      // Requests were served as usual.
      expect(answers).toEqual(ROUTES.flatMap(([, , status]) => Array(PER_ROUTE).fill(status)));
      // Reads: typed, the cause attached; SQL still answers active users.
      expect(read).toBeInstanceOf(StoreUnavailableError);
      expect((read as StoreUnavailableError).cause).toBeInstanceOf(Error);
      expect(choices).toBeInstanceOf(StoreUnavailableError);
      expect(activeUsers).toBe(0);
      expect(dashboardActive).toBe(200);
      for (const [response, body] of [
        [scrape, scrapeBody],
        [dashboard, dashboardBody],
      ] as const) {
        expect(response.status).toBe(503);
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
        expect(JSON.parse(body)).toEqual({ statusCode: 503, error: 'Service Unavailable', message: expect.any(String) });
        expect(body).not.toMatch(DRIVER_TEXT);
      }
      expect([timeline, timelineBody]).toEqual([503, expect.not.stringMatching(DRIVER_TEXT)]);
      expect(logger.lines.filter((line) => line.includes("Content-Type doesn't match"))).toEqual([]);

      // Every write arrived, once: the direct kicks resolved, and the tracked requests counted.
      expect(outcomes.map(({ status }) => status)).toEqual(kicks.map(() => 'fulfilled'));
      // With what the buffer logged of them, so a failure here says why they were dropped.
      const dropLog = logger.lines.filter((line) => /dropped|could not be stored/.test(line));
      expect({ dropped: registry.droppedKicks, dropLog }).toEqual({ dropped: 0, dropLog: [] });
      expect(await firsts.total()).toBe(5);
      expect(await firsts.choices('value')).toEqual(['v1', 'v2', 'v3', 'v4', 'v5']);
      expect(perView).toEqual(ROUTES.map(() => PER_ROUTE));
      expect(await responseTime.filter({ exception: 'NotFoundException' }).count()).toBe(PER_ROUTE);
      expect(await orders.filter({ plan: 'pro', size: 3 }).total()).toBe(PER_ROUTE);
      expect(await statusOf(`${running.url}/metrics`)).toBe(200);
    }, 60_000);
  });
});
