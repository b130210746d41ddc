import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { ActivityService } from '../../lib/activity/activity.service.js';
import { MetricaRegistry } from '../../lib/metricas/metrica.registry.js';
import { RESPONSE_TIME_METRICA } from '../../lib/tracking/tracking.constants.js';
import type { PeriodComparison } from '../../lib/dashboard/dashboard-data.interface.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { NOW, startWithDashboard, type RunningDashboardApp } from './dashboard/dashboard-app.js';
import { launchChromium, watchPage, type PageWatch } from '../support/browser.js';

const DAY = 86_400_000;
/** A route name as a hostile request could make it: it must reach the page as text. */
const HOSTILE_VIEW = '<img src=x onerror="window.__pwned=1">';
/** Every chart of the page is done: drawn, empty, or failed. */
const SETTLED = `[...document.querySelectorAll('canvas[data-chart]')].every((c) => c.hasAttribute('data-ready') || c.hasAttribute('data-error'))
  && [...document.querySelectorAll('[data-comparison]')].every((c) => c.hasAttribute('data-ready') || c.hasAttribute('data-error'))`;

describe('the dashboard as a person sees it (Chromium): in-progress marks, range picker and comparison, states, labels, escaping', () => {
  let database: TestDatabase;
  let running: RunningDashboardApp;
  let browser: Browser;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    running = await startWithDashboard(database.options, { public: true });
    const activity = running.app.get(ActivityService);
    // Two users over the last 20 days: small counts, where fractional ticks (0.2, 0.4 users) would show.
    for (let day = 0; day < 20; day++) {
      await activity.souvenez('a', { when: new Date(NOW.getTime() - day * DAY), ratelimit: false });
      if (day % 3 === 0) await activity.souvenez('b', { when: new Date(NOW.getTime() - day * DAY), ratelimit: false });
    }
    const registry = running.app.get(MetricaRegistry);
    const responseTime = registry.get(RESPONSE_TIME_METRICA);
    // 24 routes, so a bar chart would skip labels, and one hostile name.
    for (let route = 0; route < 24; route++) {
      await responseTime.kick({ view: `Route${String(route).padStart(2, '0')}.handler`, status: '2xx' }, { value: 5 + route * 10, date: NOW });
    }
    await responseTime.kick({ view: HOSTILE_VIEW, status: '2xx' }, { value: 3000, date: new Date(NOW.getTime() - DAY) });
    await responseTime.kick({ view: HOSTILE_VIEW, status: '2xx' }, { value: 2000, date: NOW });
    await registry.get('orders').kick({ plan: 'pro' }, { value: 2, date: new Date(NOW.getTime() - 2 * DAY) });
    await registry.flush();
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await running?.app.close();
    await database?.drop();
  });

  async function open(path: string, prepare?: (page: Page) => Promise<void>): Promise<{ page: Page; watch: PageWatch }> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
    const watch = await watchPage(page, running.url);
    await prepare?.(page);
    await page.goto(running.url + path);
    return { page, watch };
  }

  it('draws the day holding now dashed, says so, and flags the same rows as the JSON', async () => {
    const { page, watch } = await open('/souvenirs?from=2026-03-01&to=2026-03-15');
    try {
      await page.waitForFunction(SETTLED, undefined, { timeout: 15_000 });
      const drawn = await page.evaluate<{ flags: boolean[][]; dashes: unknown[][]; note: string | null; src: string }>(`(() => {
        const canvas = document.querySelector('canvas[data-chart="active-users"]');
        const chart = Chart.getChart(canvas);
        return {
          src: canvas.getAttribute('data-src'),
          flags: chart.data.datasets.map((d) => d.inProgress),
          // The dash Chart.js asks for the segment leading into each point.
          dashes: chart.data.datasets.map((d) => d.data.map((_, i) => i === 0 ? null : (d.segment ? d.segment.borderDash({ p0DataIndex: i - 1, p1DataIndex: i }) : undefined) ?? null)),
          note: canvas.closest('figure').querySelector('.state').textContent,
        };
      })()`);
      const rows = (await (await fetch(new URL(drawn.src, running.url))).json()) as Array<{ date: string; inProgress: boolean }>;
      expect(rows.filter((row) => row.inProgress).map((row) => row.date)).toEqual(['2026-03-15']);
      for (const flags of drawn.flags) expect(flags).toEqual(rows.map((row) => row.inProgress));
      for (const dashes of drawn.dashes) expect(dashes).toEqual(rows.map((row, i) => (i > 0 && row.inProgress ? [6, 4] : null)));
      expect(drawn.note).toBe('Dashed or hatched: still in progress, not final.');
      expect(watch.errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 30_000);

  it('hatches the lifecycle bars of the week holding now, and keeps every bar label and whole ticks', async () => {
    const { page, watch } = await open('/souvenirs/analytics?period=day');
    try {
      await page.waitForFunction(SETTLED, undefined, { timeout: 15_000 });
      const bars = await page.evaluate<{ src: string; hatched: boolean[][]; labels: number; ticks: number; yTicks: number[] }>(`(() => {
        const canvas = document.querySelector('canvas[data-chart="analytics-lifecycle"]');
        const chart = Chart.getChart(canvas);
        return { src: canvas.getAttribute('data-src'),
          hatched: chart.data.datasets.map((d) => chart.data.labels.map((_, i) => Array.isArray(d.backgroundColor) && d.backgroundColor[i] instanceof CanvasPattern)),
          labels: chart.data.labels.length, ticks: chart.scales.x.ticks.length, yTicks: chart.scales.y.ticks.map((t) => t.value) };
      })()`);
      const rows = (await (await fetch(new URL(bars.src, running.url))).json()) as Array<{ inProgress: boolean }>;
      expect(rows.at(-1)!.inProgress).toBe(true);
      for (const hatched of bars.hatched) expect(hatched).toEqual(rows.map((row) => row.inProgress));
      expect(bars.ticks).toBe(bars.labels);
      expect(bars.yTicks.every(Number.isInteger)).toBe(true);
      expect(watch.errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 30_000);

  it('keeps every route label on the response-time bars, and whole ticks on count axes', async () => {
    const { page } = await open('/souvenirs?from=2026-03-01&to=2026-03-15');
    try {
      await page.waitForFunction(SETTLED, undefined, { timeout: 15_000 });
      const shown = await page.evaluate<{ labels: number; ticks: number; counts: number[][] }>(`(() => {
        const bars = Chart.getChart(document.querySelector('canvas[data-chart="response-times"]'));
        const counts = ['active-users', 'timeline'].map((kind) => Chart.getChart(document.querySelector('canvas[data-chart="' + kind + '"]')))
          .filter(Boolean).map((chart) => chart.scales.y.ticks.map((t) => t.value));
        return { labels: bars.data.labels.length, ticks: bars.scales.y.ticks.length, counts };
      })()`);
      expect(shown.labels).toBe(25);
      expect(shown.ticks).toBe(25);
      expect(shown.counts.length).toBeGreaterThan(0);
      for (const ticks of shown.counts) expect({ ticks, whole: ticks.every(Number.isInteger) }).toEqual({ ticks, whole: true });
    } finally {
      await page.close();
    }
  }, 30_000);

  it('picks a range of days: the charts and the comparison read it, and the cards show the JSON numbers', async () => {
    const { page, watch } = await open('/souvenirs');
    try {
      await page.waitForFunction(SETTLED, undefined, { timeout: 15_000 });
      await page.fill('input[name="from"]', '2026-03-09');
      await page.fill('input[name="to"]', '2026-03-15');
      await Promise.all([page.waitForURL(/from=2026-03-09&to=2026-03-15/), page.click('form.range-picker button[type="submit"]')]);
      await page.waitForFunction(SETTLED, undefined, { timeout: 15_000 });
      const shown = await page.evaluate<{ src: string; labels: unknown[]; range: string; cards: Array<{ title: string; current: string; previous: string }> }>(`({
        src: document.querySelector('[data-comparison]').getAttribute('data-src'),
        labels: Chart.getChart(document.querySelector('canvas[data-chart="active-users"]')).data.labels,
        range: document.querySelector('[data-comparison] .range').textContent,
        cards: [...document.querySelectorAll('.card')].map((c) => ({ title: c.querySelector('h4').textContent,
          current: c.getAttribute('data-current'), previous: c.getAttribute('data-previous') })),
      })`);
      expect(shown.labels).toEqual(['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13', '2026-03-14', '2026-03-15']);
      expect(shown.range).toBe('2026-03-09 – 2026-03-15 against 2026-03-02 – 2026-03-08 (the range holds today: still in progress, not final)');
      const comparison = (await (await fetch(new URL(shown.src, running.url))).json()) as PeriodComparison;
      const timed = comparison.metricas.find((metrica) => metrica.name === RESPONSE_TIME_METRICA)!;
      const orders = comparison.metricas.find((metrica) => metrica.name === 'orders')!;
      const text = (value: number | null) => (value === null ? '' : String(value));
      expect(shown.cards).toEqual([
        { title: 'active users', current: text(comparison.activeUsers.current), previous: text(comparison.activeUsers.previous) },
        { title: 'orders', current: text(orders.current.total), previous: text(orders.previous.total) },
        // response_time: requests and milliseconds, never a total of milliseconds.
        { title: 'response_time: requests', current: text(timed.current.count), previous: text(timed.previous.count) },
        { title: 'response_time: average', current: text(timed.current.average), previous: text(timed.previous.average) },
      ]);
      expect(comparison.activeUsers).toEqual({ current: 2, previous: 2 });
      expect(watch.errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 30_000);

  it('says "Loading…" until the data comes, "No data" for an empty range, and what failed on a 503, with a retry', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { page, watch } = await open('/souvenirs?from=2026-01-01&to=2026-01-31', async (page) => {
      await page.route('**/souvenirs/api/active-users?*', async (route) => {
        await held;
        await route.continue();
      });
      await page.route('**/souvenirs/api/response-times', (route) =>
        route.fulfill({ status: 503, headers: { 'retry-after': '7', 'content-type': 'application/json' }, body: '{"statusCode":503}' }),
      );
    });
    try {
      const figure = (kind: string) => `document.querySelector('canvas[data-chart="${kind}"]').closest('figure')`;
      const state = (kind: string) =>
        page.evaluate<{ state: string; text: string; visible: boolean }>(`(() => { const f = ${figure(kind)}; const s = f.querySelector('.state');
          return { state: f.getAttribute('data-state'), text: s.textContent, visible: !s.hidden && s.offsetParent !== null }; })()`);
      await page.waitForFunction(`${figure('response-times')}.getAttribute('data-state') === 'error'`, undefined, { timeout: 15_000 });
      expect(await state('active-users')).toEqual({ state: 'loading', text: 'Loading…', visible: true });
      expect(await state('response-times')).toEqual({ state: 'error', text: 'Could not load this chart: 503: the store is unavailable; retry in 7 s.', visible: true });
      release();
      await page.waitForFunction(`${figure('active-users')}.getAttribute('data-state') !== 'loading'`, undefined, { timeout: 15_000 });
      // January holds no activity and no order: both say so instead of drawing a flat line.
      expect(await state('active-users')).toEqual({ state: 'empty', text: 'No active user in this range.', visible: true });
      await page.waitForFunction(SETTLED, undefined, { timeout: 15_000 });
      const orders = await page.evaluate<string>(`document.querySelector('canvas[data-chart="timeline"][data-src*="/orders/"]').closest('figure').getAttribute('data-state')`);
      expect(orders).toBe('empty');
      // The store is back: Retry draws the chart.
      await page.unroute('**/souvenirs/api/response-times');
      await page.click(`figure:has(canvas[data-chart="response-times"]) button.retry`);
      await page.waitForFunction(`${figure('response-times')}.getAttribute('data-state') === 'ready'`, undefined, { timeout: 15_000 });
      expect(await state('response-times')).toEqual({ state: 'ready', text: '', visible: false });
      // The failed fetch is the browser's one console error ("Failed to load resource: 503").
      expect(watch.errors.filter((error) => !/503/.test(error))).toEqual([]);
    } finally {
      await page.close();
    }
  }, 30_000);

  it('shows a hostile route name in the percentile table as text, never as markup, with its sparkline drawn from the JSON', async () => {
    const { page, watch } = await open('/souvenirs?from=2026-03-01&to=2026-03-15');
    try {
      await page.waitForFunction(SETTLED, undefined, { timeout: 15_000 });
      const shown = await page.evaluate<{ images: number; pwned: unknown; cell: string | null; sparklines: number; rows: number; src: string; data: unknown[] }>(`(() => {
        const row = [...document.querySelectorAll('table.response-times tbody tr')].find((r) => r.cells[0].textContent.startsWith('<img'));
        const canvas = row.querySelector('canvas[data-chart="sparkline"]');
        return { images: document.querySelectorAll('img').length, pwned: window.__pwned, cell: row.cells[0].textContent,
          rows: document.querySelectorAll('table.response-times tbody tr').length,
          sparklines: document.querySelectorAll('table.response-times canvas[data-chart="sparkline"]').length,
          src: canvas.getAttribute('data-src'), data: Chart.getChart(canvas).data.datasets[0].data };
      })()`);
      expect(shown).toMatchObject({ images: 0, pwned: undefined, cell: HOSTILE_VIEW, rows: 25, sparklines: 25 });
      // One table, no chart per route.
      expect(await page.evaluate<number>(`document.querySelectorAll('canvas[data-chart="percentiles"]').length`)).toBe(0);
      const points = (await (await fetch(new URL(shown.src, running.url))).json()) as Array<{ p95: number | null }>;
      expect(shown.data).toEqual(points.map((point) => point.p95));
      expect(points.filter((point) => point.p95 !== null).length).toBe(2);
      expect(watch.errors).toEqual([]);
      expect(watch.offHost).toEqual([]);
    } finally {
      await page.close();
    }
  }, 30_000);
});
