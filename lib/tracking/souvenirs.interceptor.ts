import {
  HttpException,
  Inject,
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { performance } from 'node:perf_hooks';
import { finalize, tap, type Observable } from 'rxjs';
import { ActivityService } from '../activity/activity.service.js';
import type { AxisValue } from '../metricas/axis-value.js';
import type { Metrica } from '../metricas/metrica.js';
import { MetricaRegistry } from '../metricas/metrica.registry.js';
import { RateLimitedWarning } from '../metricas/rate-limited-warning.js';
import type { ResolvedSouvenirsOptions } from '../souvenirs-options.defaults.js';
import type { TrackOptions, UserId } from '../souvenirs-options.interface.js';
import { NO_TRACK_METADATA, TRACK_METADATA } from '../souvenirs.constants.js';
import { SOUVENIRS_RESOLVED_OPTIONS } from '../souvenirs.internal-constants.js';
import { RecentActivity } from './recent-activity.js';
import { histogramBucketIndex } from '../metricas/histogram/histogram-buckets.js';
import { RESPONSE_TIME_BUCKETS, responseTimeDefinition, statusClassOf, type ResponseTimeAxes } from './response-time.metrica.js';
import type { TrackMetadata } from './track-metadata.interface.js';

/** The `response_time` axes of one request. */
type ResponseTimeKick = { view: string; exception: string | null; status: ResponseTimeAxes['status']['choices'][number] };

/** Response times of one recording batch, summed per distinct axes. @internal */
export class ResponseTimeSums {
  private readonly sums = new Map<string, { axes: ResponseTimeKick; elapsedMs: number; events: number }>();

  add(axes: ResponseTimeKick, elapsedMs: number): void {
    // Summed per histogram bucket too: a summed kick is counted in the bucket of its mean.
    const key = JSON.stringify([axes.view, axes.exception, axes.status, histogramBucketIndex(RESPONSE_TIME_BUCKETS, elapsedMs)]);
    const sum = this.sums.get(key);
    if (sum) {
      sum.elapsedMs += elapsedMs;
      sum.events += 1;
    } else {
      this.sums.set(key, { axes, elapsedMs, events: 1 });
    }
  }

  values() {
    return this.sums.values();
  }
}

/** At most one warning per kind of failure in this many ms. */
const WARN_EVERY_MS = 10_000;

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
 * Turns HTTP requests into activity (`ActivityService.souvenez`), the built-in
 * `response_time` metrica and the kicks `@Track()` asks for. Registered app-wide by
 * `SouvenirsModule` unless `track: false`.
 *
 * The handler's value and errors flow through untouched. Recording starts once the
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
export class SouvenirsInterceptor implements NestInterceptor, OnModuleInit, OnModuleDestroy {
  protected readonly logger = new Logger(SouvenirsInterceptor.name);
  private readonly warnings = new Map<string, RateLimitedWarning>();
  private responseTime: Metrica<ResponseTimeAxes> | undefined;
  private readonly recent: RecentActivity;
  /** Requests finished since the last recording turn: one `setImmediate` serves them all. */
  private pending: FinishedRequest[] = [];

  constructor(
    protected readonly reflector: Reflector,
    protected readonly activity: ActivityService,
    protected readonly registry: MetricaRegistry,
    @Inject(SOUVENIRS_RESOLVED_OPTIONS) protected readonly options: ResolvedSouvenirsOptions,
  ) {
    this.recent = new RecentActivity(options.rateLimitSeconds * 1000);
  }

  /** Defines the built-in `response_time` metrica when `track.responseTime` is on. */
  onModuleInit(): void {
    const track = this.options.track;
    if (track !== false && track.responseTime) this.responseTime = this.registry.define(responseTimeDefinition());
  }

  /** Stops the warnings' summary timers. */
  onModuleDestroy(): void {
    for (const warning of this.warnings.values()) warning.dispose();
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const track = this.options.track;
    if (track === false || context.getType() !== 'http') return next.handle();
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(NO_TRACK_METADATA, targets)) return next.handle();
    const metadata = this.reflector.getAllAndOverride<TrackMetadata | undefined>(TRACK_METADATA, targets);
    if (track.mode === 'decorated' && metadata === undefined) return next.handle();

    const started = performance.now();
    let settled = false;
    let succeeded = false;
    let result: unknown;
    let error: unknown;
    return next.handle().pipe(
      tap({
        next: (value) => {
          // A streamed response (SSE) emits many values; the first one is the result.
          if (settled) return;
          settled = succeeded = true;
          result = value;
        },
        complete: () => {
          if (!settled) settled = succeeded = true;
        },
        error: (thrown: unknown) => {
          if (settled) return;
          settled = true;
          error = thrown;
        },
      }),
      finalize(() => {
        // Unsubscribed before any outcome (client gone): nothing was answered, nothing to record.
        if (!settled) return;
        const finished: FinishedRequest = { context, metadata, elapsedMs: performance.now() - started, succeeded, result, error };
        // A later turn of the event loop: Nest writes the response first.
        if (this.pending.push(finished) === 1) setImmediate(() => this.recordPending(track));
      }),
    );
  }

  private recordPending(track: Required<TrackOptions>): void {
    const batch = this.pending;
    this.pending = [];
    const responseTimes = new ResponseTimeSums();
    for (const finished of batch) this.attempt('recording', () => this.record(finished, track, responseTimes));
    this.kickResponseTimes(responseTimes);
  }

  /**
   * One `response_time` kick per distinct (view, exception, status) of the batch,
   * weighing the sum of their times and counting their number: the same counters as
   * one kick per request, for a fraction of the work on a busy server.
   */
  private kickResponseTimes(sums: ResponseTimeSums): void {
    const responseTime = this.responseTime;
    if (!responseTime) return;
    for (const { axes, elapsedMs, events } of sums.values()) {
      this.settle('response_time', () => responseTime.kickFromTracking(axes, { value: elapsedMs }, events));
    }
  }

  /**
   * Starts every recording of one finished request without waiting for any: each
   * failure is caught and logged at a bounded rate. Never throws.
   */
  protected record(finished: FinishedRequest, track: Required<TrackOptions>, responseTimes: ResponseTimeSums): void {
    const userId = this.attempt('activity', () => this.userIdOf(finished.context, track));
    if (userId !== undefined && userId !== null) this.attempt('activity', () => this.recordActivity(userId));
    const metadata = finished.metadata;
    if (finished.succeeded && metadata?.metrica !== undefined) {
      const name = metadata.metrica;
      this.settle(`metrica ${name}`, () => this.kickTracked(name, metadata, finished));
    }
    if (this.responseTime) {
      responseTimes.add(
        { view: this.viewOf(finished.context), exception: this.exceptionOf(finished.error), status: this.statusOf(finished) },
        finished.elapsedMs,
      );
    }
  }

  /**
   * `souvenez(user)`, unless this process recorded the user within the rate-limit
   * window (the store would refuse it: see `RecentActivity`).
   */
  protected recordActivity(user: UserId): void {
    const when = this.options.now();
    const whenMs = when.getTime();
    if (!this.recent.begin(user, whenMs)) return;
    this.settle('activity', () =>
      this.activity.souvenez(user, { when }).then(
        (outcome) => this.recent.end(user, whenMs, outcome === 'added'),
        (error: unknown) => {
          this.recent.end(user, whenMs, false);
          throw error;
        },
      ),
    );
  }

  /** The signed-in user of the request (`track.userId`), or `null`/`undefined` for none. */
  protected userIdOf(context: ExecutionContext, track: Required<TrackOptions>): UserId | null | undefined {
    return track.userId(context);
  }

  /** The route's name in `response_time`: `Controller.handler`, never the URL (bounded cardinality). */
  protected viewOf(context: ExecutionContext): string {
    return `${context.getClass().name}.${context.getHandler().name}`;
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
    for (const [axis, source] of Object.entries(metadata.axes ?? {})) {
      axes[axis] = typeof source === 'function' ? source(request, finished.result) : source;
    }
    const value = metadata.value ? metadata.value(request, finished.result, finished.elapsedMs) : undefined;
    return this.registry.get(name).kickFromTracking(axes as never, value === undefined ? undefined : { value });
  }

  /** Runs `work` and returns its value, or logs its failure and returns `undefined`. */
  private attempt<T>(kind: string, work: () => T): T | undefined {
    try {
      return work();
    } catch (error) {
      this.warn(kind, error);
      return undefined;
    }
  }

  /** Starts `work`, not awaited; a synchronous throw or a rejection is logged. */
  private settle(kind: string, work: () => Promise<unknown>): void {
    try {
      work().catch((error: unknown) => this.warn(kind, error));
    } catch (error) {
      this.warn(kind, error);
    }
  }

  private warn(kind: string, error: unknown): void {
    let warning = this.warnings.get(kind);
    if (!warning) {
      warning = new RateLimitedWarning(this.logger, WARN_EVERY_MS);
      this.warnings.set(kind, warning);
    }
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    warning.warn(`Tracking a request failed (${kind}), the request was served anyway: ${reason}`);
  }
}
