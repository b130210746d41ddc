import type { CombinationCounters } from '../metricas/reading/metrica-snapshot.js';
import { eventLoopPacer } from '../shared/yield-to-event-loop.js';
import { axisLabelText, OTHER_LABEL } from './prometheus-names.js';

/** Most series per metrica by default (`prometheus.maxSeries`); past it the rest is summed into one series. @internal */
export const DEFAULT_PROMETHEUS_MAX_SERIES = 10_000;


/** One exported series: label values (one per axis) and its numbers, in exported units. @internal */
export interface SeriesRow {
  readonly labels: readonly string[];
  sum: number;
  count: number;
  readonly buckets: number[];
}

/**
 * Rows of a metrica's exact combinations: label texts per axis, numbers scaled
 * by `unit` (`response_time`: ms → s). Combinations that give the same label
 * texts (`18` and `'18'`, `null` and a left-out axis) are one series, summed.
 *
 * @internal
 */
export async function seriesRows(combinations: readonly CombinationCounters[], unit: number): Promise<SeriesRow[]> {
  const rows = new Map<string, SeriesRow>();
  const pace = eventLoopPacer();
  for (const { values, sum, count, buckets } of combinations) {
    const turn = pace();
    if (turn) await turn;
    const labels = values.map(axisLabelText);
    // JSON, not a join: a value may hold any separator (`['a\0', 'b']` and `['a', '\0b']` are two series).
    const key = JSON.stringify(labels);
    const row = rows.get(key);
    if (row) {
      row.sum += sum * unit;
      row.count += count;
      buckets.forEach((events, index) => (row.buckets[index] += events));
    } else {
      rows.set(key, { labels, sum: sum * unit, count, buckets: [...buckets] });
    }
  }
  return [...rows.values()];
}

/**
 * At most `maxSeries` rows: past it, the rows with the most events (or largest
 * sums, for counters) are kept and the rest summed into one row whose labels are
 * all `"__other__"`, so totals stay right while the cardinality is bounded.
 *
 * @returns the rows, and how many were folded into `__other__` (0: none).
 * @internal
 */
export function capSeries(rows: SeriesRow[], maxSeries: number): { rows: SeriesRow[]; folded: number } {
  if (rows.length <= maxSeries) return { rows, folded: 0 };
  const weight = (row: SeriesRow): number => (row.count > 0 ? row.count : Math.abs(row.sum));
  const sorted = [...rows].sort((a, b) => weight(b) - weight(a));
  const kept = sorted.slice(0, Math.max(0, maxSeries - 1));
  const rest = sorted.slice(kept.length);
  const other: SeriesRow = { labels: rest[0].labels.map(() => OTHER_LABEL), sum: 0, count: 0, buckets: rest[0].buckets.map(() => 0) };
  for (const row of rest) {
    other.sum += row.sum;
    other.count += row.count;
    row.buckets.forEach((events, index) => (other.buckets[index] += events));
  }
  return { rows: [...kept, other], folded: rest.length };
}
