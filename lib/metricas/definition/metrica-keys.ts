import { PART_SEPARATOR, escapeText } from '../axes/axis-encoding.js';

/**
 * The store keys of one metrica. Every key starts with the Redis Cluster hash tag
 * `{m:<name>}`, so all of a metrica's keys live in one slot: a kick's increments
 * and a query's reads each go to one node in one round trip.
 *
 * - `{m:<name>}:v:<bucket>`  hash of summed values, one field per axis combination
 * - `{m:<name>}:n:<bucket>`  hash of event counts (averaged metricas), same fields
 * - `{m:<name>}:h:<bucket>`  hash of histogram counts: field `<combination>:<index>`,
 *   the index of the histogram bucket (0 … bounds, the last one above the last bound);
 *   written by earlier versions for every roll-up too: still read, no longer written
 * - `{m:<name>}:he:<bucket>` hash of histogram counts of exact combinations only (what
 *   a kick's axis values were, no roll-up): same fields; a roll-up's counts are the
 *   sum of the exact combinations it covers, summed when read
 * - `{m:<name>}:years`       set of the years seen (for `iterate()` at the top level)
 * - `{m:<name>}:choices:<axis>`          set of a `StoredChoiceAxis`'s values
 * - `{m:<name>}:children:<axis>:<path>`  set of a `HierarchicalAxis` path's children
 *
 * Buckets are `all`, `2024`, `2024-02`, `2024-02-07`, `2024-02-07T05-0500` and
 * `2024-02-07T05:09-0500` (local wall clock in the module's time zone; hours and
 * minutes carry the UTC offset, so the two 01:00 hours of a fall-back night stay
 * apart). Axis names are escaped as field tokens are (see `axis-encoding.ts`).
 * The store adds its `keyPrefix` in front.
 *
 * @internal
 */
export class MetricaKeys {
  /** The Cluster hash tag shared by every key of the metrica. */
  readonly tag: string;
  private readonly valuesPrefix: string;
  private readonly countsPrefix: string;

  constructor(readonly metrica: string) {
    this.tag = `{m:${metrica}}`;
    this.valuesPrefix = `${this.tag}:v:`;
    this.countsPrefix = `${this.tag}:n:`;
  }

  /** The hash of summed values of a date bucket. */
  values(bucket: string): string {
    return this.valuesPrefix + bucket;
  }

  /** The hash of event counts of a date bucket (averaged metricas). */
  counts(bucket: string): string {
    return this.countsPrefix + bucket;
  }

  /** The hash of histogram counts of a date bucket (histogram metricas). */
  histogram(bucket: string): string {
    return `${this.tag}:h:${bucket}`;
  }

  /** The hash of histogram counts of exact axis combinations of a date bucket (histogram metricas). */
  exactHistogram(bucket: string): string {
    return `${this.tag}:he:${bucket}`;
  }

  /** The field of histogram bucket `index` of an axis combination's `field`. */
  static histogramField(field: string, index: number): string {
    return `${field}${PART_SEPARATOR}${index}`;
  }

  /**
   * The axis combination and histogram bucket index of a field written by
   * {@link histogramField}; `undefined` for a field no histogram of `width`
   * buckets writes.
   */
  static histogramCell(field: string, width: number): { combination: string; index: number } | undefined {
    const cut = field.lastIndexOf(PART_SEPARATOR);
    const index = Number(field.slice(cut + 1));
    return cut > 0 && Number.isInteger(index) && index >= 0 && index < width ? { combination: field.slice(0, cut), index } : undefined;
  }

  /** The set of years seen. */
  years(): string {
    return `${this.tag}:years`;
  }

  /**
   * A stored set of an axis: its values (`set` null), or the children of the
   * hierarchical path whose token is `set`.
   */
  choices(axis: string, set: string | null): string {
    return set === null ? `${this.tag}:choices:${escapeText(axis)}` : `${this.tag}:children:${escapeText(axis)}:${set}`;
  }
}
