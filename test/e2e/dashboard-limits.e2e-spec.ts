import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startWithDashboard, type RunningDashboardApp } from './dashboard/dashboard-app.js';
import { get } from './dashboard/http-get.js';

// The dashboard's endpoints do bounded work for any range: a chart past MAX_TIMESERIE_POINTS
// is a 400 naming the limit, answered at once, not a server computing for seconds.

describe('dashboard endpoints with absurd ranges (Express, SQLite, memory store)', () => {
  let database: TestDatabase;
  let running: RunningDashboardApp;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    running = await startWithDashboard(database.options, { public: true });
  });

  afterAll(async () => {
    await running?.app.close();
    await database?.drop();
  });

  it.each([
    ['/souvenirs/api/metricas/orders/timeline?scale=minute&since=1000-01-01&until=9999-12-31', /more than 10000 minute buckets/],
    ['/souvenirs/api/metricas/orders/timeline?scale=hour&since=2020-01-01&until=2026-01-01', /more than 10000 hour buckets/],
    ['/souvenirs/api/metricas/orders/axes/plan?scale=day&since=1000-01-01&until=9999-12-31', /more than 10000 day buckets/],
  ])('answers 400 at once to %s', async (path, message) => {
    const started = Date.now();
    const answer = await get(running.url + path);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(answer.status).toBe(400);
    expect(answer.json<{ message: string }>().message).toMatch(message);
  });

  it('still draws a series just under the limit', async () => {
    const answer = await get(`${running.url}/souvenirs/api/metricas/orders/timeline?scale=hour&since=2025-01-01&until=2026-01-01`);
    expect(answer.status).toBe(200);
    expect(answer.json<unknown[]>()).toHaveLength(8760);
  });
});
