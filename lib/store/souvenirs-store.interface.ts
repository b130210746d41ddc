import type { ActiveDayRef, ActiveDaysStore } from './active-days.interface.js';
import type { ActiveDayMembersStore } from './active-day-members.interface.js';
import type { FirstActivityStore } from './first-activity.interface.js';
import type { ActiveDayLogsStore } from './active-day-logs.interface.js';
import type { ActiveDaysAmongStore } from './active-days-among.interface.js';
import type { ActiveUsersPerTenantStore } from './active-users-per-tenant.interface.js';

/**
 * Where nestjs-souvenirs keeps its fast, shared state: activity rate-limit claims,
 * metrica counters and stored axis choices. Two implementations ship
 * (`MemorySouvenirsStore`, `RedisSouvenirsStore`); a third-party store implements
 * this interface and is provided under the `SouvenirsStore` token.
 *
 * Keys given to a store never carry the module's `keyPrefix`: the store adds it.
 * Keys and values may hold any characters, braces included: a store keeps them
 * exactly (the Redis store reads `{…}` as a Cluster hash tag; see its notes).
 * The rate-limit claims of a subject and the active-users index live under
 * `{activity}:` (tenants' indexes under `{activity:t:…}:`, and on a Redis Cluster the
 * site's shards under `{activity-s…}:`), so counter and choice keys should not start
 * with `{activity`.
 *
 * Arguments a store cannot keep exactly (a non-integer time or increment, a
 * negative `maxChoices`, …) are rejected with `InvalidStoreArgumentError` before
 * anything is written.
 *
 * @publicApi
 */
export interface SouvenirsStore extends ActiveDaysStore, ActiveDayMembersStore, FirstActivityStore, ActiveDayLogsStore, ActiveDaysAmongStore, ActiveUsersPerTenantStore {
  /**
   * The same store with its active-users index (days, user numbers, builds, pending adds, day
   * logs, first activity) in a namespace of its own: one tenant's index, its own dense user
   * numbering (a 50-user tenant's day is 50 bits, not the site's million), on Redis its own
   * hash slot (a Cluster spreads namespaces over its masters). Everything else (counters, rate
   * limits) is this store's. The same index for the same namespace; optional: a store without
   * it keeps no per-tenant index, and tenants are counted in SQL.
   */
  activeDaysIn?(namespace: string): SouvenirsStore;

  /**
   * Every namespace whose index the store holds (see `activeDaysIn`), whichever process
   * wrote it: `reindex` rebuilds them all, so a tenant whose rows were deleted by plain
   * SQL is rebuilt even when this process never counted it. Optional, with `activeDaysIn`.
   */
  activeDayNamespaces?(): Promise<string[]>;

  /**
   * Atomically claims the right to record `subject`'s activity at event time
   * `whenMs` (epoch milliseconds): granted unless a claim already stands with
   * `whenMs < lastMs + limitMs`. A granted claim becomes the new last time and
   * lives `limitMs` of wall-clock time. Concurrent callers from any process that
   * shares the store get exactly one grant.
   *
   * @param subject a user id, or a user id, a NUL and a tenant (see `rateLimitSubject`):
   *   the limit is per user and tenant.
   * @param whenMs an integer (what `Date.getTime()` gives).
   * @param limitMs an integer >= 1; a caller with no limit does not claim at all.
   * @param activeDay when given (and the store keeps the active-users index),
   *   a granted claim also records, in the same atomic step, that a row of
   *   `subject`'s user (`subjectUser(subject)`) on that day is being written: a *pending* add, cleared when
   *   `addActiveUsers` adds that user to the day (after the row commits). It does
   *   not add `subject` to the day: the row is not committed yet. A pending add
   *   left standing (its writer died between commit and add) is handed out by
   *   `takeStalePendingDays` (see {@link ActiveDaysStore}).
   * @returns the granted claim (to release it if the write it guarded fails), or
   *   `null` when rate-limited.
   * @throws InvalidStoreArgumentError for a non-integer time or a limit below 1 ms.
   */
  claimRateLimit(subject: string, whenMs: number, limitMs: number, activeDay?: ActiveDayRef): Promise<RateLimitClaim | null>;

  /**
   * Undoes a granted claim whose guarded write failed, restoring the previous
   * last time (for another `limitMs` of wall time) or leaving none when there was
   * none, unless another claim has replaced it since: then it does nothing.
   */
  releaseRateLimit(claim: RateLimitClaim): Promise<void>;

