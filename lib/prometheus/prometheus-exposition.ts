import { ITEMS_PER_TURN, yieldToEventLoop } from '../metricas/export/yield-to-event-loop.js';
import { escapeLabelValue, formatSampleValue } from './prometheus-names.js';
import type { SeriesRow } from './prometheus-series.js';

/** One metric family of the exposition: a metrica's series. @internal */
export interface PrometheusFamily {
  /** `souvenirs_<name>` (without `_total`, `_bucket`…). */
  readonly name: string;
  readonly help: string;
  /** counter: `_total`; summary: `_sum` and `_count`; histogram: `_bucket`, `_sum`, `_count`. */
  readonly type: 'counter' | 'summary' | 'histogram';
  /** Label names, one per axis. */
  readonly labelNames: readonly string[];
  /** Upper bounds of a histogram, in exported units. */
  readonly bounds: readonly number[];
  readonly rows: readonly SeriesRow[];
}

/** The content type of the text exposition format 0.0.4. @internal */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function labelSet(names: readonly string[], values: readonly string[], extra?: string): string {
  const pairs = names.map((name, index) => `${name}="${escapeLabelValue(values[index])}"`);
  if (extra !== undefined) pairs.push(extra);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

/**
 * Writes families in the text exposition format (version 0.0.4), yielding to the
 * event loop every {@link ITEMS_PER_TURN} series, so a scrape of many thousands of
 * series never holds up requests for long.
 *
 * @internal
 */
export async function renderExposition(families: readonly PrometheusFamily[]): Promise<string> {
  const chunks: string[] = [];
  let done = 0;
  for (const family of families) {
    const { name, type, labelNames, bounds } = family;
    const exposed = type === 'counter' ? `${name}_total` : name;
    let text = `# HELP ${exposed} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${exposed} ${type}\n`;
    for (const row of family.rows) {
      const labels = labelSet(labelNames, row.labels);
      if (type === 'counter') {
        text += `${name}_total${labels} ${formatSampleValue(row.sum)}\n`;
      } else {
        let count = row.count;
        if (type === 'histogram') {
          let cumulative = 0;
          bounds.forEach((bound, index) => {
            cumulative += row.buckets[index];
            text += `${name}_bucket${labelSet(labelNames, row.labels, `le="${formatSampleValue(bound)}"`)} ${cumulative}\n`;
          });
          count = cumulative + row.buckets[bounds.length];
          text += `${name}_bucket${labelSet(labelNames, row.labels, 'le="+Inf"')} ${count}\n`;
        }
        text += `${name}_sum${labels} ${formatSampleValue(row.sum)}\n${name}_count${labels} ${count}\n`;
      }
      if (++done % ITEMS_PER_TURN === 0) {
        chunks.push(text);
        text = '';
        await yieldToEventLoop();
      }
    }
    chunks.push(text);
  }
  return chunks.join('');
}
