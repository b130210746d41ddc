import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { ActivityService } from '../../lib/activity/activity.service.js';
import { SouvenirsModule } from '../../lib/souvenirs.module.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { dashboardOptions, startDashboardApp, type RunningDashboardApp } from './dashboard/dashboard-app.js';
import { launchChromium, watchPage } from '../support/browser.js';
import { TestSeat } from '../support/test-seat.entity.js';

// NOW is 2026-03-15 12:00 UTC: this month is March 2026, the last February.
const HOSTILE = '=1+2<img src=x onerror="window.__pwned=1">';
const at = (iso: string) => new Date(`${iso}T10:00:00Z`);
// March: acme a b c, beta a d, the hostile one e. February: beta a b d f, acme a.
const ACTIVITY: [string, string, string][] = [
  ['a', '2026-03-02', 'acme'], ['b', '2026-03-03', 'acme'], ['c', '2026-03-10', 'acme'],
  ['a', '2026-03-04', 'beta'], ['d', '2026-03-11', 'beta'],
  ['e', '2026-03-12', HOSTILE],
  ['a', '2026-02-02', 'beta'], ['b', '2026-02-03', 'beta'], ['d', '2026-02-10', 'beta'], ['f', '2026-02-11', 'beta'],
  ['a', '2026-02-12', 'acme'],
];

describe('dashboard Customers page and tenant picker in a browser (Chromium)', () => {
  let database: TestDatabase;
  let running: RunningDashboardApp;
  let browser: Browser;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    running = await startDashboardApp(database.options, SouvenirsModule.forRoot({ ...dashboardOptions({ public: true }) }));
    await running.app.get(ActivityService).backfill(ACTIVITY.map(([user, day, tenant]) => ({ user, when: at(day), tenant })));
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await running?.app.close();
    await database?.drop();
  });

  const tableRows = (page: import('playwright-core').Page) =>
    page.evaluate<string[][]>(`[...document.querySelectorAll('table.customers tbody tr')].map((tr) => [...tr.cells].map((td) => td.textContent))`);

  it('lists every tenant this month and last, sorts by any column, escapes hostile names and downloads the CSV', async () => {
    const page = await browser.newPage();
    const { errors, offHost } = await watchPage(page, running.url);
    try {
      expect((await page.goto(`${running.url}/souvenirs/customers`))?.status()).toBe(200);
      expect(await tableRows(page)).toEqual([
        ['acme', '3', '1'],
        ['beta', '2', '4'],
        [HOSTILE, '1', '0'],
      ]);
      // The hostile name is text: no element made of it, no script run.
      expect(await page.evaluate('document.querySelectorAll("table.customers img").length')).toBe(0);
      expect(await page.evaluate('window.__pwned')).toBeUndefined();

      await page.click('th a[data-sort="lastMonth"]');
      expect(await tableRows(page)).toEqual([
        ['beta', '2', '4'],
        ['acme', '3', '1'],
        [HOSTILE, '1', '0'],
      ]);
      await page.click('th a[data-sort="lastMonth"]');
      expect((await tableRows(page)).map(([tenant]) => tenant)).toEqual([HOSTILE, 'acme', 'beta']);
      await page.click('th a[data-sort="tenant"]');
      expect((await tableRows(page)).map(([tenant]) => tenant)).toEqual([HOSTILE, 'acme', 'beta'].sort());

      // The CSV beside the table: the same rows, the formula-looking name neutralised.
      const csvHref = await page.getAttribute('a[download]', 'href');
      const csv = await (await fetch(new URL(csvHref!, `${running.url}/souvenirs/`))).text();
      expect(csv.split('\n')[0]).toBe('tenant,thisMonth,lastMonth');
      expect(csv).toContain(`"'${HOSTILE.replaceAll('"', '""')}",1,0`);
      expect(errors).toEqual([]);
      expect(offHost).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('the picker scopes the overview and the Analytics page to one tenant, links and data included', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
    const { errors } = await watchPage(page, running.url);
    try {
      await page.goto(`${running.url}/souvenirs`);
      await page.fill('form.tenant-picker input[name="tenant"]', 'beta');
      await page.click('form.tenant-picker button');
      await page.waitForURL(/tenant=beta/);
      expect(await page.textContent('nav .tenant strong')).toBe('beta');
      // The monthly usage table is beta's: 2 active in March, 4 in February.
      const monthly = await page.evaluate<string[][]>(`[...document.querySelectorAll('table.monthly tbody tr')].slice(0, 2).map((tr) => [...tr.cells].map((td) => td.textContent))`);
      expect(monthly.map((cells) => cells.at(-1))).toEqual(['2', '4']);
      // Every user chart reads beta's endpoint, and draws what it answers.
      await page.waitForFunction(`document.querySelector('canvas[data-chart="active-users"]')?.hasAttribute('data-ready')`, undefined, { timeout: 15_000 });
      const src = await page.getAttribute('canvas[data-chart="active-users"]', 'data-src');
      expect(new URL(src!, running.url).searchParams.get('tenant')).toBe('beta');
      const rows = (await (await fetch(new URL(src!, running.url))).json()) as { date: string; mau: number }[];
      // Beta's 30 days to 11 March (from 10 February): d, f and a (b came on 3 February).
      expect(rows.find((row) => row.date === '2026-03-11')?.mau).toBe(3);
      const drawn = await page.evaluate<number[]>(`Chart.getChart(document.querySelector('canvas[data-chart="active-users"]')).data.datasets[2].data`);
      expect(drawn).toEqual(rows.map((row) => row.mau));

      // The Analytics link carries the tenant, and its charts read beta's data.
      await page.click('nav a:has-text("Analytics")');
      await page.waitForURL(/analytics\?tenant=beta/);
      const analyticsSrc = await page.getAttribute('canvas[data-chart="analytics-active-users"]', 'data-src');
      expect(new URL(analyticsSrc!, running.url).searchParams.get('tenant')).toBe('beta');
      // Back to the whole site.
      await page.click('nav a:has-text("all tenants")');
      expect(new URL(page.url()).searchParams.get('tenant')).toBeNull();
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a tenant of the Customers page links to the dashboard scoped to it', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${running.url}/souvenirs/customers`);
      await page.click('table.customers a:text-is("acme")');
      await page.waitForURL(/tenant=acme/);
      const monthly = await page.evaluate<string[]>(`[...document.querySelectorAll('table.monthly tbody tr')].slice(0, 2).map((tr) => tr.cells[tr.cells.length - 1].textContent)`);
      expect(monthly).toEqual(['3', '1']);
    } finally {
      await page.close();
    }
  });
});

