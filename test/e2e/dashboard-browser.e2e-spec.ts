import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { MetricaRegistry } from '../../lib/metricas/metrica.registry.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startWithDashboard, type RunningDashboardApp } from './dashboard/dashboard-app.js';
import { get } from './dashboard/http-get.js';
import { launchChromium, watchPage } from '../support/browser.js';

describe('dashboard in a browser (Chromium)', () => {
  let database: TestDatabase;
  let running: RunningDashboardApp;
  let browser: Browser;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    running = await startWithDashboard(database.options, { public: true });
    const registry = running.app.get(MetricaRegistry);
    await registry.get('orders').kick({ plan: 'pro' }, { value: 2, date: new Date('2026-03-14T10:00:00Z') });
    await get(`${running.url}/ping`);
    await registry.flush();
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await running?.app.close();
    await database?.drop();
  });

  it.each([
    // 5 charts, plus a p95 sparkline in the table row of each timed route (here PingController.ping).
    ['the overview', '/souvenirs', 6],
    ['a metrica page', '/souvenirs/metricas/orders?scale=day&since=2026-03-01&until=2026-03-16', 3],
  ])('draws every chart of %s with no console error and no request off the host', async (_name, path, charts) => {
    const page = await browser.newPage();
    const { errors, offHost } = await watchPage(page, running.url);
    try {
      const response = await page.goto(running.url + path);
      expect(response?.status()).toBe(200);
      // Browser-side code as strings: the project compiles without the DOM types.
      await page.waitForFunction(
        `[...document.querySelectorAll('canvas[data-chart]')].length === ${charts} &&
         [...document.querySelectorAll('canvas[data-chart]')].every((c) => c.hasAttribute('data-ready') || c.hasAttribute('data-error'))`,
        undefined,
        { timeout: 15_000 },
      );
      const states = await page.evaluate<Array<{ chart: string; error: string | null; drawn: boolean }>>(
        `[...document.querySelectorAll('canvas[data-chart]')].map((c) => ({
           chart: c.getAttribute('data-chart'), error: c.getAttribute('data-error'), drawn: c.width > 0 && c.height > 0 }))`,
      );
      expect(states.filter((state) => state.error !== null || !state.drawn)).toEqual([]);
      expect(errors).toEqual([]);
      expect(offHost).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
