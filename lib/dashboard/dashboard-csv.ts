import type { ReportCell, ReportTable } from '../shared/report-output.js';
import type { AxisBreakdown, PeriodComparison } from './dashboard-data.interface.js';

/**
 * What a dashboard JSON endpoint answers, as one table for its CSV download: an array
 * of flat objects keeps its keys as columns; an axis breakdown becomes one row per value
 * (its all-time total, then its value in each bucket of the series), the table both
 * its pie and its series chart draw.
 *
 * @internal
 */
export function csvTableOf(data: unknown): ReportTable {
  if (Array.isArray(data)) return objectsTable(data as Record<string, unknown>[]);
  if (isAxisBreakdown(data)) return axisTable(data);
  if (isComparison(data)) return comparisonTable(data);
  return objectsTable([data as Record<string, unknown>]);
}

const cellOf = (value: unknown): ReportCell =>
  value === null || value === undefined ? null : typeof value === 'number' || typeof value === 'string' ? value : Array.isArray(value) ? value.join('/') : JSON.stringify(value);

function objectsTable(rows: Record<string, unknown>[]): ReportTable {
  // The union of keys, in first-seen order: a column some rows lack (an averaged timeline's `count`) stays.
  const headers = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return { headers, rows: rows.map((row) => headers.map((header) => cellOf(row[header]))) };
}

function isAxisBreakdown(data: unknown): data is AxisBreakdown {
  return typeof data === 'object' && data !== null && Array.isArray((data as AxisBreakdown).pie) && Array.isArray((data as AxisBreakdown).series);
}

function axisTable({ axis, pie, series }: AxisBreakdown): ReportTable {
  const buckets = series[0]?.points.map((point) => point.t) ?? [];
  // Keyed by kind too: a value could be spelt "(no exception)" and must not borrow the none series.
  const key = (entry: { label: string; none?: true; others?: number }) => (entry.none ? 'none' : entry.others !== undefined ? 'others' : `value:${entry.label}`);
  const byKey = new Map(series.map((s) => [key(s), s.points]));
  const cells = (entry: { label: string; none?: true }) => buckets.map((_, i) => byKey.get(key(entry))?.[i]?.value ?? null);
  const others = series.filter((s) => s.others !== undefined);
  return {
    headers: [axis, 'total', ...buckets],
    rows: [
      ...pie.map((slice) => [slice.label, slice.total, ...cells(slice)]),
      // "others" sums values the pie already lists one by one: no total of its own.
      ...others.map((s) => [s.label, null, ...cells(s)]),
    ],
  };
}

function isComparison(data: unknown): data is PeriodComparison {
  return typeof data === 'object' && data !== null && 'current' in data && 'previous' in data && Array.isArray((data as PeriodComparison).metricas);
}

/** The comparison as one row per figure: what it measures, its value over the range and over the one before. */
function comparisonTable({ current, previous, activeUsers, metricas }: PeriodComparison): ReportTable {
  const rows: ReportCell[][] = [['active users', activeUsers.current, activeUsers.previous]];
  for (const { name, averaged, current: now, previous: then } of metricas) {
    if (averaged) {
      rows.push([`${name} events`, now.count, then.count], [`${name} average`, now.average, then.average]);
    } else {
      rows.push([name, now.total, then.total]);
    }
  }
  return { headers: ['measure', `${current.from}..${current.to}`, `${previous.from}..${previous.to}`], rows };
}
