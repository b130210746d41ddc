import type { LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { KickDroppedError } from '../../errors/kick-dropped.error.js';
import { TooManyChoicesError } from '../../errors/too-many-choices.error.js';
import type { KeyIncrements, SouvenirsStore } from '../../store/souvenirs-store.interface.js';
import type { CellBudget } from './cell-budget.js';
import { retryWhileTransient, writeExactlyOnce } from './exactly-once-write.js';
import { RateLimitedWarning } from '../../shared/rate-limited-warning.js';

/** A hash a kick writes to, and its lifetime after the write. @internal */
export interface KickTarget {
  readonly key: string;
  readonly ttlSeconds: number | undefined;
}

/**
 * The hashes of one kind of a metrica's counters (sums, event counts or histogram
 * cells) a kick writes to, the all-time one first: the same array (by identity) for
 * every kick of one minute, so the buffer sums such kicks once, not once per hash.
 *
 * @internal
 */
export type KickTargets = readonly KickTarget[];

/** The increments of one kick: `by` added to each field of every target. @internal */
export interface KickGroup {
  readonly targets: KickTargets;
  readonly fields: readonly string[];
  readonly by: number;
}

/** The kicks of one axis combination gathered for one targets array: `sum` added to each of its fields. */
interface Row {
  readonly fields: readonly string[];
  sum: number;
}

/**
 * Kicks gathered for one targets array, spread over its hashes when the batch is
 * written: summed per combination (its fields array, the planner's, the same by
 * identity for every kick of a combination of scalar values), so a repeated kick
 * costs one lookup rather than one per field; `fields` holds the distinct fields
 * the rows cover, for the cell count.
 */
interface Gathered {
  readonly targets: KickTargets;
  readonly rows: Map<readonly string[], Row>;
  /** Rows folded per field once there were {@link MAX_ROWS} (combinations encoded anew per kick, such as paths, each bring one). */
  readonly sums: Map<string, number>;
  readonly fields: Set<string>;
}

/** Most rows one targets array gathers before they are folded into per-field sums (bounded memory). */
const MAX_ROWS = 10_000;

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

/** One promise for a group of kicks (a batch, or kicks waiting for their choices), settled by the buffer. */
abstract class KicksOutcome {
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
 * Kicks gathered for one write: their cells summed per combination for each targets array
 * (`gathered`), spread per key and field into `keys`, the very map the store is
 * given, before the write; and one promise for all.
 */
class Batch extends KicksOutcome {
  /** Sent with every attempt of this batch's write, so a retry after a lost reply counts once. */
  readonly flushId = randomUUID();
  /** The increments per key, as the store takes them (filled from `gathered` before the write). */
  readonly keys = new Map<string, KeyCells>();
  /** Kicks summed per targets array, by the all-time key heading it (one per metrica and kind). */
  readonly gathered = new Map<string, Gathered>();
  cells = 0;
  kicks = 0;
  /** Its flush time came (or `flush()` asked) while another batch was being written. */
  due = false;
  timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
}

/**
 * Kicks waiting for the same new axis choices to be stored (a first-seen view of
 * `response_time`, a new value of a `StoredChoiceAxis`): summed per key and field
 * while one store call (retried) stores the choices for all of them; then they join
 * the gathering batch together, or are all refused. Rare (once per new value), so
 * kept per key rather than per targets array as a batch gathers.
 */
class ChoiceWait extends KicksOutcome {
  readonly keys = new Map<string, KeyCells>();
  cells = 0;
  kicks = 0;
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
 * Losses have a log of their own: a write that went through after retries, logged
 * just before, must not hold back the line saying kicks were lost.
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
  /** Kicks lost: the buffer full, the store failing past its retries. */
  private readonly losses: RateLimitedWarning;
  /** Everything else worth a line: writes that went through after retries, refused choices. */
  private readonly notices: RateLimitedWarning;

  constructor(
    private readonly store: SouvenirsStore,
    private readonly limits: KickBufferLimits,
    private readonly budget: CellBudget,
    logger: LoggerService,
    warnEveryMs = 10_000,
  ) {
    this.losses = new RateLimitedWarning(logger, warnEveryMs);
    this.notices = new RateLimitedWarning(logger, warnEveryMs);
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
  add(metrica: string, groups: readonly KickGroup[]): Promise<void> {
    const batch = this.gathering ?? this.open();
    let size = 0;
    for (const { targets, fields } of groups) {
      size += targets.length * fields.length;
      // A new minute's targets: what the last minute's kicks gathered joins the keys first.
      const gathered = batch.gathered.get(targets[0].key);
      if (gathered && gathered.targets !== targets) spread(batch, gathered);
    }
    const { budget } = this;
    const { maxCells } = budget;
    if (budget.used + size > maxCells && budget.used + this.freshCells(batch, groups) > maxCells) return this.drop(metrica);
    for (const { targets, fields, by } of groups) {
      const lineage = targets[0].key;
      let gathered = batch.gathered.get(lineage);
      if (!gathered) batch.gathered.set(lineage, (gathered = { targets, rows: new Map(), sums: new Map(), fields: new Set() }));
      const row = gathered.rows.get(fields);
      if (row) {
        row.sum += by;
        continue;
      }
      if (gathered.rows.size >= MAX_ROWS) foldRows(gathered);
      gathered.rows.set(fields, { fields, sum: by });
      const seen = gathered.fields;
      for (const field of fields) {
        if (seen.has(field)) continue;
        seen.add(field);
        const fresh = batch.keys.size === 0 ? targets.length : freshTargets(batch, targets, field);
        batch.cells += fresh;
        budget.used += fresh;
      }
    }
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
  addAfterChoices(metrica: string, waitingFor: string, groups: readonly KickGroup[], storeChoices: () => Promise<void>): Promise<void> {
    const wait = this.waits.get(waitingFor);
    const keys = wait?.keys ?? new Map<string, KeyCells>();
    let size = 0;
    for (const { targets, fields } of groups) size += targets.length * fields.length;
    const { used, maxCells } = this.budget;
    if (used + size > maxCells && used + freshKeyCells(keys, groups) > maxCells) return this.drop(metrica);
    const waiting = wait ?? this.openWait(metrica, waitingFor, storeChoices);
    const fresh = sumIntoKeys(waiting.keys, groups);
    waiting.cells += fresh;
    this.budget.used += fresh;
    waiting.kicks++;
    return waiting.done;
  }

  /** Registers work that must settle before `flush()` resolves (kicks storing their axis choices). */
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
    this.losses.warn(
      `${kicks} kick(s) of metrica "${metrica}" could not be stored and were dropped (their axis choices could not be stored): ` +
        `${describeError(error)}. ${this.dropped} kicks dropped in all.`,
    );
  }

  private drop(metrica: string): Promise<never> {
    const { used, maxCells } = this.budget;
    this.dropped++;
    this.losses.warn(
      `Dropped a kick of metrica "${metrica}": ${used} counters already wait for the store ` +
        `(kickBuffer.maxCells ${maxCells}); is the store reachable? ${this.dropped} kicks dropped in all.`,
    );
    return quietRejection(new KickDroppedError(metrica, maxCells));
  }

  private openWait(metrica: string, waitingFor: string, storeChoices: () => Promise<void>): ChoiceWait {
    const wait = new ChoiceWait();
    this.waits.set(waitingFor, wait);
    const queued = retryWhileTransient(storeChoices, this.limits.retryForMs, (retries) =>
      this.notices.warn(`Axis choices of metrica "${metrica}" were stored after ${retries} retries.`),
    ).then(
      () => {
        // No kick joins a wait once its choices are stored: later ones find them known.
        this.waits.delete(waitingFor);
        this.budget.used -= wait.cells;
        const batch = this.gathering ?? this.open();
        // Already admitted: added to the batch whatever the budget says now.
        const fresh = addKeys(batch.keys, wait.keys);
        batch.cells += fresh;
        this.budget.used += fresh;
        batch.kicks += wait.kicks;
        batch.done.then(wait.resolve, wait.reject);
      },
      (error: unknown) => {
        this.waits.delete(waitingFor);
        this.budget.used -= wait.cells;
        if (error instanceof TooManyChoicesError) this.notices.warn(error.message);
        else this.reportFailure(metrica, error, wait.kicks);
        wait.reject(error);
      },
    );
    this.track(queued);
    return wait;
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
    this.losses.dispose();
    this.notices.dispose();
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
    for (const gathered of batch.gathered.values()) spread(batch, gathered);
    dropCancelled(batch.keys);
    if (batch.keys.size === 0) {
      batch.resolve();
      return;
    }
    this.flying = batch;
    writeExactlyOnce(this.store, batch.keys, batch.flushId, this.limits.retryForMs, (retries) =>
      this.notices.warn(`A metrica write went through after ${retries} retries (counted once).`),
    )
      .then(
        () => batch.resolve(),
        (error: unknown) => {
          this.dropped += batch.kicks;
          this.losses.warn(
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

  /** The cells `groups` would add to the batch (their targets' gathered rows are current: see `add`). */
  private freshCells(batch: Batch, groups: readonly KickGroup[]): number {
    let fresh = 0;
    for (const { targets, fields } of groups) {
      const gathered = batch.gathered.get(targets[0].key);
      if (gathered?.rows.has(fields)) continue;
      for (const field of fields) if (!gathered?.fields.has(field)) fresh += freshTargets(batch, targets, field);
    }
    return fresh;
  }
}

/** How many cells of `groups`, spread over their targets, `keys` does not hold yet. */
function freshKeyCells(keys: ReadonlyMap<string, KeyCells>, groups: readonly KickGroup[]): number {
  let fresh = 0;
  for (const { targets, fields } of groups) {
    for (const { key } of targets) {
      const sums = keys.get(key)?.fields;
      for (const field of fields) if (!sums?.has(field)) fresh++;
    }
  }
  return fresh;
}

/** Sums `groups` into `keys`, spread over their targets; returns how many cells were new. */
function sumIntoKeys(keys: Map<string, KeyCells>, groups: readonly KickGroup[]): number {
  let fresh = 0;
  for (const { targets, fields, by } of groups) {
    for (const { key, ttlSeconds } of targets) {
      let entry = keys.get(key);
      if (!entry) keys.set(key, (entry = { ttlSeconds, fields: new Map() }));
      entry.ttlSeconds = ttlSeconds;
      for (const field of fields) {
        const sum = entry.fields.get(field);
        if (sum === undefined) fresh++;
        entry.fields.set(field, (sum ?? 0) + by);
      }
    }
  }
  return fresh;
}

/**
 * Adds `from`'s sums to `into`; returns how many cells `into` did not hold (a cell also
 * gathered per targets array, not yet spread, counts again: the budget errs on the full side).
 */
function addKeys(into: Map<string, KeyCells>, from: ReadonlyMap<string, KeyCells>): number {
  let fresh = 0;
  for (const [key, { ttlSeconds, fields }] of from) {
    let entry = into.get(key);
    if (!entry) into.set(key, (entry = { ttlSeconds, fields: new Map() }));
    entry.ttlSeconds = ttlSeconds;
    for (const [field, by] of fields) {
      const sum = entry.fields.get(field);
      if (sum === undefined) fresh++;
      entry.fields.set(field, (sum ?? 0) + by);
    }
  }
  return fresh;
}

/** How many of `targets` do not hold `field` among the batch's keys yet. */
function freshTargets(batch: Batch, targets: KickTargets, field: string): number {
  let fresh = 0;
  for (const { key } of targets) if (!batch.keys.get(key)?.fields.has(field)) fresh++;
  return fresh;
}

/** Adds the rows' sums to the per-field sums, and forgets the rows. */
function foldRows(gathered: Gathered): void {
  const { sums } = gathered;
  for (const { fields, sum } of gathered.rows.values()) {
    for (const field of fields) sums.set(field, (sums.get(field) ?? 0) + sum);
  }
  gathered.rows.clear();
}

/** Adds what `gathered` summed to each of its targets' keys (its rows folded per field first), and forgets it. */
function spread(batch: Batch, gathered: Gathered): void {
  foldRows(gathered);
  const { sums } = gathered;
  for (const { key, ttlSeconds } of gathered.targets) {
    let entry = batch.keys.get(key);
    if (!entry) batch.keys.set(key, (entry = { ttlSeconds, fields: new Map() }));
    entry.ttlSeconds = ttlSeconds;
    const { fields } = entry;
    for (const [field, sum] of sums) fields.set(field, (fields.get(field) ?? 0) + sum);
  }
  batch.gathered.delete(gathered.targets[0].key);
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
