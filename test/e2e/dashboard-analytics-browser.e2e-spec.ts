import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { Souvenir } from '../../lib/table/souvenir.entity.js';
import { SouvenirsModule } from '../../lib/souvenirs.module.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { dashboardOptions, NOW, startDashboardApp, type RunningDashboardApp } from './dashboard/dashboard-app.js';
import { screenshotDir } from '../support/screenshot-dir.js';
import { launchChromium, watchPage } from '../support/browser.js';

const DOCS = screenshotDir();
const DAY = 86_400_000;

describe('dashboard Analytics page in a browser (Chromium)', () => {
  let database: TestDatabase;
  let running: RunningDashboardApp;
  let browser: Browser;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    running = await startDashboardApp(database.options, SouvenirsModule.forRoot({ ...dashboardOptions({ public: true }), timeZone: 'Europe/Paris' }));
    // 60 days of weekly-rhythm activity from decaying cohorts: user u of cohort c comes back on
    // about one weekday in (1 + u % 4), and cohorts thin out with age.
    const rows: { userId: string; when: Date }[] = [];
    for (let day = 60; day >= 0; day--) {
      const when = new Date(NOW.getTime() - day * DAY - 3 * 3_600_000);
      const weekday = new Date(when).getUTCDay();
      for (let cohort = 0; cohort < 9; cohort++) {
        if (day > 60 - cohort * 7) continue;
        for (let user = 0; user < 12 - cohort; user++) {
          const age = 60 - cohort * 7 - day;
          if ((user + day) % (1 + (user % 4)) === 0 && weekday !== 0 && user < 12 - Math.floor(age / 10)) rows.push({ userId: `c${cohort}u${user}`, when });
        }
      }
    }
    await database.dataSource.getRepository(Souvenir).insert(rows);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await running?.app.close();
    await database?.drop();
  });

  it('draws each chart with the numbers of its JSON endpoint, the heat map, no console error, no request off the host', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1800 } });
    const { errors, offHost } = await watchPage(page, running.url);
    try {
      const response = await page.goto(`${running.url}/souvenirs/analytics?period=week&mode=classic`);
      expect(response?.status()).toBe(200);
      await page.waitForFunction(
        `[...document.querySelectorAll('canvas[data-chart]')].length === 4 &&
         [...document.querySelectorAll('canvas[data-chart]')].every((c) => c.hasAttribute('data-ready') || c.hasAttribute('data-error'))`,
        undefined,
        { timeout: 15_000 },
      );
      // What Chart.js holds for each chart, next to what its endpoint answers (browser code as strings).
      const charts = await page.evaluate<Array<{ kind: string; src: string; error: string | null; labels: unknown[]; data: unknown[][] }>>(
        `[...document.querySelectorAll('canvas[data-chart]')].map((c) => {
           const chart = Chart.getChart(c);
           return { kind: c.getAttribute('data-chart'), src: c.getAttribute('data-src'), error: c.getAttribute('data-error'),
             labels: chart ? chart.data.labels : [], data: chart ? chart.data.datasets.map((d) => d.data) : [] };
         })`,
      );
      for (const chart of charts) {
        expect({ kind: chart.kind, error: chart.error }).toEqual({ kind: chart.kind, error: null });
        const rows = (await (await fetch(new URL(chart.src, running.url))).json()) as Record<string, number | string | null>[];
        expect(rows.length).toBeGreaterThan(0);
        const column = (name: string, sign = 1) => rows.map((row) => (typeof row[name] === 'number' ? sign * (row[name] as number) : row[name]));
        const expected: Record<string, { labels: unknown[]; data: unknown[][] }> = {
          'analytics-active-users': { labels: column('date'), data: ['dau', 'wau', 'mau'].map((name) => column(name)) },
          'analytics-stickiness-ratio': { labels: column('date'), data: [column('stickiness')] },
          'analytics-lifecycle': { labels: column('start'), data: [column('new'), column('returning'), column('resurrecting'), column('dormant', -1)] },
          'analytics-stickiness': {
            labels: Object.keys(rows[0]).filter((key) => /^\d+d$/.test(key)),
            data: rows.map((row) => Object.keys(rows[0]).filter((key) => /^\d+d$/.test(key)).map((key) => row[key])),
          },
        };
        expect({ kind: chart.kind, labels: chart.labels, data: chart.data }).toEqual({ kind: chart.kind, ...expected[chart.kind] });
      }
      const heat = await page.evaluate<number>(`document.querySelectorAll('table.retention tbody tr').length`);
      expect(heat).toBeGreaterThan(0);
      expect(errors).toEqual([]);
      expect(offHost).toEqual([]);
      await page.screenshot({ path: `${DOCS}dashboard-analytics.png`, fullPage: true });
    } finally {
      await page.close();
    }
  }, 60_000);
});
