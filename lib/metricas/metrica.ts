import { TooManyChoicesError } from '../errors/too-many-choices.error.js';
import type { SouvenirsStore } from '../store/souvenirs-store.interface.js';
import type { KickBuffer } from './kick/kick-buffer.js';
import { KickPlanner } from './kick/kick-planner.js';
import { KnownChoices, type PlannedChoice } from './axes/known-choices.js';
import type { ResolvedMetricaDefinition } from './definition/metrica-definition.js';
import type { AxisMap, Scale } from './definition/metrica-definition.interface.js';
import { MetricaKeys } from './definition/metrica-keys.js';
import { MetricaValues, type MetricaQueryContext } from './reading/metrica-values.js';
import type { AxisKeyOf, AxisName, FilterAxes, KickAxes, KickOptions, Timespan } from './definition/metrica-types.js';

/** What every metrica of one registry shares. @internal */
export interface MetricaContext {
  readonly store: SouvenirsStore;
  /** Where `kick()` gathers; a `KickLane` brings its own. */
  readonly buffer: KickBuffer;
  readonly timeZone: string;
  readonly now: () => Date;
}

/**
 * A defined metrica: kick it when the event happens, query it with `values()`,
 * `timespan()`, `filter()` and friends. Get one from `MetricaRegistry.define()` or
 * `.get()`; `A` types its axes, so `kick()` and `filter()` accept only declared
 * axis names, each with its axis's value type.
 *
 * @publicApi
 * @example
 * const guests = registry.define({
 *   name: 'guests',
 *   axes: { gender: new Axis({ choices: ['boy', 'girl'] }), age: new StoredChoiceAxis() },
 * });
 * await guests.kick({ gender: 'girl', age: 18 });
 * await guests.filter({ gender: 'girl' }).total(); // 1
 */
export class Metrica<A extends AxisMap = AxisMap> {
  /** The unique name. */
  readonly name: string;
  /** The axes by name, in axis order. */
  readonly axes: Readonly<A>;
  /** Whether event counts are kept (`count()`, `average()`). */
  readonly averaged: boolean;
  /** Values are stored × this, rounded. */
  readonly multiplier: number;
  /** The date scales kept, coarsest first. */
  readonly scales: readonly Scale[];
  /** Seconds each scale's buckets live after their last write (absent: forever). */
  readonly expirations: Readonly<Partial<Record<Scale, number>>>;

  private readonly query: MetricaQueryContext;
  private readonly planner: KickPlanner;
  private readonly known = new KnownChoices();

  /** @internal Use `MetricaRegistry.define()`. */
  constructor(
    /** @internal */ readonly definition: ResolvedMetricaDefinition,
    private readonly context: MetricaContext,
  ) {
    this.name = definition.name;
    this.axes = definition.axisMap as Readonly<A>;
    this.averaged = definition.averaged;
    this.multiplier = definition.multiplier;
    this.scales = definition.scales;
    this.expirations = definition.ttls;
    const keys = new MetricaKeys(definition.name);
    this.query = { definition, keys, store: context.store, timeZone: context.timeZone };
    this.planner = new KickPlanner(definition, keys, context.timeZone, context.now);
  }

  /**
   * Counts one event: bumps every combination of (all, the given value) per axis,
   * in the all-time bucket and in every kept date scale, by `value` (default 1).
   * An axis left out counts under "all" only. Checks everything first: a bad kick
   * writes nothing.
   *
   * Kicks are coalesced: concurrent kicks reach the store as one write.
   *
   * @returns a promise resolved once the increments (and the kick's new axis
   *   choices) are stored; while the store is unreachable they are retried for
   *   `kickBuffer.retryForMs`. A kick dropped because the buffer is full
   *   (`KickDroppedError`), or because the store stayed unreachable
   *   (`StoreUnavailableError`) or refused the write (`StoreRefusedError`), rejects,
   *   the store's error as `cause`, but is also counted and logged, so a kick that
   *   nobody awaits is safe.
   * @throws (as a rejection) UnknownAxisError, InvalidAxisValueError,
   *   InvalidMetricaValueError, InvalidDateError, TooManyChoicesError.
   */
  kick(axes?: KickAxes<A>, options?: KickOptions): Promise<void> {
    return this.kickInto(this.context.buffer, axes, options);
  }

  /** A kick gathered in `buffer` (a `KickLane`'s). @internal */
  kickInto(buffer: KickBuffer, axes: KickAxes<A> | undefined, options: KickOptions | undefined): Promise<void> {
    let plan;
    try {
      plan = this.planner.plan(axes, options);
    } catch (error) {
      return Promise.reject(error);
    }
    const missing = this.known.missing(plan.choices);
    if (missing.length === 0) return buffer.add(this.name, plan.groups);
    // Kicks waiting for the same new choices wait together, summed, for one store call.
    const waitingFor = missing.map(({ key, member }) => `${key}\u0000${member}`).sort().join('\u0001');
    return buffer.addAfterChoices(this.name, waitingFor, plan.groups, () => this.storeChoices(missing));
  }

  /** A query of all values of all time. */
  values(): MetricaValues<A> {
    return new MetricaValues<A>(this.query);
  }

  /** A query of one date bucket. @see MetricaValues.timespan */
  timespan(timespan: Timespan): MetricaValues<A> {
    return this.values().timespan(timespan);
  }

  /** A query of some axis values. @see MetricaValues.filter */
  filter(filter: FilterAxes<A>): MetricaValues<A> {
    return this.values().filter(filter);
  }

  /** The sum of all values ever kicked. */
  total(): Promise<number> {
    return this.values().total();
  }

  /** How many kicks were ever counted (averaged metricas). */
  count(): Promise<number> {
    return this.values().count();
  }

  /** The average of all values ever kicked, or `null` (averaged metricas). */
  average(): Promise<number | null> {
    return this.values().average();
  }

  /**
   * The values an axis takes: an `Axis`'s choices in order, a `StoredChoiceAxis`'s
   * stored values (sorted strings), a `HierarchicalAxis`'s top-level paths.
   *
   * @throws UnknownAxisError
   */
  async choices<N extends AxisName<A>>(axis: N): Promise<Array<AxisKeyOf<A[N]>>> {
    return (await this.values().axisKeys(axis)) as Array<AxisKeyOf<A[N]>>;
  }

  /** Stores a kick's new choices; rejects with `TooManyChoicesError` when a bounded axis refuses one. */
  private async storeChoices(missing: PlannedChoice[]): Promise<void> {
    const refused = await this.known.store(this.context.store, missing);
    if (refused) throw new TooManyChoicesError(this.name, refused.axis ?? 'years', refused.value, refused.maxChoices ?? 0);
  }
}
