/**
 * A lone surrogate (`'\uD800'`, `'\uDC00'`) is a JS string no UTF-8 store can hold:
 * Redis, PostgreSQL and the Prometheus exposition receive it as U+FFFD, so `'\uD800'`,
 * `'\uDC00'` and `'\uFFFD'` would become one value there while staying three in memory or
 * SQLite. User ids and axis names are refused; the Prometheus exposition writes a value
 * holding one in an escaped form of its own (prometheus-names.ts); the metricas' store keys
 * escape them already.
 */
const LONE_SURROGATE = /\p{Cs}/u;

/** Whether `text` holds a lone surrogate, which UTF-8 cannot encode. @internal */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}
