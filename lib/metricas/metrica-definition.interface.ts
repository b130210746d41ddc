import type { Axis } from './axis.js';

/** A date scale of a metrica, coarsest first. @publicApi */
export type Scale = 'year' | 'month' | 'day' | 'hour' | 'minute';

/**
 * What a metrica counts and how it is sliced.
 *
 * @publicApi
 */
export interface MetricaDefinition {
  /** Unique name, also part of its Redis keys. */
  name: string;
  /** Named axes; the order of keys is the axis order. */
  axes?: Record<string, Axis>;
  /** Also keep event counts, for `count()` and `average()`. */
  averaged?: boolean;
  /** Values are stored as integers after multiplying by this (default 1). */
  multiplier?: number;
  /** Date scales kept (default all: year, month, day, hour, minute). */
  scales?: Scale[];
  /** Seconds each scale's buckets live (default month 3 y, day 185 d, hour 14 d, minute 1 d). */
  expirations?: Partial<Record<Scale, number>>;
}
