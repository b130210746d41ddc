import type { Axis } from '../axes/axis.js';
import type { HierarchicalAxis } from '../axes/hierarchical-axis.js';
import type { AxisMap } from './metrica-definition.interface.js';
import type { StoredChoiceAxis } from '../axes/stored-choice-axis.js';

/** The type of the values an axis accepts (`'boy' | 'girl'` for `new Axis({ choices: ['boy', 'girl'] })`). */
export type AxisValueOf<X> = X extends Axis<infer V> ? V : never;

/**
 * The type of the keys `iterate(axis)` returns for an axis: its choices for an
 * `Axis`, strings for a `StoredChoiceAxis`, paths for a `HierarchicalAxis`.
 */
export type AxisKeyOf<X> = X extends StoredChoiceAxis
  ? string
  : X extends HierarchicalAxis
    ? (string | number)[]
    : AxisValueOf<X>;

/**
 * The axes of a kick: only declared names, each with its axis's value type.
 * A metrica without axes accepts none.
 */
export type KickAxes<A extends AxisMap> = [keyof A] extends [never]
  ? Record<string, never>
  : { readonly [N in keyof A]?: AxisValueOf<A[N]> | undefined };

/**
 * A filter: only declared names, each with a value of its axis, or `null` /
 * `undefined` for all values.
 */
export type FilterAxes<A extends AxisMap> = [keyof A] extends [never]
  ? Record<string, never>
  : { readonly [N in keyof A]?: AxisValueOf<A[N]> | null | undefined };

/** The name of one of a metrica's axes. */
export type AxisName<A extends AxisMap> = keyof A & string;

/** Options of a kick. */
export interface KickOptions {
  /** What the event weighs (default 1); stored × the metrica's multiplier, rounded. Must be finite. */
  value?: number;
  /** When it happened (default: the module's clock, `now()`). */
  date?: Date;
}

/**
 * A date bucket: `{ year }`, `{ year, month }` … down to `{ …, hour, minute }`, read
 * on the module's time zone's clock. A finer field needs every coarser one;
 * `month` is 1-12, `day` 1 to the month's last, `hour` 0-23, `minute` 0-59.
 */
export interface Timespan {
  year?: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
}
