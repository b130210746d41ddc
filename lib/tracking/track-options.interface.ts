import type { ExecutionContext, Type } from '@nestjs/common';
import type { SouvenirsInterceptor } from './souvenirs.interceptor.js';

/** What a user id is when it is stored: numbers are kept in decimal. @publicApi */
export type UserId = string | number;

/** Which routes the interceptor records. @publicApi */
export type TrackMode = 'all' | 'decorated';

/** How the interceptor records requests. @publicApi */
export interface TrackOptions {
  /** `'all'` (default) records every route; `'decorated'` only those with `@Track()`. */
  mode?: TrackMode;
  /**
   * Finds the signed-in user of a request; default `req.user?.id ?? req.user?.sub`, read
   * on the request and, on Fastify, on the raw Node request (`req.raw`) where
   * middleware sets it.
   */
  userId?: (context: ExecutionContext) => UserId | null | undefined;
  /** Keep the built-in `response_time` metrica (default `true`). */
  responseTime?: boolean;
  /**
   * A `SouvenirsInterceptor` subclass registered app-wide in its place (default: the
   * class itself). Taken from the application when it provides it, else instantiated
   * by Nest with its dependencies. Do not register it as an `APP_INTERCEPTOR` yourself:
   * requests would be recorded twice.
   */
  interceptor?: Type<SouvenirsInterceptor>;
}
