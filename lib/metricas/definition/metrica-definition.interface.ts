import type { Axis } from '../axes/axis.js';

/** A date scale of a metrica, coarsest first. @publicApi */
export type Scale = 'year' | 'month' | 'day' | 'hour' | 'minute';

/** A metrica's axes by name; the order of keys is the axis order. */
export type AxisMap = Record<string, Axis>;

/**
 * What a metrica counts and how it is sliced. Generic over its axes, so
 * `registry.define()` returns a `Metrica` whose `kick()` and `filter()` accept only
 * these axis names, each with its own value type.
 *
 * @publicApi
 * @example
 * registry.define({
 *   name: 'guest_visits',
 *   axes: { gender: new Axis({ choices: ['boy', 'girl'] }), age: new StoredChoiceAxis() },
 * });
 */
export interface MetricaDefinition<A extends AxisMap = AxisMap> {
  /**
   * Unique name, also part of its store keys: 1-200 letters, digits, `_ . - : /`
   * (no braces or spaces).
   */
  name: string;
  /** Named axes; the order of keys is the axis order. */
  axes?: A;
  /** Also keep event counts, for `count()` and `average()`. */
  averaged?: boolean;
  /** Values are stored as integers after multiplying by this, then rounding (default 1). */
  multiplier?: number;
  /** Date scales kept, besides all-time (default all: year, month, day, hour, minute). */
  scales?: Scale[];
  /**
   * Whole seconds each scale's buckets live after their last write (default month
   * 3 years, day 185 days, hour 14 days, minute 1 day; year kept forever); `0`
   * keeps a scale forever. The all-time bucket is always kept.
   */
  expirations?: Partial<Record<Scale, number>>;
  /**
   * Also count each kick in the first bucket its value fits (`value <= bound`, or
   * above the last), per axis combination, for `percentile()`, `buckets()` and
   * friends. `buckets`: 1-64 finite, strictly ascending upper bounds, in the
   * metrica's unit (before the multiplier). `scales`: the date scales bucket cells
   * are kept at, besides all-time (default day and hour, those the metrica keeps);
   * percentiles at a scale not listed are summed from the next finer one listed
   * (a month's from its days), and a scale finer than every listed one is refused.
   */
  histogram?: { buckets: number[]; scales?: Scale[] };
}
