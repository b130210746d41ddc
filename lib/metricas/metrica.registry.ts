import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { InvalidMetricaDefinitionError } from '../errors/invalid-metrica-definition.error.js';
import { InvalidOptionError } from '../errors/invalid-option.error.js';
import { describeValue } from '../errors/describe-value.js';
import { UnknownMetricaError } from '../errors/unknown-metrica.error.js';
import { assertTimeZone } from '../calendar/time-zone.js';
import { SouvenirsCalendar } from '../calendar/souvenirs-calendar.js';
import { SOUVENIRS_OPTIONS } from '../shared/souvenirs-options.token.js';
import { SouvenirsStore } from '../store/souvenirs-store.interface.js';
import { withTypedFailures } from '../store/typed-store-failures.js';
import { CellBudget } from './kick/cell-budget.js';
import { KickBuffer } from './kick/kick-buffer.js';
import { KickLane } from './kick-lane.js';
import { Metrica, type MetricaContext } from './metrica.js';
import { resolveMetricaDefinition, type ResolvedMetricaDefinition } from './definition/metrica-definition.js';
import { prometheusNamesOf } from './definition/prometheus-family.js';
import type { AxisMap, MetricaDefinition } from './definition/metrica-definition.interface.js';

/** How much longer than a write's retries (`kickBuffer.retryForMs`) shutdown waits for the last kicks. */
const SHUTDOWN_MARGIN_MS = 2_000;

/** The module options `MetricaRegistry` reads (a slice of the resolved options). @internal */
export interface MetricasSettings {
  /** Metricas defined at module init. */
  readonly metricas: readonly MetricaDefinition[];
  /** How kicks are buffered: the bound on waiting cells, `kick()`'s flush interval, how long a write is retried. */
  readonly kickBuffer: { readonly maxCells: number; readonly flushIntervalMs: number; readonly retryForMs: number };
}

/**
 * Defines and holds the metricas (staste's dimensional counters) and coalesces
 * their kicks into few store writes. Metricas of the `metricas` option are defined
 * at module init. At application shutdown, every kick issued before it is stored
 * (`beforeApplicationShutdown`, so before the store's connection closes in
 * `onApplicationShutdown`), waiting at most `kickBuffer.retryForMs` + 2 s.
 *
 * @publicApi
 * @example
 * constructor(private readonly metricas: MetricaRegistry) {}
 * await this.metricas.get('guests').kick({ gender: 'girl' });
 */
