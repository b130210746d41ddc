import { eventLoopPacer } from '../metricas/export/yield-to-event-loop.js';
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

/** Lines joined into one flat chunk (a histogram series is one line per bucket, plus two). */
const LINES_PER_CHUNK = 2000;

/**
 * Writes families in the text exposition format (version 0.0.4), yielding to the
 * event loop every few milliseconds (see {@link eventLoopPacer}), so a scrape of many
 * thousands of series never holds up requests for long. Each row's label text is
 * escaped once, and each bound's `le` text once per family.
 *
 * @internal
 */
export async function renderExposition(families: readonly PrometheusFamily[]): Promise<string> {
  const chunks: string[] = [];
  const pace = eventLoopPacer();
  let lines = 0;
  for (const family of families) {
    const { name, type, labelNames, bounds } = family;
    const exposed = type === 'counter' ? `${name}_total` : name;
    const out: string[] = [];
    let text = `# HELP ${exposed} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${exposed} ${type}\n`;
    const names = labelNames.map((label) => `${label}="`);
    const les = [...bounds.map((bound) => `le="${formatSampleValue(bound)}"}`), 'le="+Inf"}'];
    const linesPerRow = type === 'counter' ? 1 : type === 'summary' ? 2 : bounds.length + 3;
    for (const row of family.rows) {
      let pairs = '';
      for (let index = 0; index < names.length; index++) {
        pairs += `${index === 0 ? '' : ','}${names[index]}${escapeLabelValue(row.labels[index])}"`;
      }
      const labels = pairs === '' ? '' : `{${pairs}}`;
      if (type === 'counter') {
        text += `${name}_total${labels} ${formatSampleValue(row.sum)}\n`;
      } else {
        let count = row.count;
        if (type === 'histogram') {
          const open = `${name}_bucket{${pairs}${pairs === '' ? '' : ','}`;
          let cumulative = 0;
          for (let index = 0; index <= bounds.length; index++) {
            cumulative += row.buckets[index];
            text += `${open}${les[index]} ${cumulative}\n`;
          }
          count = cumulative;
        }
        text += `${name}_sum${labels} ${formatSampleValue(row.sum)}\n${name}_count${labels} ${count}\n`;
      }
      lines += linesPerRow;
      out.push(text);
      text = '';
      if (lines >= LINES_PER_CHUNK) {
        // Joined per chunk: flat strings, not one rope of every line flattened at the end.
        chunks.push(out.join(''));
        out.length = 0;
        lines = 0;
      }
      await pace();
    }
    out.push(text);
    chunks.push(out.join(''));
  }
  return chunks.join('');
}
