import { DateTime } from 'luxon';
import type { MetricaSummary, MonthlyUsageRow, ResponseTimeRow } from './dashboard-data.interface.js';
import { USAGE_COUNT_COLUMNS, usageReport } from '../reports/usage-report-descriptions.js';
import { RESPONSE_TIME_METRICA } from '../tracking/tracking.constants.js';
import { chart, dashboardUrl, dataAttributes, dataLinks, escapeHtml, page, tenantField } from './dashboard-html.js';

/** What the overview page shows. @internal */
export interface OverviewModel {
  base: string;
  timeZone: string;
  /** Today's local date, `YYYY-MM-DD`. */
  today: string;
  /** The first local day whose activity is kept (retention), `null`: all is. */
  horizon?: string | null;
  /** The picked range of local days, both included. */
  from: string;
  to: string;
  monthly: MonthlyUsageRow[];
  metricas: MetricaSummary[];
  responseTimes: ResponseTimeRow[];
  /** `?tenant=`: users' figures are that tenant's (metricas and response times have no tenant). */
  tenant?: string;
}

/** A number rounded to one decimal, blank for none. @internal */
export const round = (value: number | null) => (value === null ? '' : Math.round(value * 10) / 10);

/**
 * How an averaged metrica's events and values are named: `response_time` counts
 * requests and averages milliseconds; a sum of milliseconds is never shown. @internal
 */
export function unitsOf(metrica: string): { events: string; unit: string } {
  return metrica === RESPONSE_TIME_METRICA ? { events: 'requests', unit: 'ms' } : { events: 'events', unit: '' };
}

/** One line under a metrica's name: its total, or its events and average for an averaged one. @internal */
export function metricaSummaryText(metrica: MetricaSummary): string {
  if (metrica.count === null) return `total ${metrica.total}`;
  const { events, unit } = unitsOf(metrica.name);
  const average = metrica.count === 0 ? null : round(metrica.total / metrica.count);
  return `${metrica.count} ${events}, average ${average === null ? '–' : `${average}${unit ? ` ${unit}` : ''}`}`;
}

/** The range picker: two local days (both included), a few presets, and what "today" means. */
function rangePicker(model: OverviewModel): string {
  const today = DateTime.fromISO(model.today);
  const preset = (label: string, from: DateTime) =>
    `<a href="${escapeHtml(dashboardUrl(model.base, '', { from: from.toISODate()!, to: model.today, tenant: model.tenant }))}">${escapeHtml(label)}</a>`;
  return `<form method="get" class="range-picker">${tenantField(model.tenant)}
<label>from <input type="date" name="from" value="${escapeHtml(model.from)}"${model.horizon ? ` min="${escapeHtml(model.horizon)}"` : ''} max="${escapeHtml(model.today)}"></label>
<label>to <input type="date" name="to" value="${escapeHtml(model.to)}"></label>
<button type="submit">Show</button>
<span class="presets">${[
    preset('last 7 days', today.minus({ days: 6 })),
    preset('last 30 days', today.minus({ days: 29 })),
    preset('last 90 days', today.minus({ days: 89 })),
    preset('this month', today.startOf('month')),
  ].join('')}</span></form>
<p><small class="definition">Local days in ${escapeHtml(model.timeZone)}, both ends included; today (${escapeHtml(model.today)}) is still in progress.</small></p>`;
}

