import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ActivityService } from '../../lib/activity/activity.service.js';
import { MetricaRegistry } from '../../lib/metricas/metrica.registry.js';
import { StoredChoiceAxis } from '../../lib/metricas/axes/stored-choice-axis.js';
import { SouvenirsModule } from '../../lib/souvenirs.module.js';
import { RESPONSE_TIME_METRICA } from '../../lib/tracking/tracking.constants.js';
import type { AxisBreakdown, PeriodComparison, TimelinePoint } from '../../lib/dashboard/dashboard-data.interface.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { dashboardOptions, NOW, startDashboardApp, type RunningDashboardApp } from './dashboard/dashboard-app.js';
import { get } from './dashboard/http-get.js';

const DAY = 86_400_000;

describe('dashboard breakdowns and comparison: others, events without a value, the previous period (Express, SQLite, memory store)', () => {
  let database: TestDatabase;
  let running: RunningDashboardApp;
  const api = <T>(path: string) => get(`${running.url}/souvenirs/api/${path}`).then((answer) => answer.json<T>());

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    const options = dashboardOptions({ public: true });
    // `pages`: 13 values, so 3 fall beyond the 10 series drawn; some kicks carry no page at all.
    options.metricas = [...(options.metricas ?? []), { name: 'views', axes: { page: new StoredChoiceAxis({ maxChoices: 50 }) } }];
    running = await startDashboardApp(database.options, SouvenirsModule.forRoot(options));
    const registry = running.app.get(MetricaRegistry);
    const views = registry.get('views');
    const yesterday = new Date(NOW.getTime() - DAY);
    for (let page = 0; page < 13; page++) {
      for (let n = 0; n <= page; n++) await views.kick({ page: `p${page}` }, { date: n % 2 ? NOW : yesterday });
    }
    for (let n = 0; n < 4; n++) await views.kick({}, { date: NOW });
    const responseTime = registry.get(RESPONSE_TIME_METRICA);
    for (let n = 0; n < 6; n++) await responseTime.kick({ view: 'A.ok', status: '2xx' }, { value: 10, date: NOW });
    await responseTime.kick({ view: 'A.boom', exception: 'BoomError', status: '5xx' }, { value: 2, date: NOW });
    // The previous 7 days: 3 requests of 40 ms.
    for (let n = 0; n < 3; n++) await responseTime.kick({ view: 'A.ok', status: '2xx' }, { value: 40, date: new Date(NOW.getTime() - 8 * DAY) });
    await registry.flush();
    const activity = running.app.get(ActivityService);
    for (const [user, daysAgo] of [['a', 0], ['b', 1], ['a', 8], ['c', 9], ['d', 10]] as const) {
      await activity.souvenez(user, { when: new Date(NOW.getTime() - daysAgo * DAY), ratelimit: false });
    }
  });
  afterAll(async () => {
    await running?.app.close();
    await database?.drop();
  });

  it('puts requests without an exception in the exception pie, and in a series, so slices and series add up to every request', async () => {
    const breakdown = await api<AxisBreakdown>(`metricas/${RESPONSE_TIME_METRICA}/axes/exception?scale=day&since=2026-03-14&until=2026-03-16`);
    expect(breakdown.pie).toEqual([
      { label: 'BoomError', total: 1 },
      // All time: 6 requests today and 3 a week earlier threw nothing.
      { label: '(no exception)', total: 9, none: true },
    ]);
    expect(breakdown.series.map(({ label, none, points }) => ({ label, none, values: points.map((point) => point.value) }))).toEqual([
      { label: 'BoomError', none: undefined, values: [0, 1] },
      { label: '(no exception)', none: true, values: [0, 6] },
    ]);
  });

  it('draws the 10 largest values and says what the others hold together, so the series add up to the timeline', async () => {
    const range = 'scale=day&since=2026-03-14&until=2026-03-16';
    const breakdown = await api<AxisBreakdown>(`metricas/views/axes/page?${range}`);
    const timeline = await api<TimelinePoint[]>(`metricas/views/timeline?${range}`);
    expect(breakdown.series.map((series) => series.label)).toEqual([
      'p12', 'p11', 'p10', 'p9', 'p8', 'p7', 'p6', 'p5', 'p4', 'p3', 'others (3 values)', '(no page)',
    ]);
    const others = breakdown.series.find((series) => series.others !== undefined)!;
    expect(others.others).toBe(3);
    // p0 (1 view yesterday), p1 (1 + 1), p2 (2 + 1).
    expect(others.points.map((point) => point.value)).toEqual([4, 2]);
    expect(breakdown.series.find((series) => series.none)!.points.map((point) => point.value)).toEqual([0, 4]);
    const sums = timeline.map((_, i) => breakdown.series.reduce((sum, series) => sum + series.points[i].value, 0));
    expect(sums).toEqual(timeline.map((point) => point.value));
    expect(breakdown.pie.at(-1)).toEqual({ label: '(no page)', total: 4, none: true });
    // Its CSV has a row for the others (no total of their own: the pie lists them one by one).
    const csv = (await get(`${running.url}/souvenirs/api/metricas/views/axes/page?${range}&format=csv`)).body.split('\n');
    expect(csv).toContain('others (3 values),,4,2');
    expect(csv).toContain('(no page),4,0,4');
  });

  it('compares the picked local days with as many days just before, in requests and milliseconds for response_time', async () => {
    const comparison = await api<PeriodComparison>('comparison?from=2026-03-09&to=2026-03-15');
    expect(comparison.current).toEqual({ from: '2026-03-09', to: '2026-03-15', start: '2026-03-09T00:00:00.000Z', end: '2026-03-16T00:00:00.000Z', inProgress: true });
    expect(comparison.previous).toEqual({ from: '2026-03-02', to: '2026-03-08', start: '2026-03-02T00:00:00.000Z', end: '2026-03-09T00:00:00.000Z', inProgress: false });
    expect(comparison.activeUsers).toEqual({ current: 2, previous: 3 });
    expect(comparison.metricas.find((metrica) => metrica.name === RESPONSE_TIME_METRICA)).toEqual({
      name: RESPONSE_TIME_METRICA,
      averaged: true,
      current: { total: 62, count: 7, average: 62 / 7 },
      previous: { total: 120, count: 3, average: 40 },
    });
    expect(comparison.metricas.find((metrica) => metrica.name === 'views')).toEqual({
      name: 'views', averaged: false, current: { total: 95, count: null, average: null }, previous: { total: 0, count: null, average: null },
    });
    // Its CSV: one row per figure, the range and the one before as columns.
    const csv = (await get(`${running.url}/souvenirs/api/comparison?from=2026-03-09&to=2026-03-15&format=csv`)).body.split('\n');
    expect(csv[0]).toBe('measure,2026-03-09..2026-03-15,2026-03-02..2026-03-08');
    expect(csv).toEqual(expect.arrayContaining(['active users,2,3', 'response_time events,7,3', 'response_time average,8.857142857142858,40', 'views,95,0']));
    // The default: the last 90 days ending today.
    const fallback = await api<PeriodComparison>('comparison');
    expect([fallback.current.from, fallback.current.to, fallback.previous.from]).toEqual(['2025-12-16', '2026-03-15', '2025-09-17']);
  });

  it.each([
    ['comparison?from=2026-03-15&to=2026-03-01', /`to` \(2026-03-01\) is before `from` \(2026-03-15\)/],
    ['comparison?from=2020-01-01&to=2026-03-15', /longer than 730 days/],
    ['active-users?from=15/03/2026', /`from` must be a local date such as 2026-01-31/],
    ['active-users?to=2026-02-30', /`to` must be a local date/],
  ])('answers 400 with a message to %s', async (path, message) => {
    const answer = await get(`${running.url}/souvenirs/api/${path}`);
    expect(answer.status).toBe(400);
    expect(answer.json<{ message: string }>().message).toMatch(message);
  });

  it('shows the range picker and the comparison on the overview, for the range asked', async () => {
    const { body } = await get(`${running.url}/souvenirs?from=2026-03-09&to=2026-03-15`);
    expect(body).toContain('<input type="date" name="from" value="2026-03-09"');
    expect(body).toContain('<input type="date" name="to" value="2026-03-15"');
    expect(body).toContain('data-src="/souvenirs/api/comparison?from=2026-03-09&amp;to=2026-03-15"');
    expect(body).toContain('data-src="/souvenirs/api/active-users?from=2026-03-09&amp;to=2026-03-15"');
    expect(body).toContain('data-src="/souvenirs/api/metricas/views/timeline?since=2026-03-09&amp;until=2026-03-16"');
  });
});
