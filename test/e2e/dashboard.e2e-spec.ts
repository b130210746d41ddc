import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ActivityService } from '../../lib/activity/activity.service.js';
import { UnprotectedEndpointError } from '../../lib/errors/unprotected-endpoint.error.js';
import { MetricaRegistry } from '../../lib/metricas/metrica.registry.js';
import { RESPONSE_TIME_METRICA } from '../../lib/tracking/tracking.constants.js';
import { SouvenirsModule } from '../../lib/souvenirs.module.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import {
  AdminHeaderGuard,
  dashboardOptions,
  startDashboardApp,
  startWithDashboard,
  type RunningDashboardApp,
} from './dashboard/dashboard-app.js';
import { get } from './dashboard/http-get.js';

describe('dashboard (Express, SQLite, memory store)', () => {
  let database: TestDatabase;
  const running: RunningDashboardApp[] = [];
  const start = async (boot: Promise<RunningDashboardApp>) => {
    const app = await boot;
    running.push(app);
    return app;
  };

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    for (const { app } of running) await app.close();
    await database?.drop();
  });

  describe('protection', () => {
    it('refuses to boot without a guard or public: true', async () => {
      const boot = startWithDashboard(database.options, {});
      await expect(boot).rejects.toBeInstanceOf(UnprotectedEndpointError);
      await expect(boot).rejects.toMatchObject({ option: 'dashboard' });
      await expect(startWithDashboard(database.options, { path: 'stats', public: false })).rejects.toThrow(/dashboard\.guard.*public: true/s);
    });

    it('refuses to boot unprotected under forRootAsync too', async () => {
      const souvenirs = SouvenirsModule.forRootAsync({ useFactory: () => dashboardOptions({ path: 'stats' }) });
      const boot = startDashboardApp(database.options, souvenirs);
      await expect(boot).rejects.toBeInstanceOf(UnprotectedEndpointError);
      await expect(boot).rejects.toMatchObject({ option: 'dashboard', path: 'stats' });
    });

    it('answers 403 on pages, JSON and assets when the guard denies, 200 when it lets in', async () => {
      const { url } = await start(startWithDashboard(database.options, { guard: AdminHeaderGuard }));
      for (const path of ['/souvenirs', '/souvenirs/api/active-users', '/souvenirs/api/metricas', '/souvenirs/metricas/orders', '/souvenirs/assets/chart.umd.js']) {
        expect({ path, status: (await get(url + path)).status }).toEqual({ path, status: 403 });
        expect({ path, status: (await get(url + path, { 'x-admin': 'yes' })).status }).toEqual({ path, status: 200 });
      }
    });

    it('serves a public dashboard under its configured path only', async () => {
      const { url } = await start(startWithDashboard(database.options, { path: '/admin/stats/', public: true }));
      expect((await get(`${url}/admin/stats`)).status).toBe(200);
      expect((await get(`${url}/admin/stats/api/metricas`)).status).toBe(200);
      expect((await get(`${url}/souvenirs`)).status).toBe(404);
    });

    it('mounts no dashboard without the option (forRoot), and answers 404 under forRootAsync', async () => {
      const plain = await start(startWithDashboard(database.options, undefined));
      expect((await get(`${plain.url}/souvenirs`)).status).toBe(404);
      const asyncApp = await start(
        startDashboardApp(database.options, SouvenirsModule.forRootAsync({ useFactory: () => dashboardOptions(undefined) })),
      );
      expect((await get(`${asyncApp.url}/souvenirs`)).status).toBe(404);
      expect((await get(`${asyncApp.url}/souvenirs/api/metricas`)).status).toBe(404);
    });

    it('takes its path from a forRootAsync factory', async () => {
      const souvenirs = SouvenirsModule.forRootAsync({ useFactory: async () => dashboardOptions({ path: 'async-stats', public: true }) });
      const { url } = await start(startDashboardApp(database.options, souvenirs));
      expect((await get(`${url}/async-stats/api/metricas`)).status).toBe(200);
    });
  });

  describe('numbers', () => {
    let url: string;
    let app: RunningDashboardApp['app'];

    beforeAll(async () => {
      ({ url, app } = await start(startWithDashboard(database.options, { public: true })));
      const activity = app.get(ActivityService);
      const seen: Array<[string, string]> = [
        ['a', '2026-03-15T10:00:00Z'],
        ['a', '2026-03-10T08:00:00Z'],
        ['b', '2026-03-14T23:59:00Z'],
        ['b', '2026-02-20T12:00:00Z'],
        ['c', '2026-02-12T00:30:00Z'],
      ];
      for (const [user, when] of seen) await activity.souvenez(user, { when: new Date(when), ratelimit: false });
      const orders = app.get(MetricaRegistry).get('orders');
      await orders.kick({ plan: 'free' }, { date: new Date('2026-03-14T09:00:00Z') });
      await orders.kick({ plan: 'pro' }, { value: 3, date: new Date('2026-03-15T08:00:00Z') });
      await orders.kick({ plan: 'free' }, { date: new Date('2026-03-15T09:00:00Z') });
      await app.get(MetricaRegistry).flush();
    });

    it('gives DAU, WAU, MAU and stickiness per local day, windows ending with the day', async () => {
      const answer = await get(`${url}/souvenirs/api/active-users?days=3`);
      expect(answer.status).toBe(200);
      expect(answer.json()).toEqual([
        // MAU of 03-13 is [02-12, 03-14): c's 02-12 visit counts; a day later it no longer does.
        { date: '2026-03-13', start: '2026-03-13T00:00:00.000Z', dau: 0, wau: 1, mau: 3, stickiness: 0, inProgress: false },
        { date: '2026-03-14', start: '2026-03-14T00:00:00.000Z', dau: 1, wau: 2, mau: 2, stickiness: 0.5, inProgress: false },
        // The clock says 2026-03-15 12:00: today's counts are not final.
        { date: '2026-03-15', start: '2026-03-15T00:00:00.000Z', dau: 1, wau: 2, mau: 2, stickiness: 0.5, inProgress: true },
      ]);
      // The same days picked as a range of local days, both ends included.
      expect((await get(`${url}/souvenirs/api/active-users?from=2026-03-13&to=2026-03-15`)).json()).toEqual(answer.json());
    });

    it('gives the calendar-monthly usage table', async () => {
      const answer = await get(`${url}/souvenirs/api/usage/monthly?months=2`);
      expect(answer.json()).toEqual([
        { month: '2026-02', start: '2026-02-01T00:00:00.000Z', end: '2026-03-01T00:00:00.000Z', registeredUsers: null, activatedUsers: null, activeUsers: 2, inProgress: false },
        { month: '2026-03', start: '2026-03-01T00:00:00.000Z', end: '2026-03-15T12:00:00.000Z', registeredUsers: null, activatedUsers: null, activeUsers: 2, inProgress: true },
      ]);
      const { body } = await get(`${url}/souvenirs`);
      expect(body).toMatch(/<tr class="in-progress"><td>2026-03 \(in progress\)<\/td><td>-<\/td><td>-<\/td><td>2<\/td>/);
      expect(body).toMatch(/<tr><td>2026-02<\/td><td>-<\/td><td>-<\/td><td>2<\/td>/);
    });

    it('lists the metricas with their totals', async () => {
      const metricas = (await get(`${url}/souvenirs/api/metricas`)).json<Array<{ name: string; total: number; axes: string[] }>>();
      expect(metricas.find((metrica) => metrica.name === 'orders')).toMatchObject({ name: 'orders', axes: ['plan'], total: 5, averaged: false, count: null });
      expect(metricas.map((metrica) => metrica.name)).toContain(RESPONSE_TIME_METRICA);
    });

    it("gives a metrica's timeline at the scale and range asked for", async () => {
      const answer = await get(`${url}/souvenirs/api/metricas/orders/timeline?scale=day&since=2026-03-13&until=2026-03-16`);
      expect(answer.json()).toEqual([
        { t: '2026-03-13T00:00:00.000Z', value: 0, inProgress: false },
        { t: '2026-03-14T00:00:00.000Z', value: 1, inProgress: false },
        { t: '2026-03-15T00:00:00.000Z', value: 4, inProgress: true },
      ]);
      // A range that ended yesterday holds nothing in progress; an hourly one marks the hour holding 12:00.
      const past = (await get(`${url}/souvenirs/api/metricas/orders/timeline?scale=day&since=2026-03-13&until=2026-03-15`)).json<Array<{ inProgress: boolean }>>();
      expect(past.map((point) => point.inProgress)).toEqual([false, false]);
      const hours = (await get(`${url}/souvenirs/api/metricas/orders/timeline?scale=hour&since=2026-03-15T10:00:00Z&until=2026-03-15T14:00:00Z`)).json<Array<{ t: string; inProgress: boolean }>>();
      expect(hours.filter((point) => point.inProgress).map((point) => point.t)).toEqual(['2026-03-15T12:00:00.000Z']);
    });

    it('gives a pie and a time series per axis value', async () => {
      const answer = await get(`${url}/souvenirs/api/metricas/orders/axes/plan?scale=day&since=2026-03-14&until=2026-03-16`);
      expect(answer.json()).toEqual({
        axis: 'plan',
        pie: [
          { label: 'free', total: 2 },
          { label: 'pro', total: 3 },
        ],
        series: [
          { label: 'pro', points: [{ t: '2026-03-14T00:00:00.000Z', value: 0, inProgress: false }, { t: '2026-03-15T00:00:00.000Z', value: 3, inProgress: true }] },
          { label: 'free', points: [{ t: '2026-03-14T00:00:00.000Z', value: 1, inProgress: false }, { t: '2026-03-15T00:00:00.000Z', value: 1, inProgress: true }] },
        ],
      });
    });

    it('gives response times per view, and does not time itself', async () => {
      for (let i = 0; i < 3; i++) expect((await get(`${url}/ping`)).status).toBe(200);
      await app.get(MetricaRegistry).flush();
      const rows = (await get(`${url}/souvenirs/api/response-times`)).json<Array<{ view: string; count: number; average: number; todayCount: number }>>();
      expect(rows.map((row) => row.view)).toEqual(['PingController.ping']);
      expect(rows[0]).toMatchObject({ count: 3, todayCount: 3 });
      expect(rows[0].average).toBeGreaterThanOrEqual(0);
    });

    it('escapes what it interpolates into pages', async () => {
      await app.get(MetricaRegistry).get(RESPONSE_TIME_METRICA).kick({ view: '<img src=x onerror=alert(1)>', status: '2xx' }, { value: 5 });
      await app.get(MetricaRegistry).flush();
      const { body } = await get(`${url}/souvenirs`);
      expect(body).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(body).not.toContain('<img');
    });

    it.each([
      ['/souvenirs/api/active-users?days=abc', /`days` must be an integer from 1 to 730/],
      ['/souvenirs/api/active-users?days=0', /`days`/],
      ['/souvenirs/api/usage/monthly?months=500', /`months`/],
      ['/souvenirs/api/metricas/orders/timeline?scale=week', /`scale` must be one of year, month, day, hour, minute/],
      ['/souvenirs/api/metricas/orders/timeline?since=yesterday', /`since` must be an ISO 8601 date/],
      ['/souvenirs/api/metricas/orders/timeline?since=2026-03-15&until=2026-03-01', /before its start/],
      ['/souvenirs/api/metricas/orders/axes/plan?until=2026-13-45', /`until`/],
      ['/souvenirs/metricas/orders?scale=fortnight', /`scale`/],
    ])('answers 400 with a message to %s', async (path, message) => {
      const answer = await get(url + path);
      expect(answer.status).toBe(400);
      expect(answer.json<{ message: string }>().message).toMatch(message);
    });

    it('answers 404 to an unknown metrica or axis', async () => {
      expect((await get(`${url}/souvenirs/api/metricas/nope/timeline`)).status).toBe(404);
      expect((await get(`${url}/souvenirs/api/metricas/orders/axes/nope`)).status).toBe(404);
      expect((await get(`${url}/souvenirs/metricas/nope`)).status).toBe(404);
    });

    it('serves Chart.js and its script from the package, and no page refers to another host', async () => {
      const chartJs = await get(`${url}/souvenirs/assets/chart.umd.js`);
      expect(chartJs.status).toBe(200);
      expect(chartJs.contentType).toMatch(/^text\/javascript/);
      expect(chartJs.body).toContain('window.Chart=');
      const script = await get(`${url}/souvenirs/assets/dashboard.js`);
      expect(script.contentType).toMatch(/^text\/javascript/);
      for (const path of ['/souvenirs', '/souvenirs/metricas/orders?scale=day&since=2026-03-01']) {
        const page = await get(url + path);
        expect(page.contentType).toMatch(/^text\/html/);
        expect(page.body).toContain('/souvenirs/assets/chart.umd.js');
        expect(page.body).not.toMatch(/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
      }
    });
  });
});
