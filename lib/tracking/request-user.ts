/** What the default `track.userId` reads a user id from. @internal */
export interface RequestUser {
  id?: unknown;
  sub?: unknown;
}

/**
 * The signed-in user an authentication step left on the request (`req.user`), on
 * Express and on Fastify alike. Fastify hands handlers its own request object, while
 * middleware (`app.use`, Passport, …) runs on the raw Node request and sets `user`
 * there: so `req.user` is read first, then `req.raw.user`.
 * @internal
 */
export function requestUser(request: unknown): RequestUser | undefined {
  if (typeof request !== 'object' || request === null) return undefined;
  const { user, raw } = request as { user?: unknown; raw?: { user?: unknown } };
  const found = isObject(user) ? user : isObject(raw) && isObject(raw.user) ? raw.user : undefined;
  return found as RequestUser | undefined;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
