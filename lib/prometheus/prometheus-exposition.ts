import { eventLoopPacer } from '../shared/yield-to-event-loop.js';
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

/** Lines per chunk of the exposition (a histogram series is one line per bucket, plus two). */
const LINES_PER_CHUNK = 2000;

/**
 * The families in the text exposition format (version 0.0.4), as chunks of about
 * {@link LINES_PER_CHUNK} lines, each a flat string, yielding to the event loop every
 * few milliseconds (see {@link eventLoopPacer}). A scrape writes the chunks to the
 * response one by one: a whole exposition of 10,000 histogram series is a 7 MB
 * string whose join, and the collection of its pieces, blocked the event loop for
 * hundreds of ms on a loaded machine. Each row's label text is escaped once, and
 * each bound's `le` text once per family.
 *
 * @internal
 */
export async function* expositionChunks(families: readonly PrometheusFamily[]): AsyncGenerator<string, void, undefined> {
  const pace = eventLoopPacer();
  const out: string[] = [];
  let lines = 0;
  for (const family of families) {
    const { name, type, labelNames, bounds } = family;
    const exposed = type === 'counter' ? `${name}_total` : name;
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
        // Joined per chunk: a flat string, not a rope the socket write would flatten.
        yield out.join('');
        out.length = 0;
        lines = 0;
      }
      const turn = pace();
      if (turn) await turn;
    }
    out.push(text);
  }
  if (out.length > 0) yield out.join('');
}

/**
 * The whole exposition as one string: for callers that want the text (tests, a
 * custom endpoint); the endpoint itself writes {@link expositionChunks}.
 *
 * @internal
 */
export async function renderExposition(families: readonly PrometheusFamily[]): Promise<string> {
  const chunks: string[] = [];
  for await (const chunk of expositionChunks(families)) chunks.push(chunk);
  return chunks.join('');
}
