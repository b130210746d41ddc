import {
  HttpException,
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { performance } from 'node:perf_hooks';
import { Observable } from 'rxjs';
import type { AxisValue } from '../metricas/axes/axis-value.js';
import { SOUVENIRS_OPTIONS } from '../shared/souvenirs-options.token.js';
import type { UserId } from './request-user.js';
import { NO_TRACK_METADATA, TRACK_METADATA } from './tracking.constants.js';
import { statusClassOf, type ResponseTimeAxes } from './response-time.metrica.js';
import type { TrackMetadata } from './track-metadata.interface.js';
import { TrackingRecorder } from './tracking-recorder.js';
import { toTenant } from '../activity/tenant.js';

/** Which routes the interceptor records: `'all'`, or only those with `@Track()`. */
export type TrackMode = 'all' | 'decorated';

/** The `track` option as the interceptor reads it, defaults filled in (see `TrackOptions`): what the `protected` hooks receive. @publicApi */
export interface RequestTracking {
  /** `'all'` records every route; `'decorated'` only those with `@Track()`. */
  readonly mode: TrackMode;
  /** Finds the signed-in user of a request. */
  readonly userId: (context: ExecutionContext) => UserId | null | undefined;
  /** Finds the tenant (organisation, workspace) of a request; `null`/`undefined`: none. */
  readonly tenant: (context: ExecutionContext) => string | null | undefined;
  /** Whether the built-in `response_time` metrica is kept. */
  readonly responseTime: boolean;
}

/** The module options the interceptor reads (a slice of the resolved options). @internal */
export interface TrackingSettings {
  /** `false`: no request is recorded. */
  readonly track: RequestTracking | false;
}

/** What the interceptor reads of a route's metadata, looked up once per route. */
interface RouteTracking {
  /** `@NoTrack()`: the route is not recorded. */
  readonly skipped: boolean;
  readonly metadata: TrackMetadata | undefined;
  /** The kind of failure a `@Track()` kick of it is logged as. */
  readonly kickKind: string | undefined;
}

/** What one finished request leaves for the recording, captured on the request path. @internal */
export interface FinishedRequest {
  readonly context: ExecutionContext;
  readonly metadata: TrackMetadata | undefined;
  readonly elapsedMs: number;
  readonly succeeded: boolean;
  readonly result: unknown;
  readonly error: unknown;
}

/**
 * Turns HTTP requests into activity, the built-in `response_time` metrica and the
 * kicks `@Track()` asks for, handing each finished request to the
 * `TrackingRecorder`. Registered app-wide by `SouvenirsModule` unless `track: false`.
 *
 * The handler's value and errors flow through untouched. On the request path it
 * only reads the route's metadata and the clock; recording starts once the
 * response is produced, on a later turn of the event loop, and is never awaited by
 * the request: with Redis or the database down, requests are served as before and
 * each kind of failure is logged at most once per 10 s (with a count of the others).
 * Non-HTTP contexts (microservices, WebSockets) pass through.
 *
 * Subclass it to change how users, views or statuses are found: the `protected`
 * methods are the extension points.
 *
 * @publicApi
 */
@Injectable()
export class SouvenirsInterceptor implements NestInterceptor {
  /**
   * Each route's metadata by handler, then controller: decorators set it once, at
   * class definition, so it is read once per route rather than per request.
   */
  private readonly routes = new WeakMap<object, WeakMap<object, RouteTracking>>();
  /** The default view names, by handler then controller. */
  private readonly views = new WeakMap<object, WeakMap<object, string>>();

  constructor(
    protected readonly reflector: Reflector,
    protected readonly recorder: TrackingRecorder,
    @Inject(SOUVENIRS_OPTIONS) protected readonly options: TrackingSettings,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const track = this.options.track;
    if (track === false || context.getType() !== 'http') return next.handle();
    const route = this.routeOf(context);
    if (route.skipped) return next.handle();
    const metadata = route.metadata;
    if (track.mode === 'decorated' && metadata === undefined) return next.handle();

    const started = performance.now();
    const source = next.handle();
    // One subscriber in between (not a tap and a finalize), its teardown run as finalize's would be.
    return new Observable<unknown>((subscriber) => {
      let settled = false;
      let succeeded = false;
      let result: unknown;
      let error: unknown;
      const inner = source.subscribe({
        next: (value) => {
          // A streamed response (SSE) emits many values; the first one is the result.
          if (!settled) {
            settled = succeeded = true;
            result = value;
          }
          subscriber.next(value);
        },
        complete: () => {
          if (!settled) settled = succeeded = true;
          subscriber.complete();
        },
        error: (thrown: unknown) => {
          if (!settled) {
            settled = true;
            error = thrown;
          }
          subscriber.error(thrown);
        },
      });
      return () => {
        inner.unsubscribe();
        // Unsubscribed before any outcome (client gone): nothing was answered, nothing to record.
        if (!settled) return;
        const finished: FinishedRequest = { context, metadata, elapsedMs: performance.now() - started, succeeded, result, error };
        // A later turn of the event loop: Nest writes the response first.
        this.recorder.later(() => this.record(finished, track));
      };
    });
  }

  /** The route's `@NoTrack()` and `@Track()` metadata, the handler's overriding its controller's. */
  private routeOf(context: ExecutionContext): RouteTracking {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byController = this.routes.get(handler);
    const known = byController?.get(controller);
    if (known) return known;
    const targets = [handler, controller];
    const metadata = this.reflector.getAllAndOverride<TrackMetadata | undefined>(TRACK_METADATA, targets);
    const route: RouteTracking = {
      skipped: Boolean(this.reflector.getAllAndOverride<boolean | undefined>(NO_TRACK_METADATA, targets)),
      metadata,
      kickKind: metadata?.metrica === undefined ? undefined : `metrica ${metadata.metrica}`,
    };
    if (!byController) this.routes.set(handler, (byController = new WeakMap()));
    byController.set(controller, route);
    return route;
  }

  /**
   * Starts every recording of one finished request without waiting for any: each
   * failure is caught and logged at a bounded rate. Never throws.
   */
  protected record(finished: FinishedRequest, track: RequestTracking): void {
    const recorder = this.recorder;
    // Each step's throw is caught and logged as `recorder.attempt` would, without a closure per step.
    let userId: UserId | null | undefined;
    try {
      userId = this.userIdOf(finished.context, track);
    } catch (thrown) {
      recorder.failed('activity', thrown);
    }
    if (userId !== undefined && userId !== null) {
      // A tenant that cannot be found (the function threw, or gave no valid tenant) is logged
      // and the activity recorded without one: the user was active, and the site counts them.
      let tenant: string | null = null;
      try {
        tenant = toTenant(this.tenantOf(finished.context, track));
      } catch (thrown) {
        recorder.failed('tenant', thrown);
      }
      try {
        this.recordActivity(userId, tenant);
      } catch (thrown) {
        recorder.failed('activity', thrown);
      }
    }
    const metadata = finished.metadata;
    if (finished.succeeded && metadata?.metrica !== undefined) {
      const name = metadata.metrica;
      const kind = this.routes.get(finished.context.getHandler())?.get(finished.context.getClass())?.kickKind ?? `metrica ${name}`;
      recorder.settle(kind, () => this.kickTracked(name, metadata, finished));
    }
    if (recorder.recordsResponseTime) {
      try {
        recorder.recordResponseTime(
          { view: this.viewOf(finished.context), exception: this.exceptionOf(finished.error), status: this.statusOf(finished) },
          finished.elapsedMs,
        );
      } catch (thrown) {
        recorder.failed('response_time', thrown);
      }
    }
  }

  /**
   * Records the user's activity in `tenant` (`souvenez`), unless this process recorded
   * them there within the rate-limit window (the store would refuse it anyway).
   */
  protected recordActivity(user: UserId, tenant: string | null = null): void {
    this.recorder.recordActivity(user, tenant);
  }

  /** The signed-in user of the request (`track.userId`), or `null`/`undefined` for none. */
  protected userIdOf(context: ExecutionContext, track: RequestTracking): UserId | null | undefined {
    return track.userId(context);
  }

  /** The request's tenant (`track.tenant`), or `null`/`undefined` for none; checked by the caller. */
  protected tenantOf(context: ExecutionContext, track: RequestTracking): unknown {
    return track.tenant(context);
  }

  /** The route's name in `response_time`: `Controller.handler`, never the URL (bounded cardinality). */
  protected viewOf(context: ExecutionContext): string {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byController = this.views.get(handler);
    let view = byController?.get(controller);
    if (view === undefined) {
      // Built once per route: the same string each request, whose hash the kick's maps keep.
      view = `${controller.name}.${handler.name}`;
      if (!byController) this.views.set(handler, (byController = new WeakMap()));
      byController.set(controller, view);
    }
    return view;
  }

  /** The `exception` axis value: the error's class name, or `null` on success. */
  protected exceptionOf(error: unknown): string | null {
    if (error === undefined) return null;
    if (typeof error === 'object' && error !== null) return error.constructor?.name || 'Object';
    return typeof error;
  }

  /** The HTTP status class: the response's status on success, `HttpException.getStatus()` or 500 on error. */
  protected statusOf(finished: FinishedRequest): ResponseTimeAxes['status']['choices'][number] {
    if (!finished.succeeded) return statusClassOf(finished.error instanceof HttpException ? finished.error.getStatus() : 500);
    const response = finished.context.switchToHttp().getResponse<{ statusCode?: unknown }>();
    return statusClassOf(typeof response?.statusCode === 'number' ? response.statusCode : 200);
  }

  /** Kicks the metrica of `@Track()` with its axes resolved from the request and the result. */
  protected kickTracked(name: string, metadata: TrackMetadata, finished: FinishedRequest): Promise<void> {
    const request: unknown = finished.context.switchToHttp().getRequest();
    const axes: Record<string, AxisValue | undefined> = {};
    const sources = metadata.axes;
    if (sources) {
      for (const axis of Object.keys(sources)) {
        const source = sources[axis];
        axes[axis] = typeof source === 'function' ? source(request, finished.result) : source;
      }
    }
    const value = metadata.value ? metadata.value(request, finished.result, finished.elapsedMs) : undefined;
    return this.recorder.kick(name, axes, value);
  }
}
