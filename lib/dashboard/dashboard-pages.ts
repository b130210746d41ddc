import type { MetricaSummary, MonthlyUsageRow, ResponseTimeRow } from './dashboard-data.interface.js';
import { DateTime } from 'luxon';
import { USAGE_COUNT_COLUMNS, usageReport } from '../reports/usage-report-descriptions.js';
import { chart, dashboardUrl, dataLinks, escapeHtml, page, table } from './dashboard-html.js';

/** What the overview page shows. @internal */
export interface OverviewModel {
  base: string;
  timeZone: string;
  days: number;
  monthly: MonthlyUsageRow[];
  metricas: MetricaSummary[];
  responseTimes: ResponseTimeRow[];
}

const round = (value: number | null) => (value === null ? '' : Math.round(value * 10) / 10);

/** Routes whose percentiles over time get a chart on the overview (the slowest). */
const MAX_PERCENTILE_CHARTS = 10;

/** The overview: active users, the monthly usage table, response times, each metrica's timeline. @internal */
export function renderOverview(model: OverviewModel): string {
  const { base } = model;
  const api = (path: string, query?: Record<string, string | number | undefined>) => dashboardUrl(base, `api/${path}`, query);
  // The calendar report's label column and counts, as show-usage --calendar names them.
  const monthly = table(
    [usageReport('calendar').labelColumn![0], ...USAGE_COUNT_COLUMNS],
    [...model.monthly].reverse().map((row) => [row.month, row.registeredUsers ?? '-', row.activatedUsers ?? '-', row.activeUsers]),
  );
  const responseTimes = table(
    ['view', 'requests', 'average ms', 'p50 ms', 'p95 ms', 'p99 ms', 'requests today', 'average ms today'],
    model.responseTimes.map((row) => [
      row.view,
      row.count,
      round(row.average),
      round(row.p50),
      round(row.p95),
      round(row.p99),
      row.todayCount,
      round(row.todayAverage),
    ]),
  );
  // Each route's percentiles over time, slowest p95 first (rows come sorted), at most 10 charts.
  const percentileCharts = model.responseTimes
    .filter((row) => row.p95 !== null)
    .slice(0, MAX_PERCENTILE_CHARTS)
    .map((row) => chart('percentiles', api('response-times/percentiles', { view: row.view }), `${row.view}: p50, p95, p99 (ms), last 30 days`))
    .join('\n');
  const metricas = model.metricas
    .map(
      (metrica) =>
        `<h3><a href="${escapeHtml(dashboardUrl(base, `metricas/${encodeURIComponent(metrica.name)}`))}">${escapeHtml(metrica.name)}</a>` +
        ` <small>total ${escapeHtml(metrica.total)}${metrica.axes.length ? `, axes ${escapeHtml(metrica.axes.join(', '))}` : ''}</small></h3>` +
        chart('timeline', api(`metricas/${encodeURIComponent(metrica.name)}/timeline`), `${metrica.name} over 30 days`),
    )
    .join('\n');
  const body = `<p>Times are in ${escapeHtml(model.timeZone)}.</p>
<h2>Active users</h2>
<div class="grid">${chart('active-users', api('active-users', { days: model.days }), `DAU, WAU and MAU, last ${model.days} days`)}
${chart('stickiness', api('active-users', { days: model.days }), 'Stickiness (DAU / MAU)')}</div>
<h2>Monthly usage ${dataLinks(api('usage/monthly'))}</h2>
${monthly}
<h2>Response times ${dataLinks(api('response-times'))}</h2>
${chart('response-times', api('response-times'), 'Average and p95 response time per view (ms)')}
${responseTimes}
${percentileCharts ? `<div class="grid">${percentileCharts}</div>` : ''}
<h2>Metricas ${dataLinks(api('metricas'))}</h2>
${metricas || '<p>No metrica is defined.</p>'}`;
  return page(base, 'Souvenirs dashboard', body, model.timeZone);
}

/** What a metrica's page shows: its timeline and, per axis, a pie and a time series, over the range asked for. @internal */
export interface MetricaPageModel {
  base: string;
  metrica: MetricaSummary;
  /** The module's zone: the pickers show local dates. */
  timeZone: string;
  scale?: string;
  since?: string;
  until?: string;
}

/** A metrica's page, with scale and range controls (a GET form: the query parameters). @internal */
export function renderMetrica(model: MetricaPageModel): string {
  const { base, metrica } = model;
  const name = encodeURIComponent(metrica.name);
  const range = { scale: model.scale, since: model.since, until: model.until };
  // The pickers show the local date the range starts and ends on, as they were typed.
  const localDate = (iso?: string) => (iso === undefined ? '' : DateTime.fromISO(iso, { zone: model.timeZone }).toISODate() ?? '');
  const scales = ['', ...metrica.scales]
    .map((scale) => `<option value="${escapeHtml(scale)}"${scale === (model.scale ?? '') ? ' selected' : ''}>${escapeHtml(scale || 'auto')}</option>`)
    .join('');
  const form = `<form method="get">
<label>scale <select name="scale">${scales}</select></label>
<label>since <input type="date" name="since" value="${escapeHtml(localDate(model.since))}"></label>
<label>until <input type="date" name="until" value="${escapeHtml(localDate(model.until))}"></label>
<button type="submit">Show</button></form>`;
  const axes = metrica.axes
    .map((axis) => {
      const src = dashboardUrl(base, `api/metricas/${name}/axes/${encodeURIComponent(axis)}`, range);
      return `<h2>By ${escapeHtml(axis)}</h2><div class="grid">${chart('axis-pie', src, `${metrica.name} by ${axis}, all time`)}
${chart('axis-series', src, `${metrica.name} by ${axis} over time`)}</div>`;
    })
    .join('\n');
  const body = `${form}
<p>${
    // An averaged metrica (response_time: milliseconds) is told in events and averages: its sum is no answer.
    metrica.count === null
      ? `Total ${escapeHtml(metrica.total)}.`
      : `${escapeHtml(metrica.count)} events, average ${escapeHtml(round(metrica.count === 0 ? null : metrica.total / metrica.count))}. Pies and series below count events.`
  }</p>
${chart('timeline', dashboardUrl(base, `api/metricas/${name}/timeline`, range), `${metrica.name} over time`)}
${axes}`;
  return page(base, `Metrica ${metrica.name}`, body, model.timeZone);
}