/** The response-time table: one row per route, its percentiles, and a sparkline of its p95 over the range. */
function responseTimeTable(model: OverviewModel, range: Record<string, string>): string {
  const head = ['view', 'requests', 'average ms', 'p50 ms', 'p95 ms', 'p99 ms', 'requests today', 'average ms today', 'p95 over the range']
    .map((header) => `<th>${escapeHtml(header)}</th>`)
    .join('');
  const rows = model.responseTimes.map((row) => {
    const cells = [row.view, row.count, round(row.average), round(row.p50), round(row.p95), round(row.p99), row.todayCount, round(row.todayAverage)];
    const src = dashboardUrl(model.base, 'api/response-times/percentiles', { view: row.view, ...range });
    const spark =
      row.p95 === null
        ? '<td></td>'
        : `<td><div class="spark"><p class="state">…</p><canvas data-chart="sparkline" data-src="${escapeHtml(src)}"${dataAttributes({ quiet: '', 'empty-text': 'no request' })} aria-label="${escapeHtml(`${row.view}: p95`)}"></canvas></div></td>`;
    return `<tr data-view="${escapeHtml(row.view)}">${cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}${spark}</tr>`;
  });
  if (rows.length === 0) return '<p class="state">No request timed yet.</p>';
  return `<table class="response-times"><thead><tr>${head}</tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

/** The overview: range picker and comparison, active users, monthly usage, response times, each metrica's timeline. @internal */
export function renderOverview(model: OverviewModel): string {
  const { base } = model;
  const api = (path: string, query?: Record<string, string | number | undefined>) => dashboardUrl(base, `api/${path}`, query);
  // Users' figures follow the tenant; metricas and response times are the site's.
  const days = { from: model.from, to: model.to, tenant: model.tenant };
  const scoped = { tenant: model.tenant };
  // Metrica charts read `since` inclusive and `until` exclusive: the day after `to`.
  const range = { since: model.from, until: DateTime.fromISO(model.to).plus({ days: 1 }).toISODate()! };
  // The calendar report's label column and counts, as show-usage --calendar names them.
  const monthlyHead = [usageReport('calendar').labelColumn![0], ...USAGE_COUNT_COLUMNS].map((header) => `<th>${escapeHtml(header)}</th>`).join('');
  const monthlyRows = [...model.monthly]
    .reverse()
    .map((row) => {
      const cells = [row.inProgress ? `${row.month} (in progress)` : row.month, row.registeredUsers ?? '-', row.activatedUsers ?? '-', row.activeUsers];
      return `<tr${row.inProgress ? ' class="in-progress"' : ''}>${cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`;
    })
    .join('\n');
  const timed = unitsOf(RESPONSE_TIME_METRICA);
  const metricas = model.metricas
    .map((metrica) => {
      const units = unitsOf(metrica.name);
      return (
        `<h3><a href="${escapeHtml(dashboardUrl(base, `metricas/${encodeURIComponent(metrica.name)}`))}">${escapeHtml(metrica.name)}</a>` +
        ` <small>${escapeHtml(metricaSummaryText(metrica))} (all time)${metrica.axes.length ? `, axes ${escapeHtml(metrica.axes.join(', '))}` : ''}</small></h3>` +
        chart('timeline', api(`metricas/${encodeURIComponent(metrica.name)}/timeline`, range), `${metrica.name} from ${model.from} to ${model.to}`, {
          definition: metrica.averaged ? `${units.events} per bucket (left) and their average${units.unit ? ` in ${units.unit}` : ''} (right).` : 'The sum of the values kicked per bucket.',
          data: { events: units.events, unit: units.unit, 'empty-text': `No ${metrica.name} in this range.` },
        })
      );
    })
    .join('\n');
  const comparison =
    `<section class="comparison" data-comparison data-src="${escapeHtml(api('comparison', days))}"` +
    `${dataAttributes({ [`events-${RESPONSE_TIME_METRICA}`]: timed.events, [`unit-${RESPONSE_TIME_METRICA}`]: timed.unit })}>` +
    `<h2>Compared with the previous period ${dataLinks(api('comparison', days))}</h2><p class="range"></p><p class="state" role="status">Loading…</p><div class="cards"></div></section>`;
  const kept = model.horizon
    ? `\n<p class="horizon">Activity is kept from ${escapeHtml(model.horizon)} on (retention): earlier days were pruned, and ranges reaching before it are refused.</p>`
    : '';
  const body = `<p>Times are in ${escapeHtml(model.timeZone)}.</p>${kept}
${rangePicker(model)}
${comparison}
<h2>Active users</h2>
<div class="grid">${chart('active-users', api('active-users', days), `DAU, WAU and MAU, ${model.from} to ${model.to}`, {
    definition: 'Distinct users active on each local day (DAU), in the 7 (WAU) and 30 (MAU) days ending with it.',
    data: { 'empty-text': 'No active user in this range.' },
  })}
${chart('stickiness', api('active-users', days), 'Stickiness (DAU / MAU)', {
    definition: "The share of the last 30 days' users who came that day: 1 means all of them come daily.",
    data: { 'empty-text': 'No active user in this range.' },
  })}</div>
<h2>Monthly usage ${dataLinks(api('usage/monthly', scoped))}</h2>
<table class="monthly"><thead><tr>${monthlyHead}</tr></thead><tbody>${monthlyRows}</tbody></table>
${model.tenant === undefined ? '' : '<p><small class="definition">Response times and metricas below are the whole site\'s: they carry no tenant.</small></p>\n'}<h2>Response times ${dataLinks(api('response-times'))}</h2>
${chart('response-times', api('response-times'), 'Average and p95 response time per view (ms), all time', {
    definition: 'Per route, over every request timed: the mean and the time 95% of requests stay under.',
    data: { 'empty-text': 'No request timed yet.' },
  })}
${responseTimeTable(model, range)}
<h2>Metricas ${dataLinks(api('metricas'))}</h2>
${metricas || '<p>No metrica is defined.</p>'}`;
  return page(base, 'Souvenirs dashboard', body, model.timeZone, model.tenant);
}
