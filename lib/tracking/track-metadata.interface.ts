import type { AxisValue } from '../metricas/axes/axis-value.js';

/**
 * Finds one axis value of a `@Track()` kick from the request and the handler's result.
 *
 * @publicApi
 */
// `any` by default so `(req) => req.query.plan` needs no cast; narrow it with the generics.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TrackAxisResolver<Req = any, Result = any> = (req: Req, result: Result) => AxisValue | undefined;

/**
 * Options of `@Track()`: how the metrica's kick is built once the handler succeeded.
 *
 * @publicApi
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface TrackDecoratorOptions<Req = any, Result = any> {
  /** Axis values by axis name: a fixed value, or a function of the request and the result. */
  axes?: Record<string, AxisValue | TrackAxisResolver<Req, Result>>;
  /** The kick's value (default 1), from the request, the result and the handler's time in ms. */
  value?: (req: Req, result: Result, elapsedMs: number) => number;
}

/**
 * What `@Track()` stores under its metadata key, read by `SouvenirsInterceptor`.
 *
 * @publicApi
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface TrackMetadata<Req = any, Result = any> extends TrackDecoratorOptions<Req, Result> {
  /** The metrica kicked when the handler succeeds; absent: the route is only marked as tracked. */
  metrica?: string;
}
