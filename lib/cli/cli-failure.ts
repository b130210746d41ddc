/** Node's error codes for a server that cannot be reached. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EAI_AGAIN']);

/** What ioredis says when a command cannot reach Redis (offline queue off, retries exhausted, closed). */
const REDIS_OFFLINE = /enableOfflineQueue|maxRetriesPerRequest|Connection is closed|Redis is not connected|ClusterAllFailedError/i;

/**
 * One line saying why a CLI command failed, naming the cause when it is a server that
 * cannot be reached: "the database is unreachable (connect ECONNREFUSED 127.0.0.1:5432); …",
 * "Redis is unreachable (…); …"; otherwise the error's own message, as it is.
 *
 * Redis errors are told apart by ioredis's own messages; any other connection error is the
 * database's, since the store connects lazily and never stops the boot, while TypeORM
 * connects during the boot and gives up after its `retryAttempts`.
 *
 * @internal
 */
export function describeFailure(error: unknown): string {
  // Duck-typed: an error from another realm (a vm context, a worker) is no `instanceof Error`.
  const { message: ownMessage, name: ownName } = (typeof error === 'object' && error !== null ? error : {}) as { message?: unknown; name?: unknown };
  const full = typeof ownMessage === 'string' ? ownMessage : String(error);
  const message = oneLine(full);
  const name = typeof ownName === 'string' ? ownName : '';
  if (REDIS_OFFLINE.test(message) || REDIS_OFFLINE.test(name)) {
    return `Redis is unreachable (${message}); check the redis option of SouvenirsModule and that Redis is up.`;
  }
  if (isUnreachable(error)) {
    return `the database is unreachable (${message}); check TypeOrmModule's connection options and that the database is up.`;
  }
  return full;
}

/** Whether `error` (or the error it wraps, or one of an AggregateError's) is a connection failure. */
function isUnreachable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  if (Array.isArray(errors) && errors.some((inner) => isUnreachable(inner, depth + 1))) return true;
  return isUnreachable(cause, depth + 1);
}

/** The first line of a message: the CLI prints one line per failure. */
function oneLine(message: string): string {
  return message.split('\n', 1)[0].trim() || 'unknown error';
}
