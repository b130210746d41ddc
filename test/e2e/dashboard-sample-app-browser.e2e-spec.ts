import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Browser } from 'playwright-core';
import { MetricaRegistry } from '../../lib/metricas/metrica.registry.js';
import { screenshotDir } from '../support/screenshot-dir.js';
import { launchChromium, watchPage } from '../support/browser.js';

const DOCS = screenshotDir();
const ZONE = 'Europe/Paris';

type Row = Record<string, unknown>;
type Json = Row[] | { pie: Array<{ label: string; total: number }>; series: Array<{ label: string; points: Array<{ t: string; value: number }> }> };

/** What a chart of `kind` must hold, from its endpoint's JSON: its labels and each dataset's numbers. */
function expected(kind: string, json: Json): { labels?: unknown[]; data: unknown[][] } {
  const rows = json as Row[];
  const column = (name: string) => rows.map((row) => row[name]);
  // The zone fix: instants are labelled with their local date and time in the module's zone.
  const local = (t: unknown) => DateTime.fromISO(String(t), { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm').replace(/ 00:00$/, '');
  switch (kind) {
    case 'active-users':
      return { labels: column('date'), data: [column('dau'), column('wau'), column('mau')] };
    case 'stickiness':
      return { labels: column('date'), data: [column('stickiness')] };
    case 'timeline':
      return { labels: rows.map((row) => local(row.t)), data: 'count' in (rows[0] ?? {}) ? [column('count'), column('average')] : [column('value')] };
    case 'sparkline':
      return { labels: rows.map((row) => local(row.t)), data: [column('p95')] };
    case 'response-times':
      return { labels: column('view'), data: [column('average'), column('p95')] };
    case 'axis-pie': {
      const { pie } = json as Exclude<Json, Row[]>;
      return { labels: pie.map((slice) => slice.label), data: [pie.map((slice) => slice.total)] };
    }
    case 'axis-series': {
      const { series } = json as Exclude<Json, Row[]>;
      return { labels: series[0]?.points.map((point) => local(point.t)) ?? [], data: series.map((s) => s.points.map((point) => point.value)) };
    }
    case 'analytics-active-users':
      return { labels: column('date'), data: [column('dau'), column('wau'), column('mau')] };
    case 'analytics-stickiness-ratio':
      return { labels: column('date'), data: [column('stickiness')] };
    case 'analytics-lifecycle':
      return { labels: column('start'), data: [column('new'), column('returning'), column('resurrecting'), rows.map((row) => -(row.dormant as number))] };
    case 'analytics-stickiness': {
      const days = Object.keys(rows[0] ?? {}).filter((key) => /^\d+d$/.test(key));
      return { labels: days, data: rows.map((row) => days.map((day) => row[day])) };
    }
    default:
      throw new Error(`no expectation for chart ${kind}`);
  }
}

/** Whether a JSON answer holds any number but 0 to draw (else the chart says it is empty). */
function hasNumbers(json: unknown): boolean {
  if (typeof json === 'number') return json !== 0;
  if (Array.isArray(json)) return json.some(hasNumbers);
  if (json && typeof json === 'object') return Object.entries(json).some(([key, value]) => key !== 'total' && key !== 'others' && hasNumbers(value)) || hasNumbers((json as { total?: unknown }).total);
  return false;
}

interface DrawnChart {
  kind: string;
  src: string;
  state: string | null;
  error: string | null;
  labels: unknown[];
  data: unknown[][];
  names: string[];
  colours: unknown[];
}

describe('every dashboard page of the seeded sample app in a browser (Chromium)', () => {
  const database = join(tmpdir(), `souvenirs-sample-browser-${process.pid}.sqlite`);
  let app: INestApplication;
  let url: string;
  let browser: Browser;
  let metricas: string[];

  beforeAll(async () => {
    // The sample app as `npm run demo` runs it (SQLite + memory store, Paris), on its own database file.
    process.env.SOUVENIRS_DEMO_DB = database;
    process.env.TZ_DEMO = ZONE;
    const { AppModule } = await import('../../sample-app/app.module.js');
    const { seedDemo } = await import('../../sample-app/seed.js');
    const { seedMetricas } = await import('../../sample-app/seed-metricas.js');
    app = await NestFactory.create(AppModule, { logger: ['error'] });
    await seedDemo(app);
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    await seedMetricas(app);
    for (const path of ['/usage/active', '/usage/monthly', '/usage/daily']) await fetch(url + path).then((response) => response.text());
    await app.get(MetricaRegistry).flush();
    metricas = ((await (await fetch(`${url}/souvenirs/api/metricas`)).json()) as Array<{ name: string }>).map((metrica) => metrica.name);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    rmSync(database, { force: true });
  });

  it('has a page per metrica to open: orders and response_time', () => {
    expect(metricas).toEqual(expect.arrayContaining(['orders', 'response_time']));
  });

  const pages = () => [
    ['overview', '/souvenirs'],
    ['analytics', '/souvenirs/analytics?period=week&mode=classic'],
    ...metricas.map((name) => [`metrica-${name}`, `/souvenirs/metricas/${encodeURIComponent(name)}`]),
  ];

  it('draws every chart of every page with its endpoint numbers, local labels, one colour per value, CSV beside each; no console error, no request off the host', async () => {
    for (const [name, path] of pages()) {
      const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
      const { errors, offHost } = await watchPage(page, url);
      try {
        const response = await page.goto(url + path);
        expect({ name, status: response?.status() }).toEqual({ name, status: 200 });
        // Browser-side code as strings: the project compiles without the DOM types.
        await page.waitForFunction(
          `[...document.querySelectorAll('canvas[data-chart]')].every((c) => c.hasAttribute('data-ready') || c.hasAttribute('data-error'))`,
          undefined,
          { timeout: 15_000 },
        );
        const charts = await page.evaluate<DrawnChart[]>(
          `[...document.querySelectorAll('canvas[data-chart]')].map((c) => {
             const chart = Chart.getChart(c);
             const sets = chart ? chart.data.datasets : [];
             return { kind: c.getAttribute('data-chart'), src: c.getAttribute('data-src'), error: c.getAttribute('data-error'),
               state: (c.closest('figure') || c.parentNode).getAttribute('data-state'),
               labels: chart ? chart.data.labels : [], data: sets.map((d) => d.data), names: sets.map((d) => d.label),
               colours: sets.map((d) => d.type === 'pie' || chart.config.type === 'pie' ? d.backgroundColor : d.borderColor) };
           })`,
        );
        expect({ name, charts: charts.length > 0 }).toEqual({ name, charts: true });
        for (const chart of charts) {
          expect({ name, kind: chart.kind, error: chart.error }).toEqual({ name, kind: chart.kind, error: null });
          const json = (await (await fetch(new URL(chart.src, url))).json()) as Json;
          // A chart says it is empty exactly when its endpoint has nothing but zeros to draw.
          expect({ src: chart.src, state: chart.state }).toEqual({ src: chart.src, state: hasNumbers(json) ? 'ready' : 'empty' });
          if (chart.state === 'empty') continue;
          const want = expected(chart.kind, json);
          expect({ src: chart.src, labels: chart.labels, data: chart.data }).toEqual({ src: chart.src, labels: want.labels, data: want.data });
        }
        // One colour per axis value: the pie and the series chart of an axis agree on every value they share.
        const pies = charts.filter((chart) => chart.kind === 'axis-pie');
        for (const pie of pies) {
          const series = charts.find((chart) => chart.kind === 'axis-series' && chart.src === pie.src)!;
          const pieColour = new Map(pie.labels.map((label, i) => [label, (pie.colours[0] as string[])[i]]));
          expect(new Set(pie.colours[0] as string[]).size).toBe(pie.labels.length);
          series.names.forEach((label, i) => expect({ label, colour: series.colours[i] }).toEqual({ label, colour: pieColour.get(label) }));
        }
        // Every chart and table has its JSON and its CSV: each CSV link answers CSV.
        const links = await page.evaluate<{ figures: number; csv: string[]; json: number }>(
          `({ figures: document.querySelectorAll('figure.chart').length,
              csv: [...document.querySelectorAll('a[download]')].map((a) => a.getAttribute('href')),
              json: [...document.querySelectorAll('a.json')].filter((a) => a.textContent === 'JSON').length })`,
        );
        expect(links.csv.length).toBe(links.json);
        expect(links.csv.length).toBeGreaterThanOrEqual(links.figures);
        for (const href of new Set(links.csv)) {
          const csv = await fetch(new URL(href, url));
          expect({ href, status: csv.status, type: csv.headers.get('content-type') }).toEqual({ href, status: 200, type: 'text/csv; charset=utf-8' });
          expect((await csv.text()).split('\n')[0]).not.toBe('');
        }
        expect({ name, errors, offHost }).toEqual({ name, errors: [], offHost: [] });
        await page.screenshot({ path: `${DOCS}dashboard-sample-${name}.png`, fullPage: true });
      } finally {
        await page.close();
      }
    }
  }, 120_000);
});