@Injectable()
export class MetricaRegistry implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly metricas = new Map<string, Metrica>();
  /** Each Prometheus name (family or sample) taken, and by which metrica. */
  private readonly exposedNames = new Map<string, string>();
  /** Each metrica name in NFC, and the name it was defined under. */
  private readonly nameForms = new Map<string, string>();
  /** The buffer of each flush interval in use; `kick()`'s is `kickBuffer.flushIntervalMs`'s. */
  private readonly lanes = new Map<number, KickLane>();
  /** One `kickBuffer.maxCells` bound over every lane. */
  private readonly budget: CellBudget;
  private readonly buffers = new Map<KickLane, KickBuffer>();
  private readonly context: MetricaContext;
  private readonly logger = new Logger(MetricaRegistry.name);
  /** The store, its failures typed: kicks and reads reject with `SouvenirsError`s only. */
  private readonly store: SouvenirsStore;

  constructor(
    @Inject(SouvenirsStore) store: SouvenirsStore,
    @Inject(SOUVENIRS_OPTIONS) private readonly options: MetricasSettings,
    calendar: SouvenirsCalendar,
  ) {
    assertTimeZone(calendar.timeZone);
    this.store = withTypedFailures(store);
    const { maxCells, flushIntervalMs } = options.kickBuffer;
    this.budget = new CellBudget(maxCells);
    const buffer = this.laneBuffer(flushIntervalMs);
    this.context = { store: this.store, buffer, timeZone: calendar.timeZone, now: calendar.now };
  }

  /** Kicks dropped so far, not counted: the buffer was full or the store failed past its retries. */
  get droppedKicks(): number {
    let dropped = 0;
    for (const lane of this.lanes.values()) dropped += lane.droppedKicks;
    return dropped;
  }

  /** Distinct counter cells waiting for a write, over every lane: at most `kickBuffer.maxCells`. */
  get waitingCells(): number {
    return this.budget.used;
  }

  /**
   * The lane whose kicks gather for `flushIntervalMs` before one write (one lane
   * per interval, made on first use). All lanes share the `kickBuffer.maxCells`
   * bound, and `flush()` and shutdown write them all.
   *
   * @throws InvalidOptionError when `flushIntervalMs` is not a number >= 0.
   */
  lane(flushIntervalMs: number): KickLane {
    const existing = this.lanes.get(flushIntervalMs);
    if (existing) return existing;
    if (typeof flushIntervalMs !== 'number' || !Number.isFinite(flushIntervalMs) || flushIntervalMs < 0) {
      throw new InvalidOptionError('lane(flushIntervalMs)', 'a number of milliseconds >= 0', flushIntervalMs);
    }
    const { retryForMs } = this.options.kickBuffer;
    const buffer = new KickBuffer(this.store, { flushIntervalMs, retryForMs }, this.budget, this.logger);
    const lane = new KickLane(flushIntervalMs, buffer);
    this.lanes.set(flushIntervalMs, lane);
    this.buffers.set(lane, buffer);
    return lane;
  }

  /** Defines the metricas of the `metricas` option. */
  onModuleInit(): void {
    for (const definition of this.options.metricas) this.define(definition);
  }

  /**
   * Stores every kick issued so far (waits at most `kickBuffer.retryForMs` + 2 s), before Nest closes any
   * connection (`onApplicationShutdown`): the Redis store closes its client there.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.flushWithin(this.options.kickBuffer.retryForMs + SHUTDOWN_MARGIN_MS);
  }

  /** Stores what a late hook kicked, then stops the log timers. */
  async onApplicationShutdown(): Promise<void> {
    await this.flushWithin(this.options.kickBuffer.retryForMs + SHUTDOWN_MARGIN_MS);
    for (const buffer of this.buffers.values()) buffer.dispose();
  }

  private laneBuffer(flushIntervalMs: number): KickBuffer {
    return this.buffers.get(this.lane(flushIntervalMs))!;
  }

  private async flushWithin(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ms);
      timer.unref();
    });
    const outcome = await Promise.race([this.flush(), timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') this.logger.warn(`Metrica kicks still unstored after ${ms / 1000} s at shutdown; they are lost.`);
  }

  /**
   * Defines a metrica, typed by its axes. Defining the same name again with an
   * identical definition returns the existing metrica.
   *
   * @throws InvalidMetricaDefinitionError for a bad definition, a different one under a name taken, or one whose
   *   Prometheus names (or an axis's label) another's already take once sanitised, naming both.
   */
  define<A extends AxisMap = Record<never, never>>(definition: MetricaDefinition<A>): Metrica<A> {
    const resolved = resolveMetricaDefinition(definition as MetricaDefinition);
    const existing = this.metricas.get(resolved.name);
    if (existing) {
      if (existing.definition.signature === resolved.signature) return existing as unknown as Metrica<A>;
      throw new InvalidMetricaDefinitionError(
        resolved.name,
        'a different metrica is already defined under this name (axes, averaged, multiplier, scales or expirations differ); ' +
          'a metrica\'s definition cannot change, so give the new one another name.',
      );
    }
    const exposed = this.refuseNameCollisions(resolved);
    const metrica = new Metrica<A>(resolved, this.context);
    this.metricas.set(resolved.name, metrica as unknown as Metrica);
    for (const name of exposed) this.exposedNames.set(name, resolved.name);
    this.nameForms.set(resolved.name.normalize('NFC'), resolved.name);
    return metrica;
  }

  /**
   * One name, one series: refuses a metrica whose name is another's in a second Unicode
   * form, or whose Prometheus names (its family and samples, once sanitised) another
   * already takes (`dup.name` beside `dup_name`, `café` beside `cafè`, a counter `x`
   * beside an averaged `x_total`), whether or not Prometheus is on.
   *
   * @returns the metrica's Prometheus names, to record once it is defined.
   * @throws InvalidMetricaDefinitionError naming both metricas.
   */
  private refuseNameCollisions(resolved: ResolvedMetricaDefinition): readonly string[] {
    const other = this.nameForms.get(resolved.name.normalize('NFC'));
    if (other !== undefined) {
      throw new InvalidMetricaDefinitionError(
        resolved.name,
        `it is metrica ${JSON.stringify(other)} in another Unicode form (NFC equal); use that name, or another.`,
      );
    }
    const { exposed } = prometheusNamesOf(resolved);
    for (const name of exposed) {
      const taken = this.exposedNames.get(name);
      if (taken !== undefined) {
        throw new InvalidMetricaDefinitionError(
          resolved.name,
          `its Prometheus name \`${name}\` is already metrica ${JSON.stringify(taken)}'s (names are sanitised to [a-zA-Z0-9_:]); ` +
            'Prometheus would keep one series of the two, so give one of them another name.',
        );
      }
    }
    return exposed;
  }

  /** @throws UnknownMetricaError when no metrica has this name. */
  get(name: string): Metrica {
    const metrica = this.metricas.get(name);
    // A name of another type is described, never converted: an object may refuse `String()`.
    if (!metrica) throw new UnknownMetricaError(typeof name === 'string' ? name : describeValue(name), [...this.metricas.keys()]);
    return metrica;
  }

  /** Whether a metrica has this name. */
  has(name: string): boolean {
    return this.metricas.has(name);
  }

  /** Every defined metrica, in definition order. */
  list(): Metrica[] {
    return [...this.metricas.values()];
  }

  /**
   * Resolves once every kick issued so far is stored (or has failed: failures go
   * to the kicks' promises, `droppedKicks` and the log). Never rejects.
   */
  async flush(): Promise<void> {
    await Promise.all([...this.lanes.values()].map((lane) => lane.flush()));
  }
}
