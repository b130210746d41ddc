/**
 * The names a metrica takes in the Prometheus exposition, decided here, below the
 * registry, so that `define()` refuses a metrica whose names another's already take:
 * promtool rejects a family written twice ("second HELP line") and Prometheus keeps one
 * series of the two. `lib/prometheus/` writes what this names.
 *
 * Prometheus' character sets: metric names `[a-zA-Z_:][a-zA-Z0-9_:]*`, label names
 * `[a-zA-Z_][a-zA-Z0-9_]*` (names starting `__` are reserved). Every other character
 * becomes `_`, so `dup.name`, `dup-name` and `dup/name` are all `dup_name`, and `café`
 * and `cafè` both `caf_`.
 */

/** Name of the built-in response-time metrica, exported in seconds. @publicApi */
export const RESPONSE_TIME_METRICA = 'response_time';

const METRIC_UNSAFE = /[^a-zA-Z0-9_:]/g;
const LABEL_UNSAFE = /[^a-zA-Z0-9_]/g;
/** Label names with a meaning of their own: a histogram's bound, a summary's quantile. */
const SPECIAL_LABELS = new Set(['le', 'quantile']);

/** What a metrica is in the exposition. @internal */
export type PrometheusType = 'counter' | 'summary' | 'histogram';

/** A metrica's names in the exposition. @internal */
export interface PrometheusNames {
  /** `souvenirs_<name>` (`_seconds` added for `response_time`), without `_total`, `_bucket`… */
  readonly family: string;
  readonly type: PrometheusType;
  /** Every name the exposition writes for it: its HELP/TYPE name and each sample's. */
  readonly exposed: readonly string[];
  /** Label names, one per axis, in axis order. */
  readonly labels: readonly string[];
  /** Exported units per stored unit (`response_time`: ms → s). */
  readonly unit: number;
}

/** `souvenirs_<name>` with the name's characters outside Prometheus' set replaced by `_`. @internal */
export function prometheusMetricName(metrica: string): string {
  return `souvenirs_${metrica.replace(METRIC_UNSAFE, '_')}`;
}

/**
 * An axis's label name: sanitised, and prefixed `axis_` where it would be empty, start
 * with a digit, be reserved (`__x` → `axis___x`) or special (`le`, `quantile`). Never
 * de-duplicated: two axes with one label name are refused by `define()` instead.
 *
 * @internal
 */
export function prometheusLabelName(axis: string): string {
  const name = axis.replace(LABEL_UNSAFE, '_');
  return name === '' || /^[0-9]/.test(name) || name.startsWith('__') || SPECIAL_LABELS.has(name) ? `axis_${name}` : name;
}

/** The Prometheus names of a metrica of this name, axes and kind. @internal */
export function prometheusNamesOf(definition: {
  readonly name: string;
  readonly axes: ReadonlyArray<readonly [string, unknown]>;
  readonly averaged: boolean;
  readonly histogram: readonly number[] | undefined;
}): PrometheusNames {
  const seconds = definition.name === RESPONSE_TIME_METRICA;
  const family = prometheusMetricName(definition.name) + (seconds ? '_seconds' : '');
  const type: PrometheusType = definition.histogram ? 'histogram' : definition.averaged ? 'summary' : 'counter';
  const samples = type === 'counter' ? ['_total'] : type === 'summary' ? ['_sum', '_count'] : ['_bucket', '_sum', '_count'];
  const exposed = [type === 'counter' ? `${family}_total` : family, ...samples.map((suffix) => family + suffix)];
  return { family, type, exposed: [...new Set(exposed)], labels: definition.axes.map(([axis]) => prometheusLabelName(axis)), unit: seconds ? 1 / 1000 : 1 };
}
