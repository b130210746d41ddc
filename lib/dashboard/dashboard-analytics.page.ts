import type { AnalyticsTable } from '../reports/analytics-report-descriptions.js';
import type { AnalyticsPeriodKind } from '../calendar/analytics-calendar.js';
import type { RetentionMode } from '../reports/analytics-rows.interface.js';
import { csvUrl, dashboardUrl, escapeHtml, page, tenantField } from './dashboard-html.js';

/** What the Analytics page shows. @internal */
export interface AnalyticsPageModel {
  base: string;
  timeZone: string;
  period: AnalyticsPeriodKind;
  mode: RetentionMode;
  /** The retention triangle, in percentages. */
  retention: AnalyticsTable;
  /** Whether the last cohort's period holds now. */
  lastCohortInProgress: boolean;
  /** `?tenant=`: every report is that tenant's. */
  tenant?: string;
}

/** A chart whose JSON endpoint and CSV download are linked beside its title, with its one-line definition under it. */
function analyticsChart(kind: string, base: string, report: string, query: Record<string, string | undefined>, title: string, definition: string): string {
  const src = dashboardUrl(base, `api/analytics/${report}`, query);
  const csv = csvUrl(src);
  return (
    `<figure class="chart" data-state="loading"><figcaption>${escapeHtml(title)} <a class="json" href="${escapeHtml(src)}">JSON</a>` +
    ` <a class="json" href="${escapeHtml(csv)}" download>CSV</a><br><small class="definition">${escapeHtml(definition)}</small></figcaption>` +
    `<p class="state" role="status">Loading…</p>` +
    `<div class="canvas"><canvas data-chart="${escapeHtml(kind)}" data-src="${escapeHtml(src)}" data-empty-text="No active user in this range." aria-label="${escapeHtml(title)}"></canvas></div></figure>`
  );
}

/** One line per analytics chart: what its numbers mean. @internal */
export const ANALYTICS_DEFINITIONS = {
  activeUsers: 'DAU: distinct users active on a local day; WAU and MAU: in the 7 and 30 local days ending with it.',
  stickinessRatio: "DAU / MAU: the share of the last 30 days' users who came that day (1: every one of them, daily).",
  retention: 'Each row is a cohort (users first seen in that period); each cell the share of it active k periods later. Hatched, dashed edge: the period holding today, not final.',
  lifecycle:
    'New: first seen this period. Returning: also active the period before. Resurrecting: back after at least one period away. Dormant (below zero): active the period before, not in this one.',
  stickiness: 'Stickiness: how many users were active on exactly 1, 2, … distinct days of each period.',
} as const;

/**
 * The retention triangle as a heat map: each cell shaded by its share of the cohort.
 * Cohorts are consecutive periods, so cell (r, k) counts period r + k: when the last
 * cohort's period holds now, the cells of that period (the triangle's diagonal edge)
 * are hatched and flagged `data-in-progress`.
 */
function heatMap({ headers, rows }: AnalyticsTable, lastInProgress: boolean): string {
  const head = headers.map((header) => `<th>${escapeHtml(header)}</th>`).join('');
  const current = lastInProgress ? rows.length - 1 : -1;
  if (rows.length === 0) return '<p class="state">No cohort in this range.</p>';
  const body = rows
    .map((row, r) => {
      const cells = row.map((cell, c) => {
        // adopt-fixes turns retention cells into numbers (shares); today they are "12.5%" strings.
        const share =
          c < 2 || cell === null || cell === '' ? null : typeof cell === 'number' ? cell : typeof cell === 'string' && cell.endsWith('%') ? Number(cell.slice(0, -1)) / 100 : null;
        const colour = share === null ? '' : `background-color:rgba(33,102,172,${share.toFixed(2)});color:${share > 0.5 ? '#fff' : '#222'}`;
        const now = c >= 2 && r + (c - 2) === current && cell !== null && cell !== '';
        const text = typeof cell === 'number' && c >= 2 ? `${(cell * 100).toFixed(1)}%` : cell;
        return `<td${colour ? ` style="${colour}"` : ''}${now ? ' class="in-progress" data-in-progress="true"' : ''}>${escapeHtml(text)}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<table class="retention" data-table="retention"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** The Analytics page. @internal */
export function renderAnalytics(model: AnalyticsPageModel): string {
  const { base, period, mode, tenant } = model;
  const option = (value: string, chosen: string) => `<option value="${value}"${value === chosen ? ' selected' : ''}>${value}</option>`;
  const form = `<form method="get">${tenantField(tenant)}
<label>period <select name="period">${['day', 'week', 'month'].map((value) => option(value, period)).join('')}</select></label>
<label>mode <select name="mode">${['classic', 'unbounded'].map((value) => option(value, mode)).join('')}</select></label>
<button type="submit">Show</button></form>`;
  const retentionQuery = { period, mode, tenant };
  const stickinessPeriod = period === 'month' ? 'month' : 'week';
  const body = `<p>Dates are local dates in ${escapeHtml(model.timeZone)}.</p>
<h2>Active users</h2>
<div class="grid">${analyticsChart('analytics-active-users', base, 'active-users', { tenant }, 'DAU, WAU and MAU', ANALYTICS_DEFINITIONS.activeUsers)}
${analyticsChart('analytics-stickiness-ratio', base, 'active-users', { tenant }, 'Stickiness (DAU / MAU)', ANALYTICS_DEFINITIONS.stickinessRatio)}</div>
<h2>Retention</h2>
${form}
<p><a class="json" href="${escapeHtml(dashboardUrl(base, 'api/analytics/retention', retentionQuery))}">JSON</a>
<a class="json" href="${escapeHtml(csvUrl(dashboardUrl(base, 'api/analytics/retention', retentionQuery)))}" download>CSV</a></p>
<p><small class="definition">${escapeHtml(ANALYTICS_DEFINITIONS.retention)}</small></p>
${heatMap(model.retention, model.lastCohortInProgress)}
<h2>Lifecycle</h2>
${analyticsChart('analytics-lifecycle', base, 'lifecycle', { period, tenant }, `New, returning, resurrecting and dormant users per ${period}`, ANALYTICS_DEFINITIONS.lifecycle)}
<h2>Stickiness</h2>
${analyticsChart('analytics-stickiness', base, 'stickiness', { period: stickinessPeriod, tenant }, `Users active on exactly n days of each ${stickinessPeriod}`, ANALYTICS_DEFINITIONS.stickiness)}`;
  return page(base, 'Analytics', body, model.timeZone, tenant);
}
