import type { MetricaSummary } from './dashboard-data.interface.js';
import { DateTime } from 'luxon';
import { chart, dashboardUrl, escapeHtml, page } from './dashboard-html.js';
import { round, unitsOf } from './dashboard-overview.page.js';

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
  // An averaged metrica (response_time: milliseconds) is told in events (requests) and averages: its sum is no answer.
  const { events, unit } = unitsOf(metrica.name);
  const counted = metrica.averaged ? events : 'total';
  const axes = metrica.axes
    .map((axis) => {
      const src = dashboardUrl(base, `api/metricas/${name}/axes/${encodeURIComponent(axis)}`, range);
      const empty = { 'empty-text': `No ${metrica.name} in this range.` };
      return `<h2>By ${escapeHtml(axis)}</h2><div class="grid">${chart('axis-pie', src, `${metrica.name} by ${axis}, all time (${counted})`, {
        definition: `Each value's share; (no ${axis}) holds what was kicked without one.`,
        data: empty,
      })}
${chart('axis-series', src, `${metrica.name} by ${axis} over time (${counted})`, {
        definition: 'The 10 largest values; "others" sums the rest, (no …) what has no value. Together they make the timeline.',
        data: empty,
      })}</div>`;
    })
    .join('\n');
  const average = metrica.count === null || metrica.count === 0 ? null : round(metrica.total / metrica.count);
  const body = `${form}
<p>${
    metrica.count === null
      ? `Total ${escapeHtml(metrica.total)} (all time).`
      : `${escapeHtml(metrica.count)} ${escapeHtml(events)}, average ${escapeHtml(average ?? '–')}${unit ? ` ${escapeHtml(unit)}` : ''} (all time). Pies and series below count ${escapeHtml(events)}.`
  }</p>
${chart('timeline', dashboardUrl(base, `api/metricas/${name}/timeline`, range), `${metrica.name} over time`, {
    definition: metrica.averaged ? `${events} per bucket (left) and their average${unit ? ` in ${unit}` : ''} (right).` : 'The sum of the values kicked per bucket.',
    data: { events, unit, 'empty-text': `No ${metrica.name} in this range.` },
  })}
${axes}`;
  return page(base, `Metrica ${metrica.name}`, body, model.timeZone);
}
