/** What a user id is when it is stored: numbers are kept in decimal. */
export type UserId = string | number;

/** What the default `track.userId` reads a user id from. */
export interface RequestUser {
  id?: unknown;
  sub?: unknown;
}

/**
 * The signed-in user an authentication step left on the request (`req.user`), on
 * Express and on Fastify alike. Fastify hands guards, interceptors and `@Track` axes its
 * own request object, while middleware (`consumer.apply(…)`, `app.use`, Passport's
 * session middleware) runs on the raw Node request and sets `user` there: so `req.user`
 * is read first, then `req.raw.user`. The default `track.userId` reads the user this
 * way; `@Track` axis functions may too.
 *
 * @example
 * ```ts
 * @Track('purchases', { axes: { plan: (req) => requestUser<{ plan: string }>(req)?.plan } })
 * ```
 * @publicApi
 */
export function requestUser<U extends object = RequestUser>(request: unknown): U | undefined {
  if (!isObject(request)) return undefined;
  const { user, raw } = request as { user?: unknown; raw?: unknown };
  if (isObject(user)) return user as U;
  const rawUser = isObject(raw) ? (raw as { user?: unknown }).user : undefined;
  return isObject(rawUser) ? (rawUser as U) : undefined;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
