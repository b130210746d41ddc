import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MetricaRegistry } from '../../lib/metricas/metrica.registry.js';
import { RESPONSE_TIME_METRICA } from '../../lib/tracking/tracking.constants.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { NOW, startWithDashboard, type RunningDashboardApp } from './dashboard/dashboard-app.js';
import { get } from './dashboard/http-get.js';

describe('dashboard response times: percentiles per route, counts not summed milliseconds (Express, SQLite, memory store)', () => {
  let database: TestDatabase;
  let running: RunningDashboardApp;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    running = await startWithDashboard(database.options, { public: true });
    const responseTime = running.app.get(MetricaRegistry).get(RESPONSE_TIME_METRICA);
    const yesterday = new Date(NOW.getTime() - 86_400_000);
    const kicks: Array<Promise<void>> = [];
    // Fast.view: 10 requests of 4 ms today; Slow.view: 10 of 300 ms yesterday; one fast 5xx of 1 ms.
    for (let n = 0; n < 10; n++) kicks.push(responseTime.kick({ view: 'Fast.view', status: '2xx' }, { value: 4, date: NOW }));
    for (let n = 0; n < 10; n++) kicks.push(responseTime.kick({ view: 'Slow.view', status: '2xx' }, { value: 300, date: yesterday }));
    kicks.push(responseTime.kick({ view: 'Fast.view', exception: 'BoomError', status: '5xx' }, { value: 1, date: NOW }));
    await Promise.all(kicks);
    await running.app.get(MetricaRegistry).flush();
  });

  afterAll(async () => {
    await running?.app.close();
    await database?.drop();
  });

  it('lists requests, average and p50/p95/p99 per route, slowest p95 first', async () => {
    const rows = (await get(`${running.url}/souvenirs/api/response-times`)).json<Array<Record<string, unknown>>>();
    expect(rows.map(({ view, count, p50, p95, p99 }) => ({ view, count, p50, p95, p99 }))).toEqual([
      // 10 events in (250, 500]: linear within the bucket.
      { view: 'Slow.view', count: 10, p50: 375, p95: 487.5, p99: 497.5 },
      // 11 events in (0, 5].
      { view: 'Fast.view', count: 11, p50: 2.5, p95: 4.75, p99: 4.95 },
    ]);
    const { body } = await get(`${running.url}/souvenirs`);
    expect(body).toContain('<th>p95 ms</th>');
    expect(body.indexOf('Slow.view')).toBeLessThan(body.indexOf('Fast.view'));
    // One compact table: a sparkline per route in its row, no 30-day chart per route.
    expect(body).toContain('data-chart="sparkline"');
    expect(body).not.toContain('data-chart="percentiles"');
  });

  it("gives each route's percentiles over time", async () => {
    const answer = await get(`${running.url}/souvenirs/api/response-times/percentiles?view=Slow.view&scale=day&since=2026-03-14&until=2026-03-16`);
    expect(answer.json()).toEqual([
      { t: '2026-03-14T00:00:00.000Z', count: 10, p50: 375, p95: 487.5, p99: 497.5, inProgress: false },
      { t: '2026-03-15T00:00:00.000Z', count: 0, p50: null, p95: null, p99: null, inProgress: true },
    ]);
    expect((await get(`${running.url}/souvenirs/api/response-times/percentiles`)).status).toBe(400);
  });

  it('gives counts and percentiles on one scale for a short range without one (the histogram keeps no minute cells)', async () => {
    const since = new Date(NOW.getTime() - 2 * 3_600_000).toISOString();
    const until = new Date(NOW.getTime() + 3_600_000).toISOString();
    const points = (await get(`${running.url}/souvenirs/api/response-times/percentiles?view=Fast.view&since=${since}&until=${until}`)).json<
      Array<{ count: number; p50: number | null }>
    >();
    // Hours (the finest scale the histogram answers), not minutes: 3 or 4 points, the counts beside their percentiles.
    expect(points.length).toBeGreaterThanOrEqual(3);
    expect(points.length).toBeLessThanOrEqual(4);
    expect(points.reduce((total, { count }) => total + count, 0)).toBe(11);
    expect(points.filter(({ count }) => count > 0).map(({ p50 }) => p50)).toEqual([2.5]);
  });

  it('tells response_time in requests and milliseconds, and slices it by requests, so fast errors show', async () => {
    const { body } = await get(`${running.url}/souvenirs/metricas/${RESPONSE_TIME_METRICA}`);
    expect(body).toMatch(/21 requests, average [\d.]+ ms \(all time\)/);
    expect(body).not.toMatch(/total/i);
    const overview = (await get(`${running.url}/souvenirs`)).body;
    expect(overview).toMatch(/<small>21 requests, average [\d.]+ ms \(all time\), axes view, exception, status<\/small>/);
    expect(overview).not.toMatch(/response_time<\/a> <small>total/);
    const pie = (await get(`${running.url}/souvenirs/api/metricas/${RESPONSE_TIME_METRICA}/axes/status`)).json<{ pie: Array<{ label: string; total: number }> }>().pie;
    // By summed milliseconds the 5xx (1 ms of 3041) would be invisible; by requests it is 1 of 21.
    expect(pie.filter(({ total }) => total > 0)).toEqual([
      { label: '2xx', total: 20 },
      { label: '5xx', total: 1 },
    ]);
  });
});