  /**
   * Removes the rate-limit claims of `subjects` (a forgotten user's), so nothing in
   * the store holds them; their next activity is written as a first one. Optional:
   * without it a claim lives out its window (at most `limitMs`).
   */
  forgetRateLimits?(subjects: readonly string[]): Promise<void>;

  /**
   * Takes the lock `name` for `ttlMs` of wall time, unless another holder's stands:
   * the token to release it with, or `null` when it is held. One holder at a time
   * among every process sharing the store (the daily retention prune takes one); a
   * holder that dies leaves it to expire. Optional: without it, every process prunes.
   *
   * @throws InvalidStoreArgumentError for a name that is not a non-empty string, or a TTL below 1 ms.
   */
  acquireLock?(name: string, ttlMs: number): Promise<string | null>;

  /** Releases the lock `name` if `token` still holds it (else it expired and another may hold it: nothing). */
  releaseLock?(name: string, token: string): Promise<void>;

  /**
   * Raises the mark `name` to `value`, unless it already stands at or above it, in one
   * atomic step among every process sharing the store (a maximum: a mark never falls,
   * and never expires): the mark as it stands after. The latest `before` a prune deleted
   * rows to is one, so every process refuses counts reaching before it. Optional, with
   * `readMark`: without them, only the process that pruned knows its horizon.
   *
   * @throws InvalidStoreArgumentError for a name that is not a non-empty string, or a value that is not a safe integer.
   */
  raiseMark?(name: string, value: number): Promise<number>;

  /** The mark `name` as it stands (see `raiseMark`), `null` when it was never raised. */
  readMark?(name: string): Promise<number | null>;

  /**
   * Adds each key's increments to its counters (fields of a hash), creating them at
   * 0, and (re)sets each written key's expiry. `increments` is grouped as a caller
   * gathers it (the metricas' kick buffer sums its kicks so): key → its fields'
   * amounts and its lifetime, each cell once. All of it is applied in at most one
   * round trip per Redis node. A key with no fields is not written at all.
   *
   * Each write sets the whole key's lifetime anew: `ttlSeconds` (rounded to whole
   * milliseconds) from now, or forever when absent (a key that had an expiry loses
   * it). Writes to keys of different hash slots are not atomic together.
   *
   * `flushId` makes the call safe to retry: a store applies the increments of a
   * call carrying a given id at most once within {@link FLUSH_ID_TTL_MS} (one minute)
   * of wall time, recording the id atomically with them; a second call with the
   * same id changes nothing and resolves. So a caller whose connection failed,
   * before or after the store applied the write (reply lost), sends the same call
   * again with the same id until one resolves, and the increments count once. On
   * Redis Cluster the id is recorded per hash slot, with that slot's increments,
   * so a retry after a partial failure applies only the slots still missing. Ids
   * are the caller's: unique per batch (a random UUID); no id: no such guarantee.
   *
   * A rejection that is not a `SouvenirsError` may be a lost connection (see
   * `isTransientStoreError`); a `SouvenirsError` will fail the same way again.
   *
   * @throws InvalidStoreArgumentError when `increments` is not a `Map` of
   *   `{ fields: Map, ttlSeconds? }`, an amount is not a safe integer, a
   *   `ttlSeconds` is not >= 0.001, or `flushId` is given but not a non-empty string.
   */
  incrementCounters(increments: CounterIncrements, flushId?: string): Promise<void>;

  /**
   * Reads counters in one round trip per Redis node; a missing one reads 0. The
   * result has one number per cell, in the order of `cells`.
   *
   * @throws UnexpectedStoreReplyError when a stored counter is not an integer.
   */
  readCounters(cells: readonly CounterCell[]): Promise<number[]>;

  /**
   * Adds `values` to the set at `key`, all or none: if that would take the set past
   * `maxChoices`, nothing is added and the result is `false`. Values already in
   * the set (or given twice) are not new and do not count against the bound.
   *
   * @param maxChoices an integer >= 0; absent: no bound.
   * @returns `true` when every value is now a member (also for no values).
   */
  addChoices(key: string, values: readonly string[], maxChoices?: number): Promise<boolean>;

  /** The members of the set at `key`, in no particular order. */
  getChoices(key: string): Promise<string[]>;

