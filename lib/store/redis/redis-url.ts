/** The URL schemes `redis` accepts: Redis's own, and Valkey's (a Redis fork, same protocol). @internal */
export const REDIS_URL_SCHEMES = ['redis', 'rediss', 'valkey', 'valkeys'] as const;

const SCHEME = /^(redis|rediss|valkey|valkeys):\/\//i;

/** Whether `value` is a URL `redis` accepts (`redis://`, `rediss://`, `valkey://`, `valkeys://`). @internal */
export function isRedisUrl(value: unknown): value is string {
  return typeof value === 'string' && SCHEME.test(value);
}

/**
 * The URL as ioredis reads it: ioredis only knows `redis://` and `rediss://` (TLS), and
 * would take `valkey://host` for a host named "valkey", so Valkey's schemes are renamed
 * to their Redis twins (`valkeys://` is TLS, as `rediss://` is). Anything else is left as is.
 * @internal
 */
export function toIoredisUrl(url: string): string {
  return url.replace(SCHEME, (_match, scheme: string) => {
    const lower = scheme.toLowerCase();
    return `${lower === 'valkey' ? 'redis' : lower === 'valkeys' ? 'rediss' : lower}://`;
  });
}