describe('dashboard Customers page idle seats, with a users entity', () => {
  let database: TestDatabase;
  let running: RunningDashboardApp;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite', { entities: [TestSeat] });
    running = await startDashboardApp(
      database.options,
      SouvenirsModule.forRoot({ ...dashboardOptions({ public: true }), users: { entity: TestSeat, joinedAt: 'joinedAt', isActive: 'isActive', tenant: 'organisation' } }),
    );
    // Seats 1, 2 of acme and 3 of beta; only seat 1 came since February.
    const seats = database.dataSource.getRepository(TestSeat);
    await seats.insert([1, 2, 3].map((id) => ({ joinedAt: at('2026-01-05'), isActive: true, organisation: id === 3 ? 'beta' : 'acme' })));
    await running.app.get(ActivityService).backfill([{ user: 1, when: at('2026-02-20'), tenant: 'acme' }, { user: 2, when: at('2026-01-20'), tenant: 'acme' }]);
  }, 60_000);
  afterAll(async () => {
    await running?.app.close();
    await database?.drop();
  });

  const idle = async (query: string) => {
    const html = await (await fetch(`${running.url}/souvenirs/customers${query}`)).text();
    return [...html.matchAll(/<li>([^<]*)<\/li>/g)].map((match) => match[1]);
  };

  it('lists the seats idle since the start of last month, site-wide or of the picked tenant', async () => {
    expect(await idle('')).toEqual(['2', '3']);
    expect(await idle('?tenant=acme')).toEqual(['2']);
  });
});