  /**
   * Reads the members of the set at `setKey` and, in the same atomic step and one
   * round trip, the counters derived from each member by `templates`: for member
   * `m`, template `t` names the counter whose key is `t.key` (or
   * `t.key.prefix + m + t.key.suffix`) and whose field is `t.field` (likewise).
   * So a query listing a stored set's members with their totals is one call.
   *
   * `counters[i][j]` is template `j` applied to `members[i]`; a missing counter
   * reads 0. Members come in no particular order; no templates gives each member
   * an empty row; a missing set gives no members.
   *
   * A store may restrict which keys one call can read together (Redis Cluster: one
   * hash slot, see `RedisSouvenirsStore`); the module's own calls keep every key of
   * one metrica together, under one `{m:<name>}` tag.
   *
   * @throws InvalidStoreArgumentError for a template that is not of that shape, or
   *   whose keys the store cannot read together with the set.
   * @throws UnexpectedStoreReplyError when a stored counter is not an integer.
   */
  readCountersOfMembers(setKey: string, templates: readonly CounterTemplate[]): Promise<MemberCounters>;

  // --- Whole hashes (Prometheus exposition) ---

  /**
   * Every counter of the hash at `key`, as `[field, value]` pairs in no particular
   * order, in one round trip (HGETALL on Redis); a missing key gives none. For
   * exporters that list every combination of a metrica's all-time counters.
   *
   * @throws InvalidStoreArgumentError for a key that is not a string.
   * @throws UnexpectedStoreReplyError when a stored counter is not an integer.
   */
  readHash(key: string): Promise<Array<[field: string, value: number]>>;
}

/**
 * How long a store remembers a `flushId` of {@link SouvenirsStore.incrementCounters}
 * (wall-clock ms): far longer than any retry of one flush lasts, short enough that
 * busy writers keep few ids.
 *
 * @publicApi
 */
export const FLUSH_ID_TTL_MS = 60_000;

/**
 * Injection token of the store; the same name is the interface, as throttler does.
 * A registered symbol, as every token of the package: the CommonJS and the ES build,
 * should one app load both, name the same provider.
 *
 * @publicApi
 */
export const SouvenirsStore = Symbol.for('nestjs-souvenirs:SouvenirsStore');

/**
 * A granted rate-limit claim, as returned by {@link SouvenirsStore.claimRateLimit}.
 *
 * @publicApi
 */
export interface RateLimitClaim {
  readonly subject: string;
  readonly whenMs: number;
  readonly limitMs: number;
  /** The last time that stood before this claim, if any. */
  readonly previousMs: number | null;
}

/** One counter: a field of the hash at a key. @publicApi */
export interface CounterCell {
  readonly key: string;
  readonly field: string;
}

/**
 * The increments of one key in one {@link SouvenirsStore.incrementCounters} call,
 * and how long the key lives after it.
 *
 * @publicApi
 */
export interface KeyIncrements {
  /** Field → the amount added to its counter: an integer (metricas scale by their multiplier first). */
  readonly fields: ReadonlyMap<string, number>;
  /** Seconds the whole key lives after this write; absent: forever. */
  readonly ttlSeconds?: number | undefined;
}

/**
 * What one {@link SouvenirsStore.incrementCounters} call adds: key → its increments.
 *
 * @publicApi
 * @example
 * new Map([['visits:2024', { fields: new Map([['all', 3], ['fr', 1]]), ttlSeconds: 86_400 }]])
 */
export type CounterIncrements = ReadonlyMap<string, KeyIncrements>;

/** Text around a set member: `prefix + member + suffix`. @publicApi */
export interface MemberAffix {
  readonly prefix: string;
  readonly suffix: string;
}

/**
 * How {@link SouvenirsStore.readCountersOfMembers} derives one counter from a set
 * member: its key and its field, each a fixed text or the member inside an affix.
 *
 * @publicApi
 */
export interface CounterTemplate {
  readonly key: string | MemberAffix;
  readonly field: string | MemberAffix;
}

/** The answer of {@link SouvenirsStore.readCountersOfMembers}. @publicApi */
export interface MemberCounters {
  /** The set's members, in no particular order. */
  readonly members: string[];
  /** `counters[i][j]`: template `j` applied to `members[i]` (0 when missing). */
  readonly counters: number[][];
}
