import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { ActivityService } from '../activity/activity.service.js';
import type { AxisValue } from '../metricas/axes/axis-value.js';
import type { KickLane } from '../metricas/kick-lane.js';
import type { Metrica } from '../metricas/metrica.js';
import { MetricaRegistry } from '../metricas/metrica.registry.js';
import { RateLimitedWarning } from '../shared/rate-limited-warning.js';
import { SouvenirsCalendar } from '../calendar/souvenirs-calendar.js';
import { SOUVENIRS_OPTIONS } from '../shared/souvenirs-options.token.js';
import type { UserId } from './request-user.js';
import { RecentActivity } from './recent-activity.js';
import { responseTimeDefinition, type ResponseTimeAxes } from './response-time.metrica.js';

/** The `response_time` axes of one request. @internal */
export type ResponseTimeKick = { view: string; exception: string | null; status: ResponseTimeAxes['status']['choices'][number] };

/** At most one warning per kind of failure in this many ms. */
const WARN_EVERY_MS = 10_000;

/** The module options `TrackingRecorder` reads (a slice of the resolved options). @internal */
export interface RecorderSettings {
  /** `false`: nothing is recorded; else whether `response_time` is. */
  readonly track: { readonly responseTime: boolean } | false;
  /** Activity's rate limit, which the recorder applies before it reaches the service. */
  readonly rateLimitSeconds: number;
  /** The flush interval of the tracking lane. */
  readonly kickBuffer: { readonly trackingFlushIntervalMs: number };
}

/**
 * Where request tracking's work goes once a request is answered: its activity
 * (`ActivityService.souvenez`, skipped for users this process recorded within the
 * rate-limit window), its `response_time` and the kicks `@Track()` asks for. The
 * interceptor hands it finished requests; nothing here is awaited by a request.
 *
 * Work handed over during one turn of the event loop runs on the next (one
 * `setImmediate` for all). Kicks go through the public metrica API into a
 * `KickLane` of their own, written every `kickBuffer.trackingFlushIntervalMs`: the
 * lane sums a busy interval's kicks per counter, so Redis sees one write per
 * interval. Every failure is caught and logged at most once per 10 s per kind.
 *
 * At application shutdown (`beforeApplicationShutdown`, then once more at
 * `onApplicationShutdown` for requests answered meanwhile) it runs what is pending,
 * waits for activity writes in flight and writes its lane, before the store closes.
 */
