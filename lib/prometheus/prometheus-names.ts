import type { AxisValue } from '../metricas/axes/axis-value.js';

/**
 * Prometheus' character sets: metric names `[a-zA-Z_:][a-zA-Z0-9_:]*`, label
 * names `[a-zA-Z_][a-zA-Z0-9_]*` (names starting `__` are reserved), label values
 * anything, escaped. Every other character becomes `_`.
 */

const METRIC_UNSAFE = /[^a-zA-Z0-9_:]/g;
const LABEL_UNSAFE = /[^a-zA-Z0-9_]/g;

/** `souvenirs_<name>` with the name's characters outside Prometheus' set replaced by `_`. @internal */
export function prometheusMetricName(metrica: string): string {
  return `souvenirs_${metrica.replace(METRIC_UNSAFE, '_')}`;
}

/**
 * Label names for a metrica's axes, in axis order: sanitised, never reserved
 * (`__x` → `axis__x`), never `le` (a histogram's), and distinct (`a-b` and `a_b`
 * → `a_b`, `a_b_2`).
 *
 * @internal
 */
export function prometheusLabelNames(axes: readonly string[]): string[] {
  const taken = new Set<string>(['le']);
  return axes.map((axis) => {
    let name = axis.replace(LABEL_UNSAFE, '_');
    if (name === '' || /^[0-9]/.test(name) || name.startsWith('__') || name === 'le') name = `axis_${name}`;
    let unique = name;
    for (let n = 2; taken.has(unique); n++) unique = `${name}_${n}`;
    taken.add(unique);
    return unique;
  });
}

/** A label value in the exposition format: `\`, `"` and newlines escaped. @internal */
export function escapeLabelValue(text: string): string {
  return text.replace(/[\\"\n]/g, (char) => (char === '\n' ? '\\n' : `\\${char}`));
}

/**
 * The text of an axis value as a label: a path joined by `/`, `null` (and an
 * axis a kick left out) as the empty string, which Prometheus reads as no label.
 *
 * @internal
 */
export function axisLabelText(value: AxisValue | undefined): string {
  if (value === undefined || value === null) return '';
  return Array.isArray(value) ? value.join('/') : String(value);
}

/** A sample value or `le` bound: `+Inf`, `-Inf`, `NaN` or the shortest decimal. @internal */
export function formatSampleValue(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return Number.isNaN(value) ? 'NaN' : String(value);
}
