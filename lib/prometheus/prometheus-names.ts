import type { AxisValue } from '../metricas/axes/axis-value.js';
import { hasLoneSurrogate } from '../shared/well-formed-text.js';

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

/** Where label texts of values holding a lone surrogate live: no other label text starts so. */
const UTF16_PREFIX = '__utf16:';

/**
 * The text of an axis value as a label: a path joined by `/`, `null` (and an
 * axis a kick left out) as the empty string, which Prometheus reads as no label.
 * Distinct values give distinct texts, none of them the `maxSeries` fold's
 * {@link OTHER_LABEL}:
 * - a text starting with `__` gets one more `_` (`__other__` → `___other__`; strip one
 *   leading `_` from a value starting `___` to read it back);
 * - a text holding a lone surrogate (`'\uD800'`), which UTF-8 cannot carry (it would
 *   reach Prometheus as U+FFFD, one series with `'\uFFFD'`), is written
 *   `__utf16:` + the text with `\` doubled and each lone surrogate as `\uD800`.
 *
 * @internal
 */
export function axisLabelText(value: AxisValue | undefined): string {
  if (value === undefined || value === null) return '';
  const text = Array.isArray(value) ? value.join('/') : String(value);
  if (hasLoneSurrogate(text)) {
    return UTF16_PREFIX + text.replace(/\\|\p{Cs}/gu, (char) => (char === '\\' ? '\\\\' : `\\u${char.charCodeAt(0).toString(16).toUpperCase()}`));
  }
  return text.startsWith('__') ? `_${text}` : text;
}

/** A sample value or `le` bound: `+Inf`, `-Inf`, `NaN` or the shortest decimal. @internal */
export function formatSampleValue(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return Number.isNaN(value) ? 'NaN' : String(value);
}