@Injectable()
export class TrackingRecorder implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(TrackingRecorder.name);
  private readonly warnings = new Map<string, RateLimitedWarning>();
  private readonly recent: RecentActivity;
  private readonly inFlight = new Set<Promise<unknown>>();
  private lane: KickLane | undefined;
  private responseTimeMetrica: Metrica<ResponseTimeAxes> | undefined;
  /** The last promise `settle` watches per kind, and how many recordings settle on it. */
  private readonly watched = new Map<string, { readonly promise: Promise<unknown>; count: number }>();
  /** Work handed over since the last recording turn. */
  private pending: Array<() => void> = [];

  constructor(
    private readonly activity: ActivityService,
    private readonly registry: MetricaRegistry,
    @Inject(SOUVENIRS_OPTIONS) private readonly options: RecorderSettings,
    private readonly calendar: SouvenirsCalendar,
  ) {
    this.recent = new RecentActivity(options.rateLimitSeconds * 1000);
  }

  /** Opens the tracking lane and defines `response_time` when `track.responseTime` is on. */
  onModuleInit(): void {
    const track = this.options.track;
    if (track === false) return;
    this.lane = this.registry.lane(this.options.kickBuffer.trackingFlushIntervalMs);
    if (track.responseTime) this.responseTimeMetrica = this.registry.define(responseTimeDefinition());
  }

  /** Whether `response_time` is recorded. */
  get recordsResponseTime(): boolean {
    return this.responseTimeMetrica !== undefined;
  }

  /** Runs `work` on a later turn of the event loop (Nest writes the response first); a throw is logged. */
  later(work: () => void): void {
    if (this.pending.push(work) === 1) setImmediate(() => this.runPending());
  }

  /** `souvenez(user, { tenant })`, unless this process recorded the user in that tenant within the rate-limit window. */
  recordActivity(user: UserId, tenant: string | null = null): void {
    const when = this.calendar.now();
    const whenMs = when.getTime();
    if (!this.recent.begin(user, tenant, whenMs)) return;
    this.settle('activity', () => {
      const written = this.activity.souvenez(user, { when, tenant }).then(
        (outcome) => this.recent.end(user, tenant, whenMs, outcome === 'added'),
        (error: unknown) => {
          this.recent.end(user, tenant, whenMs, false);
          throw error;
        },
      );
      // Shutdown waits for activity writes, which use the store's connection (the claim).
      const settled = written.catch(() => undefined);
      this.inFlight.add(settled);
      void settled.then(() => this.inFlight.delete(settled));
      return written;
    });
  }

  /** One event of `response_time`, weighing `elapsedMs`. */
  recordResponseTime(axes: ResponseTimeKick, elapsedMs: number): void {
    const { lane, responseTimeMetrica } = this;
    if (!lane || !responseTimeMetrica) return;
    this.settle('response_time', () => lane.kick(responseTimeMetrica, axes, { value: elapsedMs }));
  }

  /** A kick of the metrica named by `@Track()`; resolves once stored. */
  kick(name: string, axes: Record<string, AxisValue | undefined>, value: number | undefined): Promise<void> {
    const lane = this.lane;
    if (!lane) return Promise.resolve();
    return lane.kick(this.registry.get(name), axes as never, value === undefined ? undefined : { value });
  }

  /** Runs `work` and returns its value, or logs its failure and returns `undefined`. */
  attempt<T>(kind: string, work: () => T): T | undefined {
    try {
      return work();
    } catch (error) {
      this.warn(kind, error);
      return undefined;
    }
  }

  /** Logs a failure of `kind` (at a bounded rate), as `attempt` does for a throw. */
  failed(kind: string, error: unknown): void {
    this.warn(kind, error);
  }

  /**
   * Starts `work`, not awaited; a synchronous throw or a rejection is logged.
   *
   * Kicks of one batch share its promise: one handler per promise and kind, told how
   * many settled on it, logs each of them as a handler per kick would (one promise
   * fewer per kick on the request path).
   */
  settle(kind: string, work: () => Promise<unknown>): void {
    let promise: Promise<unknown>;
    try {
      promise = work();
    } catch (error) {
      this.warn(kind, error);
      return;
    }
    const watched = this.watched.get(kind);
    if (watched?.promise === promise) {
      watched.count++;
      return;
    }
    const watch = { promise, count: 1 };
    this.watched.set(kind, watch);
    promise.then(
      () => {
        if (this.watched.get(kind) === watch) this.watched.delete(kind);
      },
      (error: unknown) => {
        if (this.watched.get(kind) === watch) this.watched.delete(kind);
        for (let failed = 0; failed < watch.count; failed++) this.warn(kind, error);
      },
    );
  }

  /** Records what is pending and stores it, before the metricas' and the store's shutdown. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  /** The same for requests answered since, then stops the warnings' timers. */
  async onApplicationShutdown(): Promise<void> {
    await this.drain();
    for (const warning of this.warnings.values()) warning.dispose();
  }

  /**
   * Runs pending work now, writes the lane and waits for the activity writes in
   * flight. Bounded: by the lane's retries and the database's own timeouts.
   */
  private async drain(): Promise<void> {
    this.runPending();
    await Promise.all([this.lane?.flush(), Promise.allSettled([...this.inFlight])]);
  }

  private runPending(): void {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    for (const work of batch) this.attempt('recording', work);
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
