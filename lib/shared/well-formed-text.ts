/**
 * A lone surrogate (`'\uD800'`, `'\uDC00'`) is a JS string no UTF-8 store can hold:
 * Redis, PostgreSQL and the Prometheus exposition receive it as U+FFFD, so `'\uD800'`,
 * `'\uDC00'` and `'\uFFFD'` would become one value there while staying three in memory or
 * SQLite. Texts that name something (user ids, axis names and values) are refused instead.
 */
const LONE_SURROGATE = /\p{Cs}/u;

/** Whether `text` holds a lone surrogate, which UTF-8 cannot encode. @internal */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}
