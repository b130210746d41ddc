import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { get as httpGet } from 'node:http';
import { Souvenir } from '../../lib/table/souvenir.entity.js';
import { MetricaRegistry } from '../../lib/metricas/metrica.registry.js';
import { RESPONSE_TIME_METRICA } from '../../lib/tracking/tracking.constants.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { deleteKeysWithPrefix, randomKeyPrefix } from '../support/redis-test-keys.js';
import { startStandaloneRedis, type StandaloneRedis } from '../support/standalone-redis.js';
import { CollectingLogger } from './app/collecting-logger.js';
import { PLATFORMS, startApp, type RunningApp } from './app/start-app.js';

const REDIS_URL = 'redis://127.0.0.1:6379';

/** What a GET answered. */
interface Answer {
  readonly status: number;
  json(): Promise<unknown>;
}

/**
 * GETs `path` as `user` (none: anonymous) over a connection closed afterwards, so
 * no keep-alive socket outlives the test (fetch keeps them for seconds).
 */
function get(running: RunningApp, path: string, user?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpGet(`${running.url}${path}`, { agent: false, headers: user ? { 'x-user-id': user } : {} }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, json: async () => JSON.parse(body) as unknown });
      });
    });
    request.on('error', reject);
  });
}

/**
 * Recording happens after the response, so wait for it: flush pending kicks, then
 * check again, for at most 5 s.
 */
async function eventually(running: RunningApp, check: () => Promise<boolean>): Promise<void> {
  const registry = running.app.get(MetricaRegistry);
  const deadline = Date.now() + 5_000;
  for (;;) {
    await registry.flush();
    if (await check()) return;
    if (Date.now() > deadline) throw new Error('tracking did not record within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(PLATFORMS)('request tracking on %s', (platform) => {
  const logger = new CollectingLogger();
  const redis = new Redis(REDIS_URL);
  const prefixes: string[] = [];
  let database: TestDatabase;

  const rowsOf = (userId: string) => database.dataSource.getRepository(Souvenir).countBy({ userId });
  const boot = (track: { mode: 'all' | 'decorated' }, redisUrl = REDIS_URL) => {
    const keyPrefix = randomKeyPrefix('test-tracking');
    prefixes.push(keyPrefix);
    return startApp(platform, database.options, { redis: redisUrl, keyPrefix, track }, logger);
  };

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    for (const prefix of prefixes) await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
    await database?.drop();
  });

  describe("mode 'all'", () => {
    let running: RunningApp;
    const responseTime = () => running.app.get(MetricaRegistry).get(RESPONSE_TIME_METRICA);

    beforeAll(async () => {
      running = await boot({ mode: 'all' });
    });
    afterAll(async () => {
      await running?.app.close();
    });

    it('records activity once per rate-limit window', async () => {
      expect((await get(running, '/orders', 'alice')).status).toBe(200);
      expect((await get(running, '/orders', 'alice')).status).toBe(200);
      // Bob's activity is claimed after Alice's second request: once it is stored, hers was decided.
      expect((await get(running, '/orders', 'bob')).status).toBe(200);
      await eventually(running, async () => (await rowsOf('bob')) === 1);
      expect(await rowsOf('alice')).toBe(1);
    });

    it('counts and averages response time per view (Controller.handler, not the URL) and status class', async () => {
      for (const id of ['1', '2', '3']) {
        const response = await get(running, `/orders/${id}`);
        expect(await response.json()).toEqual({ id });
      }
      const show = () => responseTime().filter({ view: 'OrdersController.show', status: '2xx' });
      await eventually(running, async () => (await show().count()) === 3);
      expect(await show().average()).toEqual(expect.any(Number));
      expect(await show().average()).toBeGreaterThanOrEqual(0);
      const views = (await responseTime().choices('view')) as string[];
      expect(views).toContain('OrdersController.show');
      expect(views.filter((view) => view.includes('/'))).toEqual([]);
    });

    it('records the exception class and status class of failing requests, which answer as before', async () => {
      const missing = await get(running, '/missing');
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ statusCode: 404, message: 'no such thing' });
      expect((await get(running, '/broken')).status).toBe(500);
      const missingRt = () => responseTime().filter({ view: 'OrdersController.missing', exception: 'NotFoundException', status: '4xx' });
      const brokenRt = () => responseTime().filter({ view: 'OrdersController.broken', exception: 'Error', status: '5xx' });
      await eventually(running, async () => (await missingRt().count()) === 1 && (await brokenRt().count()) === 1);
      expect(await responseTime().filter({ view: 'OrdersController.missing', status: '2xx' }).count()).toBe(0);
    });

    it('kicks the @Track metrica with axes from the request and the result', async () => {
      const response = await get(running, '/checkout?plan=pro&size=3');
      expect(await response.json()).toEqual({ size: 3 });
      const orders = () => running.app.get(MetricaRegistry).get('orders');
      await eventually(running, async () => (await orders().total()) === 1);
      expect(await orders().filter({ plan: 'pro', size: '3' }).total()).toBe(1);
      expect(await orders().filter({ plan: 'free' }).total()).toBe(0);
    });

    it('records nothing for a @NoTrack route', async () => {
      expect(await (await get(running, '/health', 'carol')).json()).toEqual({ ok: true });
      expect((await get(running, '/orders', 'dave')).status).toBe(200);
      await eventually(running, async () => (await rowsOf('dave')) === 1);
      expect(await rowsOf('carol')).toBe(0);
      expect(await responseTime().choices('view')).not.toContain('OrdersController.health');
    });
  });

  describe("mode 'decorated'", () => {
    let running: RunningApp;

    beforeAll(async () => {
      running = await boot({ mode: 'decorated' });
    });
    afterAll(async () => {
      await running?.app.close();
    });

    it('records only routes with @Track', async () => {
      expect((await get(running, '/orders', 'erin')).status).toBe(200);
      expect((await get(running, '/checkout?plan=free&size=1', 'frank')).status).toBe(200);
      const responseTime = running.app.get(MetricaRegistry).get(RESPONSE_TIME_METRICA);
      await eventually(
        running,
        async () => (await rowsOf('frank')) === 1 && (await responseTime.filter({ view: 'OrdersController.checkout' }).count()) === 1,
      );
      expect(await rowsOf('erin')).toBe(0);
      expect(await responseTime.choices('view')).toEqual(['OrdersController.checkout']);
    });
  });

  describe('with Redis down', () => {
    let server: StandaloneRedis;
    let running: RunningApp | undefined;

    beforeAll(async () => {
      server = await startStandaloneRedis();
    });
    afterAll(async () => {
      await running?.app.close();
      await server?.kill();
    });

    it('still answers promptly, writes the activity and logs the outage', async () => {
      running = await boot({ mode: 'all' }, server.url);
      expect((await get(running, '/orders', 'grace')).status).toBe(200);
      await eventually(running, async () => (await rowsOf('grace')) === 1);

      await server.kill();
      const started = Date.now();
      const responses = await Promise.all(['heidi', 'ivan', 'judy'].map((user) => get(running!, '/orders/7', user)));
      expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
      expect(Date.now() - started).toBeLessThan(1_000);
      // The activity still reaches the database, under the per-process rate limit; the outage is logged.
      await eventually(running, async () => (await rowsOf('heidi')) === 1 && (await rowsOf('ivan')) === 1 && (await rowsOf('judy')) === 1);
      expect(logger.lines.some((line) => /cannot take rate-limit claims/.test(line))).toBe(true);
    });
  });
});
