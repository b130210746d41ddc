import type { AxisValue } from '../metricas/axes/axis-value.js';

/*
 * The texts of the exposition: label values and sample values. The names (metric and
 * label names) are decided when a metrica is defined: metricas/definition/prometheus-family.ts.
 */

/** The label value of the series past `maxSeries`: no real value's label text can be it (see {@link axisLabelText}). @internal */
export const OTHER_LABEL = '__other__';

/** A label value in the exposition format: `\`, `"` and newlines escaped. @internal */
export function escapeLabelValue(text: string): string {
  return text.replace(/[\\"\n]/g, (char) => (char === '\n' ? '\\n' : `\\${char}`));
}

/**
 * The text of an axis value as a label: a path joined by `/`, `null` (and an
 * axis a kick left out) as the empty string, which Prometheus reads as no label.
 * A text starting with `__` gets one more `_` (`__other__` → `___other__`), so no real
 * value reads as the `maxSeries` fold's {@link OTHER_LABEL}, and distinct values stay
 * distinct (strip one leading `_` from a value starting `___` to read it back).
 *
 * @internal
 */
export function axisLabelText(value: AxisValue | undefined): string {
  if (value === undefined || value === null) return '';
  const text = Array.isArray(value) ? value.join('/') : String(value);
  return text.startsWith('__') ? `_${text}` : text;
}

/** A sample value or `le` bound: `+Inf`, `-Inf`, `NaN` or the shortest decimal. @internal */
export function formatSampleValue(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return Number.isNaN(value) ? 'NaN' : String(value);
}
