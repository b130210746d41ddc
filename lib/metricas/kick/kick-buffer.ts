import type { LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { KickDroppedError } from '../../errors/kick-dropped.error.js';
import { TooManyChoicesError } from '../../errors/too-many-choices.error.js';
import type { KeyIncrements, SouvenirsStore } from '../../store/souvenirs-store.interface.js';
import type { CellBudget } from './cell-budget.js';
import { retryWhileTransient, writeExactlyOnce } from './exactly-once-write.js';
import { RateLimitedWarning } from '../../shared/rate-limited-warning.js';

/** The increments of one kick to one key: `by` added to each field. @internal */
export interface KickCells {
  readonly key: string;
  readonly ttlSeconds: number | undefined;
  readonly fields: readonly string[];
  readonly by: number;
}

/** Pace and retries of a {@link KickBuffer}. @internal */
export interface KickBufferLimits {
  /** How long a batch gathers before it is written (0: the next turn of the event loop). */
  readonly flushIntervalMs: number;
  /**
   * How long a write whose connection failed is sent again (same flush id, so it
   * counts once) before its kicks are dropped: a blip of a few seconds loses nothing.
   */
  readonly retryForMs: number;
}

/** One key of a batch, in the shape the store takes: its fields' sums and its lifetime. */
interface KeyCells extends KeyIncrements {
  ttlSeconds: number | undefined;
  readonly fields: Map<string, number>;
}

const noop = (): void => undefined;

/** A rejected promise that does not count as unhandled: the failure is already logged and counted. */
function quietRejection(error: unknown): Promise<never> {
  const rejection = Promise.reject(error);
  rejection.catch(noop);
  return rejection;
}

/**
 * Kicks gathered for one write: their cells summed per key and field (`keys`, the
 * very map the store is given), and one promise for all.
 */
class Batch {
  /** Sent with every attempt of this batch's write, so a retry after a lost reply counts once. */
  readonly flushId = randomUUID();
  readonly keys = new Map<string, KeyCells>();
  cells = 0;
  kicks = 0;
  /** Its flush time came (or `flush()` asked) while another batch was being written. */
  due = false;
  timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  readonly done: Promise<void>;
  resolve!: () => void;
  reject!: (error: unknown) => void;

  constructor() {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // Kicks fired and forgotten must not crash the process on a store failure,
    // which is logged and counted here; callers that await still see it.
    this.done.catch(noop);
  }
}

/**
 * Kicks waiting for the same new axis choices to be stored (a first-seen view of
 * `response_time`, a new value of a `StoredChoiceAxis`): summed as a batch is,
 * while one store call (retried) stores the choices for all of them; then they
 * join the gathering batch together, or are all refused.
 */
class ChoiceWait {
  readonly keys = new Map<string, KeyCells>();
  cells = 0;
  kicks = 0;
  readonly done: Promise<void>;
  resolve!: () => void;
  reject!: (error: unknown) => void;

  constructor() {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.done.catch(noop);
  }
}

/**
 * Coalesces metrica kicks: concurrent kicks are summed per counter into one batch,
 * written with ONE `incrementCounters` call. One write is in flight at a time;
 * the next batch gathers meanwhile. Each batch schedules its write once (the next
 * turn of the event loop, or one shared `flushIntervalMs` timer that never keeps
 * the process alive), never a timer per kick.
 *
 * Exactly once: each batch carries a flush id that the store records atomically
 * with the increments. A write that fails with a transient error (lost
 * connection, Cluster failover) is sent again with the same id, backing off from
 * 50 ms to 1 s, for `retryForMs`; so a blip neither loses nor doubles a kick, and
 * a kick's promise resolves once its increments are stored.
 *
 * A kick bringing axis choices the store has not seen (see `KnownChoices`) waits
 * for them to be stored first, retried the same way (adding a choice twice is
 * harmless), so an outage loses no first-seen value either; kicks waiting for the
 * same choices are summed while they wait (`addAfterChoices`).
 *
 * Bounded: once the registry's `maxCells` distinct cells wait (in all its buffers
 * together, waiting kicks included), further kicks are dropped (their promises reject with
 * `KickDroppedError`), counted and logged at most once per `warnEveryMs`. A store
 * failure that outlasts the retries, or is not transient, rejects every kick of
 * its batch with that error, and they are counted as dropped and logged the same way.
 *
 * @internal
 */
export class KickBuffer {
  private gathering: Batch | null = null;
  private flying: Batch | null = null;
  /** Kicks still storing their axis choices, not yet in a batch: `flush()` waits for them. */
  private readonly pending = new Set<Promise<unknown>>();
  /** Kicks waiting for their new axis choices, by what they wait for. */
  private readonly waits = new Map<string, ChoiceWait>();
  private dropped = 0;
  private readonly warning: RateLimitedWarning;

  constructor(
    private readonly store: SouvenirsStore,
    private readonly limits: KickBufferLimits,
    private readonly budget: CellBudget,
    logger: LoggerService,
    warnEveryMs = 10_000,
  ) {
    this.warning = new RateLimitedWarning(logger, warnEveryMs);
  }

  /** Kicks dropped so far: buffer full or store failure. */
  get droppedKicks(): number {
    return this.dropped;
  }

  /** Distinct cells waiting in the gathering batch. */
  get waitingCells(): number {
    return this.gathering?.cells ?? 0;
  }

  /**
   * Adds one kick's cells to the gathering batch.
   *
   * @returns a promise settled when the batch is written: resolved once stored,
   *   rejected with the store's error, or with `KickDroppedError` at once when full.
   */
  add(metrica: string, groups: readonly KickCells[]): Promise<void> {
    const batch = this.gathering ?? this.open();
    if (this.refuses(batch.keys, groups)) return this.drop(metrica);
    batch.cells += sumInto(batch.keys, groups, this.budget);
    batch.kicks++;
    return batch.done;
  }

  /**
   * Adds one kick that needs new axis choices stored first. Kicks waiting for the
   * same choices (`waitingFor`, a key naming them) are summed while they wait, and
   * `storeChoices` runs once for all of them, retried like a batch's write for
   * `retryForMs`; once it resolves they join the gathering batch together. If it
   * rejects (`TooManyChoicesError`, or the store still failing), so do they all.
   * `flush()` waits for them.
   */
  addAfterChoices(metrica: string, waitingFor: string, groups: readonly KickCells[], storeChoices: () => Promise<void>): Promise<void> {
    let wait = this.waits.get(waitingFor);
    if (!wait) {
      if (this.refuses(new Map(), groups)) return this.drop(metrica);
      wait = this.openWait(metrica, waitingFor, storeChoices);
    } else if (this.refuses(wait.keys, groups)) {
      return this.drop(metrica);
    }
    wait.cells += sumInto(wait.keys, groups, this.budget);
    wait.kicks++;
    return wait.done;
  }

  /**
   * Registers a kick that must store its axis choices before it reaches a batch:
   * `flush()` waits until `queued` settles (once the kick is in a batch, or failed).
   */
  private track<T>(queued: Promise<T>): Promise<T> {
    this.pending.add(queued);
    const forget = (): void => {
      this.pending.delete(queued);
    };
    queued.then(forget, forget);
    return queued;
  }

  /** Counts and logs kicks that failed before reaching a batch (their choices could not be stored). */
  private reportFailure(metrica: string, error: unknown, kicks: number): void {
    this.dropped += kicks;
    this.warning.warn(
      `${kicks} kick(s) of metrica "${metrica}" could not be stored and were dropped (their axis choices could not be stored): ` +
        `${describeError(error)}. ${this.dropped} kicks dropped in all.`,
    );
  }

  /**
   * Writes everything queued so far now. Resolves once it is stored or has failed
   * (failures reach the kicks' promises, `droppedKicks` and the log); never rejects.
   */
  async flush(): Promise<void> {
    if (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    const waits: Promise<void>[] = [];
    if (this.flying) waits.push(this.flying.done);
    const batch = this.gathering;
    if (batch) {
      waits.push(batch.done);
      batch.due = true;
      if (!this.flying) this.start();
    }
    await Promise.allSettled(waits);
  }

  /** Stops the log's summary timer. */
  dispose(): void {
    this.warning.dispose();
  }

  /** Whether adding `groups` to `keys` would take the registry past `maxCells` waiting cells. */
  private refuses(keys: ReadonlyMap<string, KeyCells>, groups: readonly KickCells[]): boolean {
    let size = 0;
    for (const group of groups) size += group.fields.length;
    const { used, maxCells } = this.budget;
    return used + size > maxCells && used + freshCells(keys, groups) > maxCells;
  }

  private drop(metrica: string): Promise<never> {
    const { used, maxCells } = this.budget;
    this.dropped++;
    this.warning.warn(
      `Dropped a kick of metrica "${metrica}": ${used} counters already wait for the store ` +
        `(kickBuffer.maxCells ${maxCells}); is the store reachable? ${this.dropped} kicks dropped in all.`,
    );
    return quietRejection(new KickDroppedError(metrica, maxCells));
  }

  private openWait(metrica: string, waitingFor: string, storeChoices: () => Promise<void>): ChoiceWait {
    const wait = new ChoiceWait();
    this.waits.set(waitingFor, wait);
    const queued = retryWhileTransient(storeChoices, this.limits.retryForMs, (retries) =>
      this.warning.warn(`Axis choices of metrica "${metrica}" were stored after ${retries} retries.`),
    ).then(
      () => {
        // No kick joins a wait once its choices are stored: later ones find them known.
        this.waits.delete(waitingFor);
        this.budget.used -= wait.cells;
        const batch = this.gathering ?? this.open();
        // Already admitted: summed into the batch whatever the budget says now.
        for (const [key, { ttlSeconds, fields }] of wait.keys) {
          batch.cells += sumInto(batch.keys, [...fields].map(([field, by]) => ({ key, ttlSeconds, fields: [field], by })), this.budget);
        }
        batch.kicks += wait.kicks;
        batch.done.then(wait.resolve, wait.reject);
      },
      (error: unknown) => {
        this.waits.delete(waitingFor);
        this.budget.used -= wait.cells;
        if (error instanceof TooManyChoicesError) this.warning.warn(error.message);
        else this.reportFailure(metrica, error, wait.kicks);
        wait.reject(error);
      },
    );
    this.track(queued);
    return wait;
  }

  private open(): Batch {
    const batch = new Batch();
    this.gathering = batch;
    const due = (): void => {
      batch.timer = undefined;
      batch.due = true;
      if (!this.flying && this.gathering === batch) this.start();
    };
    if (this.limits.flushIntervalMs > 0) {
      const timer = setTimeout(due, this.limits.flushIntervalMs);
      timer.unref();
      batch.timer = timer;
    } else {
      batch.timer = setImmediate(due);
    }
    return batch;
  }

  private start(): void {
    const batch = this.gathering;
    if (!batch) return;
    this.gathering = null;
    this.budget.used -= batch.cells;
    if (batch.timer) {
      clearTimeout(batch.timer as NodeJS.Timeout);
      clearImmediate(batch.timer as NodeJS.Immediate);
      batch.timer = undefined;
    }
    dropCancelled(batch.keys);
    if (batch.keys.size === 0) {
      batch.resolve();
      return;
    }
    this.flying = batch;
    writeExactlyOnce(this.store, batch.keys, batch.flushId, this.limits.retryForMs, (retries) =>
      this.warning.warn(`A metrica write went through after ${retries} retries (counted once).`),
    )
      .then(
        () => batch.resolve(),
        (error: unknown) => {
          this.dropped += batch.kicks;
          this.warning.warn(
            `${batch.kicks} metrica kicks could not be stored and were dropped: ${describeError(error)}. ${this.dropped} kicks dropped in all.`,
          );
          batch.reject(error);
        },
      )
      .finally(() => {
        this.flying = null;
        if (this.gathering?.due) this.start();
      });
  }
}

/** How many cells of `groups` `keys` does not hold yet. */
function freshCells(keys: ReadonlyMap<string, KeyCells>, groups: readonly KickCells[]): number {
  let fresh = 0;
  for (const { key, fields } of groups) {
    const sums = keys.get(key)?.fields;
    for (const field of fields) if (!sums?.has(field)) fresh++;
  }
  return fresh;
}

/** Sums `groups` into `keys`, each field once per key; returns how many cells were new (also added to `budget`). */
function sumInto(keys: Map<string, KeyCells>, groups: readonly KickCells[], budget: CellBudget): number {
  let fresh = 0;
  for (const { key, ttlSeconds, fields, by } of groups) {
    let entry = keys.get(key);
    if (!entry) {
      entry = { ttlSeconds, fields: new Map() };
      keys.set(key, entry);
    }
    entry.ttlSeconds = ttlSeconds;
    const sums = entry.fields;
    for (const field of fields) {
      const sum = sums.get(field);
      if (sum === undefined) {
        sums.set(field, by);
        fresh++;
      } else {
        sums.set(field, sum + by);
      }
    }
  }
  budget.used += fresh;
  return fresh;
}

/**
 * Drops the cells whose kicks cancelled out (opposite values summing to 0), and the
 * keys left without cells: they need no write, so they neither create a counter
 * nor renew a key's expiry. Done once a batch stops gathering, so its cell count
 * (the budget) is unaffected.
 */
function dropCancelled(keys: Map<string, KeyCells>): void {
  for (const [key, { fields }] of keys) {
    for (const [field, sum] of fields) if (sum === 0) fields.delete(field);
    if (fields.size === 0) keys.delete(key);
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
