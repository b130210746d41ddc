import type { AnalyticsTable } from '../reports/analytics-report-descriptions.js';
import type { AnalyticsPeriodKind } from '../calendar/analytics-calendar.js';
import type { RetentionMode } from '../reports/analytics-rows.interface.js';
import { dashboardUrl, escapeHtml, page } from './dashboard-html.js';

/** What the Analytics page shows. @internal */
export interface AnalyticsPageModel {
  base: string;
  timeZone: string;
  period: AnalyticsPeriodKind;
  mode: RetentionMode;
  /** The retention triangle, in percentages. */
  retention: AnalyticsTable;
}

/** A chart whose JSON endpoint and CSV download are linked beside its title. */
function analyticsChart(kind: string, base: string, report: string, query: Record<string, string>, title: string): string {
  const src = dashboardUrl(base, `api/analytics/${report}`, query);
  const csv = dashboardUrl(base, `api/analytics/${report}/csv`, query);
  return (
    `<figure class="chart"><figcaption>${escapeHtml(title)} <a class="json" href="${escapeHtml(src)}">JSON</a>` +
    ` <a class="json" href="${escapeHtml(csv)}" download>CSV</a></figcaption>` +
    `<div class="canvas"><canvas data-chart="${escapeHtml(kind)}" data-src="${escapeHtml(src)}" aria-label="${escapeHtml(title)}"></canvas></div></figure>`
  );
}

/** The retention triangle as a heat map: each cell shaded by its share of the cohort. */
function heatMap({ headers, rows }: AnalyticsTable): string {
  const head = headers.map((header) => `<th>${escapeHtml(header)}</th>`).join('');
  const body = rows
    .map((row) => {
      const cells = row.map((cell, c) => {
        const share = c >= 2 && typeof cell === 'string' && cell.endsWith('%') ? Number(cell.slice(0, -1)) / 100 : null;
        const style = share === null ? '' : ` style="background:rgba(33,102,172,${share.toFixed(2)});color:${share > 0.5 ? '#fff' : '#222'}"`;
        return `<td${style}>${escapeHtml(cell)}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<table class="retention" data-table="retention"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** The Analytics page. @internal */
export function renderAnalytics(model: AnalyticsPageModel): string {
  const { base, period, mode } = model;
  const option = (value: string, chosen: string) => `<option value="${value}"${value === chosen ? ' selected' : ''}>${value}</option>`;
  const form = `<form method="get">
<label>period <select name="period">${['day', 'week', 'month'].map((value) => option(value, period)).join('')}</select></label>
<label>mode <select name="mode">${['classic', 'unbounded'].map((value) => option(value, mode)).join('')}</select></label>
<button type="submit">Show</button></form>`;
  const retentionQuery = { period, mode };
  const stickinessPeriod = period === 'month' ? 'month' : 'week';
  const body = `<p>Dates are local dates in ${escapeHtml(model.timeZone)}.</p>
<h2>Active users</h2>
<div class="grid">${analyticsChart('analytics-active-users', base, 'active-users', {}, 'DAU, WAU and MAU')}
${analyticsChart('analytics-stickiness-ratio', base, 'active-users', {}, 'Stickiness (DAU / MAU)')}</div>
<h2>Retention</h2>
${form}
<p><a class="json" href="${escapeHtml(dashboardUrl(base, 'api/analytics/retention', retentionQuery))}">JSON</a>
<a class="json" href="${escapeHtml(dashboardUrl(base, 'api/analytics/retention/csv', retentionQuery))}" download>CSV</a></p>
${heatMap(model.retention)}
<h2>Lifecycle</h2>
${analyticsChart('analytics-lifecycle', base, 'lifecycle', { period }, `New, returning, resurrecting and dormant users per ${period}`)}
<h2>Stickiness</h2>
${analyticsChart('analytics-stickiness', base, 'stickiness', { period: stickinessPeriod }, `Users active on exactly n days of each ${stickinessPeriod}`)}`;
  return page(base, 'Analytics', body, model.timeZone);
}
