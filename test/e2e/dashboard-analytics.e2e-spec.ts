import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ActivityService } from '../../lib/activity/activity.service.js';
import { ReportsService } from '../../lib/reports/reports.service.js';
import { SouvenirsModule } from '../../lib/souvenirs.module.js';
import { csvField } from '../../lib/shared/report-output.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { AdminHeaderGuard, dashboardOptions, startDashboardApp, type RunningDashboardApp } from './dashboard/dashboard-app.js';
import { get } from './dashboard/http-get.js';

describe('dashboard Analytics page (Express, SQLite, memory store)', () => {
  let database: TestDatabase;
  let running: RunningDashboardApp;
  const admin = { 'x-admin': 'yes' };
  const api = (path: string) => get(`${running.url}/souvenirs/${path}`, admin);

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    // Europe/Paris: local dates are not UTC dates (a visit at 23:30 UTC is the next Paris day).
    const options = { ...dashboardOptions({ guard: AdminHeaderGuard }), timeZone: 'Europe/Paris' };
    running = await startDashboardApp(database.options, SouvenirsModule.forRoot(options));
    const activity = running.app.get(ActivityService);
    const seen: Array<[string, string]> = [
      ['a', '2026-03-01T10:00:00Z'], ['b', '2026-03-02T23:30:00Z'], ['a', '2026-03-09T10:00:00Z'],
      ['c', '2026-03-10T10:00:00Z'], ['b', '2026-03-14T10:00:00Z'], ['a', '2026-03-15T10:00:00Z'],
    ];
    for (const [user, when] of seen) await activity.souvenez(user, { when: new Date(when), ratelimit: false });
  });
  afterAll(async () => {
    await running?.app.close();
    await database?.drop();
  });

  it('is behind the dashboard guard, page and endpoints alike', async () => {
    for (const path of ['analytics', 'api/analytics/retention', 'api/analytics/lifecycle/csv']) {
      expect({ path, status: (await get(`${running.url}/souvenirs/${path}`)).status }).toEqual({ path, status: 403 });
    }
  });

  it('answers each report as JSON keyed by column, with local dates, and the same rows as CSV', async () => {
    const reports = running.app.get(ReportsService);
    const lifecycle = await api('api/analytics/lifecycle?start=2026-03-02&end=2026-03-16&period=week');
    expect(lifecycle.status).toBe(200);
    const expected = await reports.lifecycle({ start: new Date('2026-03-01T23:00:00Z'), end: new Date('2026-03-15T23:00:00Z'), period: 'week' });
    expect(lifecycle.json()).toEqual(
      expected.map((row, i) => ({
        start: ['2026-03-02', '2026-03-09'][i], end: ['2026-03-09', '2026-03-16'][i],
        new: row.new, returning: row.returning, resurrecting: row.resurrecting, dormant: row.dormant,
        // The clock says Sunday 2026-03-15 12:00 UTC: the week of 03-09 (Paris) is not over.
        inProgress: i === 1,
      })),
    );
    const csv = await fetch(`${running.url}/souvenirs/api/analytics/lifecycle/csv?start=2026-03-02&end=2026-03-16&period=week`, { headers: admin });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="lifecycle.csv"');
    const rows = (lifecycle.json() as Record<string, unknown>[]).map(({ inProgress: _, ...row }) => row);
    expect(await csv.text()).toBe(['start,end,new,returning,resurrecting,dormant', ...rows.map((row) => Object.values(row).join(','))].join('\n') + '\n');
  });

  it('flags the rows whose period holds now in every report, and hatches those cells of the heat map', async () => {
    for (const [report, inProgress] of [
      ['active-users?start=2026-03-13&end=2026-03-16', [false, false, true]],
      ['stickiness?start=2026-03-02&period=week', [false, true]],
      ['retention?start=2026-03-02&period=week', [false, true]],
      ['lifecycle?start=2026-03-02&end=2026-03-09&period=week', [false]],
    ] as const) {
      const rows = (await api(`api/analytics/${report}`)).json() as Array<{ inProgress: boolean }>;
      expect({ report, inProgress: rows.map((row) => row.inProgress) }).toEqual({ report, inProgress });
    }
    // Retention by week: the current week is cell +1 of the 03-02 cohort and +0 of the 03-09 one.
    const page = (await api('analytics?period=week')).body;
    const marked = [...page.matchAll(/<tr><td>([\d-]+)<\/td>(.*?)<\/tr>/g)].flatMap(([, cohort, cells]) =>
      [...cells.matchAll(/<td[^>]*?>/g)].flatMap((cell, c) => (cell[0].includes('data-in-progress') ? [`${cohort} +${c - 1}`] : [])),
    );
    expect(marked.slice(-2)).toEqual(['2026-03-02 +1', '2026-03-09 +0']);
  });

  it('answers ?format=csv with the CSV download, as every dashboard endpoint does, and keeps the /csv address', async () => {
    for (const report of ['active-users', 'retention', 'lifecycle', 'stickiness']) {
      const query = 'start=2026-03-02&end=2026-03-16';
      const viaQuery = await api(`api/analytics/${report}?${query}&format=csv`);
      expect({ report, status: viaQuery.status, type: viaQuery.contentType }).toEqual({ report, status: 200, type: 'text/csv; charset=utf-8' });
      const json = (await api(`api/analytics/${report}?${query}`)).json() as Record<string, unknown>[];
      // `inProgress` is the JSON's own: the CSV keeps the report's columns.
      const headers = Object.keys(json[0]).filter((key) => key !== 'inProgress');
      // Headers such as retention's `+0` are neutralised like any cell (OWASP).
      const line = (cells: Array<string | number | null>) => cells.map((cell) => csvField(cell)).join(',');
      expect(viaQuery.body).toBe([line(headers), ...json.map((row) => line(headers.map((h) => (row[h] ?? null) as string | number | null)))].join('\n') + '\n');
      expect((await api(`api/analytics/${report}/csv?${query}`)).body).toBe(viaQuery.body);
    }
    const download = await fetch(`${running.url}/souvenirs/api/analytics/retention?format=csv`, { headers: admin });
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="retention.csv"');
  });

  it('answers numbers in its JSON: retention shares are fractions of the cohort, not formatted percentages', async () => {
    const reports = running.app.get(ReportsService);
    const start = new Date('2026-03-01T23:00:00Z');
    const end = new Date('2026-03-15T23:00:00Z');
    const cohorts = await reports.retention({ start, end, period: 'week' });
    const shares = (await api('api/analytics/retention?start=2026-03-02&end=2026-03-16&period=week')).json() as Record<string, unknown>[];
    expect(shares).toEqual(
      cohorts.map(({ size, retained }, i) => ({
        cohort: ['2026-03-02', '2026-03-09'][i],
        size,
        ...Object.fromEntries(Array.from({ length: cohorts[0].retained.length }, (_, k) => [`+${k}`, k >= retained.length || size === 0 ? null : Math.round((retained[k] / size) * 1000) / 1000])),
        inProgress: i === 1,
      })),
    );
    expect(shares[0]['+0']).toBe(1);
    const counts = (await api('api/analytics/retention?start=2026-03-02&end=2026-03-16&period=week&counts=true')).json() as Record<string, unknown>[];
    expect(counts.map((row) => row['+0'])).toEqual(cohorts.map((cohort) => cohort.size));
    for (const report of ['active-users', 'lifecycle', 'stickiness']) {
      const rows = (await api(`api/analytics/${report}?start=2026-03-02&end=2026-03-16`)).json() as Record<string, unknown>[];
      const figures = rows.flatMap((row) => Object.entries(row).filter(([key]) => !['date', 'start', 'end', 'inProgress'].includes(key)).map(([, value]) => value));
      expect({ report, strings: figures.filter((value) => typeof value === 'string') }).toEqual({ report, strings: [] });
    }
  });

  it("reads dates in the module's zone: b's visit at 23:30 UTC on 2 March counts on the Paris 3 March", async () => {
    const days = (await api('api/analytics/active-users?start=2026-03-02&end=2026-03-04')).json() as { date: string; dau: number }[];
    expect(days.map(({ date, dau }) => [date, dau])).toEqual([['2026-03-02', 0], ['2026-03-03', 1]]);
  });

  it('draws a retention heat map, charts with JSON and CSV links, and a period and mode picker', async () => {
    const page = await api('analytics?period=week&mode=unbounded');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<table class="retention"');
    expect(page.body).toMatch(/<td style="background-color:rgba\(33,102,172,1\.00\);[^"]*">100\.0%<\/td>/);
    for (const kind of ['analytics-active-users', 'analytics-stickiness-ratio', 'analytics-lifecycle', 'analytics-stickiness']) {
      expect(page.body).toContain(`data-chart="${kind}"`);
    }
    // Its downloads use ?format=csv, as every dashboard endpoint answers.
    expect(page.body).toContain('/souvenirs/api/analytics/lifecycle?period=week&amp;format=csv');
    expect(page.body).toContain('<option value="unbounded" selected>');
  });

  it('answers 400 for a bad period or date and 404 for an unknown report', async () => {
    expect((await api('api/analytics/stickiness?period=day')).status).toBe(400);
    expect((await api('api/analytics/retention?start=yesterday')).status).toBe(400);
    expect((await api('api/analytics/active-users?start=2000-01-01&end=2026-01-01')).status).toBe(400);
    expect((await api('api/analytics/funnels')).status).toBe(404);
  });
});
