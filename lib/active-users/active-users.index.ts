import { Inject, Injectable, Logger, Optional, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Souvenir } from '../table/souvenir.entity.js';
import { RateLimitedWarning } from '../shared/rate-limited-warning.js';
import { countActiveUsersPerPeriod } from '../table/active-users.query.js';
import { SouvenirsCalendar } from '../calendar/souvenirs-calendar.js';
import type { ActiveDayBuildWrite, ActiveDayRef } from '../store/active-days.interface.js';
import type { ActiveDayMembers } from '../store/active-day-members.interface.js';
import type { FirstActivityWindow } from '../store/first-activity.interface.js';
import { UserBitset } from '../shared/user-bitset.js';
import { countRunUnions, type DayRun } from './day-run-unions.js';
import { SouvenirsStore } from '../store/souvenirs-store.interface.js';
import { withTypedFailures } from '../store/typed-store-failures.js';
import { SOUVENIRS_OPTIONS } from '../shared/souvenirs-options.token.js';
import { UnsafeStoreSettingsError } from '../errors/unsafe-store-settings.error.js';
import { countsActiveUsersPerTenant, keepsActiveDays, readsActiveDayMembers, readsActiveDaysAmong } from '../store/store-parts.js';
import { distinctUsersPerPeriod, storedTimeBounds } from '../table/distinct-users.query.js';
import { ANY_TENANT, periodsWithRows, tenantsBetween } from '../table/day-rows.query.js';
import { distinctPairsPerPeriod } from '../table/tenants.query.js';
import { rateLimitSubject } from '../store/rate-limit-subject.js';
import { countActiveUsersAmongPerPeriod } from '../table/subset-activity.query.js';
import { FirstActivity } from './first-activity.js';
import type { LocalDay, LocalDayCalendar, SplitRange } from '../calendar/local-days.js';
import { DayLogs } from './day-logs.js';
import { BeforeRetentionHorizonError } from '../errors/before-retention-horizon.error.js';

const DAY_MS = 86_400_000;
/** A day stays in the store this long after it ends (then it is rebuilt from SQL on use). */
export const ACTIVE_DAY_RETENTION_DAYS = 400;
/** A day older than the retention, built for one query, stays this long. */
const OLD_DAY_LIFETIME_MS = DAY_MS;
/**
 * A count whose ranges cover more local days than this (about 10 years, together)
 * is made in SQL alone: building that many days from SQL on first use would cost
 * more than the count itself, and a report of thousands of long periods would hold
 * every day in memory.
 */
const MAX_INDEX_DAYS = 3_660;
/** Days built from SQL per statement, and users per store write. */
const BUILD_DAYS_PER_QUERY = 7;
const USERS_PER_WRITE = 100_000;
/**
 * A pending add (a claim's row being written, see `claimRateLimit`) still standing
 * this long after its claim means its writer died between commit and add: its day
 * is rebuilt. Far above any commit plus one round trip; checked at most every
 * PENDING_CHECK_MS per process, before a count.
 */
const PENDING_STALE_MS = 60_000;
const PENDING_CHECK_MS = 5_000;
/** The store's mark (`raiseMark`) holding the latest `before` any process pruned to. */
export const PRUNE_HORIZON_MARK = 'prune-horizon';
/**
 * How long this process trusts what it last read of the prune horizon before a count
 * reads it again (a GET): it is read at boot, at the start of every `prune` and
 * `reindex`, and before a count when last read longer ago than this. The mark is raised
 * at the START of a prune, before any row goes, so a process is at most this late only
 * for a prune under way less than this long; it keeps the read off nearly every count.
 */
const HORIZON_REFRESH_MS = 5_000;
/** Days invalidated per store call when a prune forgets them (one script's keys). */
const FORGET_DAYS_PER_CALL = 500;
/** How often `forget` asks again whether the pending adds it waits for have landed. */
const FORGET_POLL_MS = 20;
/**
 * Tenant indexes kept by one process: past it, those with nothing pending are forgotten
 * (their days stay in the store), so hostile tenant names cannot grow memory without bound.
 */
const MAX_TENANT_INDEXES = 10_000;
/** How often a reindex builds a day again whose build was lost (evicted, flushed) before it gives up and invalidates it. */
const REINDEX_ATTEMPTS = 3;

/**
 * A list of ranges is counted from days read back (see `countByReading`) when it
 * has at most this many distinct days (about 50 MB of bitsets at a million users),
 * and asks each of them this many times on average.
 */
const MAX_READ_DAYS = 400;
const READ_SHARING = 2;
/**
 * A subset's ranges are intersected with the index in the store (`readActiveDaysAmong`)
 * when they share their days less than READ_SHARING and ask at most this many user bits
 * (ranges times users: 100 ranges of 10,000 users, the store answering in parts, see
 * redis-active-days.ts); else the days are read back once and intersected here.
 */
const MAX_AMONG_BITS = 1_000_000;

type Range = readonly [Date, Date];

/** A subset of users, as stored ids (see `UserSubset` in activity/). @internal */
export interface StoredIdSubset {
  /** Each once. */
  readonly ids: readonly string[];
  has(userId: string): boolean;
}

/**
 * Whether the index may serve counts when the store says its settings may evict part
 * of it: `'auto'` counts from SQL instead, `'require-safe-policy'` refuses to boot.
 * @internal
 */
export type ActiveUsersIndexMode = 'auto' | 'require-safe-policy';

/** The module options `ActiveUsersIndex` reads (a slice of the resolved options). @internal */
export interface ActiveUsersIndexSettings {
  readonly activity: { readonly index: ActiveUsersIndexMode };
  /** Days of activity kept (the `retention` option); absent: all. */
  readonly retention?: { readonly days: number } | undefined;
}

/** One range for the index: its whole local days, and the users of its edge hours. */
interface DayQuery {
  readonly days: readonly LocalDay[];
  readonly users: readonly string[];
}

/**
 * Exact distinct active users from the active-users index: who was active on each
 * local day (the module's `timeZone`), kept by the store (see `ActiveDaysStore`),
 * derived from the souvenirs table, which stays the source of truth.
 *
 * - Whole local days of a range come from the index; its edge hours (a range not
 *   on local midnights) come from SQL as user ids, merged with the days as sets.
 * - A day the store does not hold complete (never built, expired, flushed,
 *   invalidated) is built from SQL before it is used.
 * - Rows written without the index (the store was down) leave their days here,
 *   to be invalidated in the store before the next count; if that cannot be done,
 *   counts come from SQL.
 * - A store without the index, or one that fails, means SQL answers: slower, never wrong.
 * - So does a store whose settings may evict part of the index unseen (Redis
 *   `maxmemory-policy allkeys-*`), asked once at boot (`onModuleInit`), or the
 *   application refuses to start (`activity.index: 'require-safe-policy'`).
 * - Store failures reach callers (`reindex`) as `SouvenirsError`s, the cause attached.
 *
 * Invariants (docs/activity.md, "Invariants"), which every path here keeps:
 * 1. the index holds only users of committed rows: rows are added after their
 *    INSERT commits (`recordWritten`), never by the claim before it;
 * 2. a day is complete only if it holds every committed row of it: a day is built
 *    into a fresh build begun BEFORE its SQL read; every add after that reaches the
 *    build too, and the build is swapped in only if it was never lost;
 * 3. a rebuild replaces, never merges: the build is renamed over the day;
 * 4. whatever can vanish (a day, a build, first activity) takes its completeness
 *    mark with it, and is read only when marked complete.
 * 6. (5 is the day logs', see day-logs.ts) rows leave only by `forget` and `prune`,
 *    the index after them: a forgotten user is removed from the store once the adds
 *    of claims made before its DELETE have landed, with every build under way
 *    dropped; pruned days are invalidated.
 *
 * @internal
 */
@Injectable()
export class ActiveUsersIndex implements OnModuleInit {
  private readonly logger = new Logger(ActiveUsersIndex.name);
  private readonly warning = new RateLimitedWarning(this.logger, 60_000);
  /** Days holding rows the index may lack, not yet invalidated in the store. */
  private readonly unsure = new Set<string>();
  /** When pending adds were last looked at (wall ms), and how old one must be to be stale (tests shorten it). @internal */
  private pendingCheckedAt = 0;
  pendingStaleMs = PENDING_STALE_MS;
  /** The module's local days (shared with the analytics). */
  private readonly calendar: LocalDayCalendar;
  /** Store ids of days, by day start (the same day objects recur in every window). */
  private readonly ids = new WeakMap<LocalDay, string>();
  /** Each user's first active day, kept by the store next to the days (see first-activity.ts). */
  private readonly firstActivity: FirstActivity;
  /** The store, its failures typed (a `reindex` against a Redis out of memory: `StoreRefusedError`). */
  private readonly store: SouvenirsStore;
  /** False once the store's settings were found to evict the index unseen: SQL answers. */
  private trusted = true;
  /**
   * Told, as a first use builds days from SQL, how many of them are built so far
   * and of how many (the CLI draws it as the `reindex` bar).
   */
  onBuildProgress: ((done: number, total: number) => void) | undefined;
  /** Day logs: the ends of ranges off midnight, from the store (see day-logs.ts). */
  private readonly logs: DayLogs;
  /** The latest `before` pruned to (`prune`), by this process or, read from the store, by any. */
  private prunedBefore: Date | null = null;
  /** When the prune horizon was last read from the store (wall ms), and the read under way. */
  private horizonReadAt = Number.NEGATIVE_INFINITY;
  private horizonRead: Promise<void> | undefined;
  /** How long a read of the prune horizon is trusted (tests shorten it). @internal */
  horizonRefreshMs = HORIZON_REFRESH_MS;
  /** The store as given, unwrapped: its namespaces' views must be taken from it, not from the wrapper. */
  private readonly givenStore: SouvenirsStore;
  /**
   * The tenant whose rows this index holds, `null` for the site's. A tenant's index is this
   * class over the store's namespace of that tenant (`activeDaysIn`), built from that tenant's
   * rows, with the same invariants; it keeps no first activity.
   */
  private tenant: string | null = null;
  /**
   * Whether this index holds (user, tenant) pairs (`rateLimitSubject(user, tenant)`) rather
   * than users: the site's pairs index (see `pairs`), built from every row with a tenant.
   */
  private holdsPairs = false;
  /** The site's index, for a tenant's or the pairs index (its trust in the store is the site's). */
  private site: ActiveUsersIndex = this;
  /** The tenants' indexes this process used, by tenant (at most MAX_TENANT_INDEXES kept). */
  private readonly tenants = new Map<string, ActiveUsersIndex>();
  /** The pairs index, once made (`undefined`: not yet asked; `null`: the store keeps none). */
  private pairsIndex: ActiveUsersIndex | null | undefined;

  constructor(
    @InjectRepository(Souvenir) private readonly repository: Repository<Souvenir>,
    @Inject(SouvenirsStore) store: SouvenirsStore,
    private readonly souvenirsCalendar: SouvenirsCalendar,
    @Optional() @Inject(SOUVENIRS_OPTIONS) private readonly settings?: ActiveUsersIndexSettings,
  ) {
    this.givenStore = store;
    this.store = withTypedFailures(store);
    this.calendar = souvenirsCalendar.days;
    this.firstActivity = new FirstActivity(repository.manager, this.store, this.calendar);
    this.logs = new DayLogs(repository.manager, this.store, this.calendar, {
      idOf: (day) => this.idOf(day),
      buildDays: (days) => this.buildDays(days),
      tenant: () => this.tenant,
    });
  }

  /**
   * Asks the store, once, whether its settings may evict part of the index unseen
   * (see `ActiveDaysStore.indexEvictionRisk`): if so, logs one warning and stops using
   * the index (SQL answers every count), or refuses to boot with
   * `activity.index: 'require-safe-policy'`.
   *
   * @throws UnsafeStoreSettingsError with `'require-safe-policy'` and a risky store.
   */
  async onModuleInit(): Promise<void> {
    await this.refreshHorizon(true);
    const store = this.store;
    if (!keepsActiveDays(store) || typeof store.indexEvictionRisk !== 'function') return;
    const risk = await store.indexEvictionRisk().catch(() => null);
    if (risk === null) return;
    if (this.settings?.activity.index === 'require-safe-policy') throw new UnsafeStoreSettingsError(risk);
    this.trusted = false;
    this.logger.warn(
      `${risk}. Active-user counts, reports and analytics are answered from SQL instead of the index (slower, exact). ` +
        "Set maxmemory-policy to noeviction or a volatile-* policy (docs/operations.md); activity.index: 'require-safe-policy' refuses to start instead.",
    );
  }

  /**
   * `[start, end)` widened to whole local days: the same users when no row lies
   * outside it (the bounds of an open range, taken from the stored rows), and
   * answered from the index alone.
   */
  wholeDays(start: Date, end: Date): [Date, Date] {
    const first = this.calendar.dayOf(start);
    const last = this.calendar.dayOf(new Date(end.getTime() - 1));
    return [first.start, last.end];
  }

  /**
   * The retention horizon: the first instant whose activity is kept, the local
   * midnight starting the day `retention.days` days before now (the module's clock),
   * or the latest `before` any process pruned to (as last read, see `refreshHorizon`)
   * when later; `null` when everything is kept. Rows before it are pruned (or about
   * to be, by the next daily prune).
   */
  horizon(): Date | null {
    const days = this.settings?.retention?.days;
    const kept = days === undefined ? null : this.calendar.dayOf(new Date(this.souvenirsCalendar.now().getTime() - days * DAY_MS)).start;
    const pruned = this.site.prunedBefore;
    if (kept === null || (pruned !== null && pruned > kept)) return pruned;
    return kept;
  }

  /**
   * Records, for every process sharing the store, that rows before `before` are being
   * pruned: the store's mark rises to it (never falls), and counts reaching before it
   * are refused from now on, here at once, elsewhere from their next read of the mark.
   * Throws what the store throws (the prune then deletes nothing).
   */
  async recordPruned(before: Date): Promise<void> {
    if (this.site !== this) return this.site.recordPruned(before);
    this.notePruned(before);
    if (typeof this.store.raiseMark === 'function') this.notePruned(new Date(await this.store.raiseMark(PRUNE_HORIZON_MARK, before.getTime())));
  }

  /**
   * Reads the prune horizon other processes recorded (`recordPruned`) from the store:
   * always when `force`d, else when last read more than `horizonRefreshMs` ago (one read
   * shared by concurrent callers). A store that fails, or has no marks, leaves the
   * horizon this process knew (a warning, at most once a minute).
   */
  async refreshHorizon(force = false): Promise<void> {
    if (this.site !== this) return this.site.refreshHorizon(force);
    if (typeof this.store.readMark !== 'function') return;
    if (!force && (this.horizonRead || Date.now() - this.horizonReadAt < this.horizonRefreshMs)) return this.horizonRead;
    this.horizonReadAt = Date.now();
    const read = this.store.readMark(PRUNE_HORIZON_MARK).then(
      (ms) => {
        if (ms !== null) this.notePruned(new Date(ms));
      },
      (error: unknown) => this.warning.warn(`The prune horizon could not be read from the store (${String(error)}); counts keep the one this process knew.`),
    );
    this.horizonRead = read;
    await read.finally(() => {
      if (this.horizonRead === read) this.horizonRead = undefined;
    });
  }

  private notePruned(before: Date): void {
    if (this.prunedBefore === null || before > this.prunedBefore) this.prunedBefore = before;
  }

  /**
   * Refuses a count or read reaching back to `start`, before the horizon: its answer
   * would be zeros that look like no activity.
   *
   * @throws BeforeRetentionHorizonError
   */
  checkHorizon(start: Date): void {
    const horizon = this.horizon();
    if (horizon !== null && start < horizon) throw new BeforeRetentionHorizonError(horizon, start);
  }

  /**
   * Rows at `whens` were deleted: their days are invalidated in the store now (for every
   * process), so their next use rebuilds them from SQL, and first activity with them (a
   * deleted row may have been a user's first). Throws what the store throws.
   */
  async invalidateRows(whens: readonly Date[]): Promise<void> {
    if (!keepsActiveDays(this.store) || whens.length === 0) return;
    const ids = [...new Set(whens.map((when) => this.dayOf(when).id))];
    for (let from = 0; from < ids.length; from += FORGET_DAYS_PER_CALL) await this.store.invalidateActiveDays(ids.slice(from, from + FORGET_DAYS_PER_CALL));
    await this.firstActivity.invalidate();
    // The pairs index spans every tenant: its days of those rows go too.
    if (this.isSite) await this.pairs()?.invalidateRows(whens);
  }

  /** Whether the index is used: the store keeps it, and its settings cannot evict it unseen. */
  get enabled(): boolean {
    return this.site.trusted && keepsActiveDays(this.store);
  }

  /** Whether first activity is kept: by the site's index only (it spans every tenant). */
  private get keepsFirstActivity(): boolean {
    return this.isSite && this.firstActivity.enabled;
  }

  /**
   * The index of `tenant`'s rows: the same machinery in the store's namespace of that
   * tenant (`t:<tenant>`), its own dense user numbering and (on Redis) hash slot. `null`
   * when the store has no namespaces or the site's index is not used: SQL counts tenants then.
   */
  forTenant(tenant: string): ActiveUsersIndex | null {
    if (!this.isSite) return this.site.forTenant(tenant);
    if (!this.enabled || typeof this.givenStore.activeDaysIn !== 'function') return null;
    let index = this.tenants.get(tenant);
    if (index === undefined) {
      index = new ActiveUsersIndex(this.repository, this.givenStore.activeDaysIn(`t:${tenant}`), this.souvenirsCalendar, this.settings);
      index.tenant = tenant;
      index.site = this;
      index.pendingStaleMs = this.pendingStaleMs;
      this.forgetIdleTenants();
      this.tenants.set(tenant, index);
    }
    return index;
  }

  /** Whether this is the site's index (not a tenant's, nor the pairs index). */
  private get isSite(): boolean {
    return this.site === this;
  }

  /**
   * The pairs index: the same machinery in the store's namespace `pairs`, whose "users"
   * are the (user, tenant) pairs of every row with a tenant, numbered in blocks per
   * tenant, so that one union of the site's days counts every tenant at once
   * (`countPerTenant`, the billing run). `null` when the store cannot count it so
   * (`countActiveUsersPerTenant`) or the site's index is not used.
   */
  private pairs(): ActiveUsersIndex | null {
    if (!this.isSite) return this.site.pairs();
    if (!this.enabled) return null;
    if (this.pairsIndex === undefined) {
      const view = typeof this.givenStore.activeDaysIn === 'function' ? this.givenStore.activeDaysIn('pairs') : null;
      this.pairsIndex = view !== null && countsActiveUsersPerTenant(view) ? new ActiveUsersIndex(this.repository, view, this.souvenirsCalendar, this.settings) : null;
      if (this.pairsIndex !== null) {
        this.pairsIndex.holdsPairs = true;
        this.pairsIndex.site = this;
        this.pairsIndex.pendingStaleMs = this.pendingStaleMs;
      }
    }
    return this.pairsIndex;
  }

  /** Bounded memory for hostile tenants: drops the oldest tenant indexes with no unsure days (theirs live in the store). */
  private forgetIdleTenants(): void {
    if (this.tenants.size < MAX_TENANT_INDEXES) return;
    for (const [tenant, index] of this.tenants) {
      if (this.tenants.size < MAX_TENANT_INDEXES) return;
      if (index.unsure.size === 0) this.tenants.delete(tenant);
    }
  }

  /** The index's day holding `when`, to pass to a rate-limit claim. */
  dayOf(when: Date): ActiveDayRef {
    return this.ref(this.calendar.dayOf(when));
  }

  /**
   * Adds rows to their days once their INSERT has committed (the write path:
   * `souvenez`, backfill batches): never before, so a write that fails leaves no
   * trace. Never throws: when the store fails, the days are remembered as unsure.
   */
  async recordWritten(rows: readonly { userId: string; when: Date; tenant?: string | null }[]): Promise<void> {
    if (!this.enabled || rows.length === 0) return;
    // Each tenant's rows go to its index too (a user of two tenants is one user of the site, one of
    // each tenant), and to the pairs index as the pair (user, tenant).
    if (this.isSite) {
      const byTenant = new Map<string, { userId: string; when: Date }[]>();
      const pairs: { userId: string; when: Date }[] = [];
      for (const row of rows) {
        if (row.tenant === null || row.tenant === undefined) continue;
        let held = byTenant.get(row.tenant);
        if (!held) byTenant.set(row.tenant, (held = []));
        held.push(row);
        pairs.push({ userId: rateLimitSubject(row.userId, row.tenant), when: row.when });
      }
      // The tenants' and pairs' adds first, then the site's, which clears the claim's pending add: a
      // writer dying before the site's add leaves it standing, and its day's tenants and pairs are rebuilt with it.
      const adds = [...byTenant].map(([tenant, own]) => this.forTenant(tenant)?.recordOwn(own));
      if (pairs.length > 0) adds.push(this.pairs()?.recordOwn(pairs));
      await Promise.all(adds);
    }
    await this.recordOwn(rows);
  }

  /** Adds rows to this index's days (see `recordWritten`); never throws. */
  private async recordOwn(rows: readonly { userId: string; when: Date }[]): Promise<void> {
    // Every row with its instant, for the day's log when it has one (a user may repeat).
    const byDay = new Map<LocalDay, { users: string[]; whens: number[] }>();
    for (const { userId, when } of rows) {
      const day = this.calendar.dayOf(when);
      let held = byDay.get(day);
      if (!held) byDay.set(day, (held = { users: [], whens: [] }));
      held.users.push(userId);
      held.whens.push(when.getTime());
    }
    try {
      await this.store.addActiveUsers!([...byDay].map(([day, { users, whens }]) => ({ day: this.ref(day), users, whens })));
    } catch (error) {
      this.missed(rows.map(({ when }) => when), error);
    }
  }

  /**
   * Before a backfill first writes into the local days of `rows` (and, for its rows of a
   * tenant, into the pairs index's days, keyed apart in `seen`): a day holding
   * no row in SQL yet is marked complete in the store, through a build begun before
   * the check (empty, or with the users of rows committed since it began), so the backfill's rows, added
   * as each batch commits (`recordWritten`), leave it complete, and the first count
   * after the load builds nothing. Likewise first activity, when the table is empty.
   * `seen` (one per backfill) holds the days already handled, each by the promise
   * of its check, which every batch writing the day awaits before its insert.
   * Never throws: a day not marked is built on first use, as before.
   */
  async prepareBackfill(rows: readonly { when: Date; tenant?: string | null }[], seen: Map<string, Promise<void>>): Promise<void> {
    if (!this.enabled || rows.length === 0) return;
    const first = seen.size === 0;
    // The pairs index's days of tenant rows too: else the first billing run after a load builds them from SQL.
    const tenantWhens = rows.flatMap(({ when, tenant }) => (tenant === null || tenant === undefined ? [] : [when]));
    const pairs = tenantWhens.length > 0 ? this.pairs() : null;
    await Promise.all([this.prepareDays(rows.map(({ when }) => when), seen, 'site', first), pairs?.prepareDays(tenantWhens, seen, 'pairs', false)]);
  }

  /** `prepareBackfill` of this index's days of `whens`, each keyed in `seen` by `index` and its start. */
  private async prepareDays(whens: readonly Date[], seen: Map<string, Promise<void>>, index: 'site' | 'pairs', firstOfBackfill: boolean): Promise<void> {
    const fresh = new Map<string, LocalDay>();
    const waits = new Set<Promise<void>>();
    for (const when of whens) {
      const day = this.calendar.dayOf(when);
      const key = `${index}:${day.start.getTime()}`;
      const held = seen.get(key);
      if (held) waits.add(held);
      else fresh.set(key, day);
    }
    if (fresh.size > 0) {
      const check = this.markEmptyDaysComplete([...fresh.values()], firstOfBackfill);
      for (const key of fresh.keys()) seen.set(key, check);
      waits.add(check);
    }
    await Promise.all(waits);
  }

  private async markEmptyDaysComplete(days: readonly LocalDay[], firstOfBackfill: boolean): Promise<void> {
    try {
      if (firstOfBackfill && this.keepsFirstActivity) {
        await this.firstActivity.markEmptyIf(async () => (await storedTimeBounds(this.repository.manager)).first === null);
      }
      // Builds begun before the probe, as any rebuild: an empty day is swapped in as a
      // fresh key (plus the rows added since it began), never merged into a key that
      // may have vanished in between; a day with rows keeps its build for a later use.
      const refs = days.map((day) => this.ref(day));
      const builds = await this.store.beginActiveDayBuilds!(refs);
      const held = await periodsWithRows(this.repository.manager, days.map((day) => [day.start, day.end] as const), this.holdsPairs ? ANY_TENANT : this.tenant);
      const writes = refs.flatMap((ref, i): ActiveDayBuildWrite[] => (held[i] ? [] : [{ day: ref, build: builds[i], users: [], finish: true }]));
      if (writes.length > 0) await this.store.writeActiveDayBuilds!(writes);
    } catch (error) {
      this.warning.warn(`A backfill left its days to be built on first use: ${String(error)}`);
    }
  }

  /**
   * Removes `user` from the index once its rows (at `whens`) are deleted from SQL, so
   * that no day, log, first day, pending add or number of the store holds it:
   * `forgetActiveUser` in one atomic step, asked again until the user's pending adds
   * recorded before `deletedAtMs` (claims of rows that may have been deleted, whose
   * adds are still to come) have landed, or are `pendingStaleMs` old (their writers
   * died): an add landing after the store forgot the user would put it back in a day
   * with no row (invariant 1). Builds under way are dropped with it (invariant 2: they
   * may have read the rows before the DELETE). A store without it has the user's days
   * and first activity invalidated instead. Used whether the index is trusted or not:
   * the store holds the user's id either way. Throws what the store throws.
   */
  async forget(user: string, whens: readonly Date[], deletedAtMs: number): Promise<void> {
    const store = this.store;
    if (typeof store.forgetActiveUser !== 'function') return this.invalidateRows(whens);
    const giveUpAt = Date.now() + this.pendingStaleMs;
    for (;;) {
      const dropPending = Date.now() >= giveUpAt;
      const { pending } = await store.forgetActiveUser({ user, pendingBeforeMs: deletedAtMs, dropPending });
      if (pending === 0 || dropPending) return;
      await new Promise((resolve) => setTimeout(resolve, FORGET_POLL_MS));
    }
  }

  /**
   * `forget` in the indexes of the tenants `user` left (its rows in each deleted): each
   * tenant's, and its pair with each in the pairs index. After the site's forget: a row
   * reaches these indexes before the site's, so the adds the site's forget waited for are
   * in them already.
   */
  async forgetInTenants(user: string, tenants: readonly string[], whens: readonly Date[], deletedAtMs: number): Promise<void> {
    for (const tenant of tenants) {
      await this.forTenant(tenant)?.forget(user, whens, deletedAtMs);
      await this.pairs()?.forget(rateLimitSubject(user, tenant), whens, deletedAtMs);
    }
  }

  /**
   * Records that rows at `whens` were written without the index (the store was
   * down, or a claimed write failed): their days are invalidated before the next
   * count, or counts come from SQL until they can be.
   */
  missed(whens: readonly Date[], cause?: unknown): void {
    for (const when of whens) this.unsure.add(this.dayOf(when).id);
    if (cause !== undefined) {
      this.warning.warn(`The active-users index missed rows of ${this.unsure.size} day(s) (${String(cause)}); they are rebuilt from SQL on next use.`);
    }
  }

  /**
   * Distinct active users of each `[start, end)` range, exact: from the index,
   * or from SQL when the index cannot answer. With `tenant`, of that tenant's rows only.
   */
  async countRanges(ranges: readonly Range[], scope: { readonly tenant?: string | null } = {}): Promise<number[]> {
    if (ranges.length === 0) return [];
    await this.checkKept(ranges);
    const tenant = scope.tenant ?? null;
    if (tenant !== null && this.isSite) {
      const index = this.forTenant(tenant);
      return index ? index.countRanges(ranges) : countActiveUsersPerPeriod(this.repository.manager, ranges, tenant);
    }
    if (!this.enabled) return this.countInSql(ranges);
    try {
      await this.invalidateUnsure();
      return await this.countFromIndex(ranges);
    } catch (error) {
      this.warning.warn(`Active users are counted in SQL, the index failed: ${String(error)}`);
      return this.countInSql(ranges);
    }
  }

  /**
   * Distinct active users of each `[start, end)` range among `subset`, exact: the
   * index's days intersected with the subset's users (in the store when it can, see
   * `countAmongFromIndex`), a user of the subset without a number being active on none
   * of them; the edge hours
   * of ranges off midnight from SQL, kept to the subset. SQL alone (the subset bound
   * in parts) when the index cannot answer: not kept, too many days, or failing.
   * With `tenant`, of that tenant's rows only, from its index as `countRanges` counts a tenant.
   */
  async countRangesAmong(ranges: readonly Range[], subset: StoredIdSubset, scope: { readonly tenant?: string | null } = {}): Promise<number[]> {
    if (ranges.length === 0) return [];
    await this.checkKept(ranges);
    if (subset.ids.length === 0) return ranges.map(() => 0);
    const tenant = scope.tenant ?? null;
    if (tenant !== null && this.isSite) {
      const index = this.forTenant(tenant);
      return index ? index.countRangesAmong(ranges, subset) : countActiveUsersAmongPerPeriod(this.repository.manager, ranges, subset.ids, tenant);
    }
    if (this.enabled) {
      try {
        const counted = await this.countAmongFromIndex(ranges, subset);
        if (counted !== null) return counted;
      } catch (error) {
        this.warning.warn(`Active users of a subset are counted in SQL, the index failed: ${String(error)}`);
      }
    }
    return countActiveUsersAmongPerPeriod(this.repository.manager, ranges, subset.ids, this.tenant);
  }

  /**
   * Every tenant's distinct active users in `[start, end)` (unordered, tenants without
   * activity left out), exact, from the pairs index: the range's whole days united in
   * the store with the pairs of its edge hours (read from SQL), counted per tenant in one
   * store call; days not complete are built from SQL and the call asked again once.
   * `null` when the index cannot answer (no pairs index, more than 400 days, a failing
   * store): the caller counts in SQL then.
   */
  async countPerTenant(start: Date, end: Date): Promise<ReadonlyArray<readonly [tenant: string, users: number]> | null> {
    const pairs = this.pairs();
    if (pairs === null) return null;
    try {
      return await pairs.countOwnPerTenant(start, end);
    } catch (error) {
      this.warning.warn(`Active users per tenant are counted in SQL, the index failed: ${String(error)}`);
      return null;
    }
  }

  /** `countPerTenant` of the pairs index itself. */
  private async countOwnPerTenant(start: Date, end: Date): Promise<ReadonlyArray<readonly [string, number]> | null> {
    await this.invalidateUnsure();
    const split = this.calendar.split(start, end, MAX_INDEX_DAYS);
    if (split === null) return null;
    const edges = await this.usersOf(split.edges);
    const query = { days: split.days.map((day) => this.idOf(day)), users: [...new Set(edges.flat())] };
    for (let attempt = 0; attempt < 2; attempt++) {
      const reply = await this.store.countActiveUsersPerTenant!(query);
      if ('tenants' in reply) return reply.tenants;
      if (attempt === 0) await this.buildIds(new Set(reply.incompleteDays), [split]);
    }
    // Days that would not stay complete (evicted, invalidated meanwhile): SQL.
    return null;
  }

  /**
   * Refuses ranges reaching before the retention horizon (read again when stale):
   * every count, of the site, a tenant, a subset or every tenant, passes here first.
   *
   * @throws BeforeRetentionHorizonError
   */
  async checkKept(ranges: readonly Range[]): Promise<void> {
    await this.refreshHorizon();
    for (const [start, end] of ranges) if (end > start) this.checkHorizon(start);
  }

  /**
   * The subset's counts from the index: intersected in the store when it can
   * (`countAmongInStore`), else from days read back (see `countByReading`); `null` when
   * the index cannot answer.
   */
  private async countAmongFromIndex(ranges: readonly Range[], subset: StoredIdSubset): Promise<number[] | null> {
    if (coveredDays(ranges) > MAX_INDEX_DAYS) return null;
    const splits = ranges.map(([start, end]) => this.calendar.split(start, end, MAX_INDEX_DAYS));
    const byStart = new Map<number, LocalDay>();
    for (const split of splits) {
      if (split === null) return null;
      for (const day of split.days) byStart.set(day.start.getTime(), day);
    }
    if (byStart.size > MAX_READ_DAYS) return null;
    // Edge hours, from SQL, as user ids kept to the subset: one statement for every range's edges.
    const edges = splits.flatMap((split, i) => split!.edges.map((edge) => ({ i, edge })));
    const edgeUsers = await distinctUsersPerPeriod(this.repository.manager, edges.map(({ edge }) => edge), this.tenant);
    const usersOf = ranges.map(() => new Set<string>());
    edges.forEach(({ i }, at) => edgeUsers[at].forEach((user) => subset.has(user) && usersOf[i].add(user)));
    if (byStart.size === 0) return usersOf.map((users) => users.size);
    const asked = splits.reduce((sum, split) => sum + split!.days.length, 0);
    if (readsActiveDaysAmong(this.store) && asked < READ_SHARING * byStart.size && ranges.length * subset.ids.length <= MAX_AMONG_BITS) {
      return this.countAmongInStore(splits as SplitRange[], usersOf, subset, byStart);
    }
    const days = [...byStart.values()].sort((a, b) => a.start.getTime() - b.start.getTime());
    const positions = new Map(days.map((day, at) => [day.start.getTime(), at]));
    const members = await this.readDays(days, subset.ids);
    if (members === null) return null;
    const numbers = new Map(subset.ids.map((user, i) => [user, members.users[i]]));
    const { places, kept } = keptToSubset(members.days as UserBitset[], members.users);
    const outside: number[] = [];
    const runs = splits.map((split, i): DayRun => {
      const from = split!.days.length === 0 ? 0 : positions.get(split!.days[0].start.getTime())!;
      const extra: number[] = [];
      let withoutNumber = 0;
      for (const user of usersOf[i]) {
        const n = numbers.get(user);
        // A user without a number is in none of the days: one more.
        if (n === null || n === undefined) withoutNumber += 1;
        else extra.push(places.get(n)!);
      }
      outside.push(withoutNumber);
      return { from, to: from + split!.days.length, extra };
    });
    return countRunUnions(kept, runs).map((count, i) => count + outside[i]);
  }

  /**
   * The subset's counts with each range's whole days intersected in the store
   * (`readActiveDaysAmong`): only the positions of the subset's users active on them come
   * back, never a day. Days not complete are built, then read again once, as `readDays`
   * does; each range's edge users (`edgeUsers`, of the subset) are merged as a set.
   * `null` when a day would not stay complete: the caller asks SQL.
   */
  private async countAmongInStore(
    splits: readonly SplitRange[],
    edgeUsers: readonly ReadonlySet<string>[],
    subset: StoredIdSubset,
    byStart: ReadonlyMap<number, LocalDay>,
  ): Promise<number[] | null> {
    const unions = splits.map((split) => split.days.map((day) => this.idOf(day)));
    const dayOf = new Map([...byStart.values()].map((day) => [this.idOf(day), day]));
    await this.invalidateUnsure();
    for (let attempt = 0; attempt < 2; attempt++) {
      const read = await this.store.readActiveDaysAmong!(unions, subset.ids);
      if (read.incompleteDays.length === 0 && read.members.every((members) => members !== null)) {
        return read.members.map((members, i) => {
          let count = edgeUsers[i].size;
          for (const at of members!) if (!edgeUsers[i].has(subset.ids[at])) count += 1;
          return count;
        });
      }
      if (attempt === 0) await this.buildDays(read.incompleteDays.flatMap((id) => dayOf.get(id) ?? []).sort((a, b) => a.start.getTime() - b.start.getTime()));
    }
    return null;
  }

  /**
   * Rebuilds the days meeting `[start, end)` from SQL, replacing what the store
   * held; `onProgress(done, total)` after each group of days.
   */
  async reindex(start: Date, end: Date, onProgress?: (done: number, total: number) => void): Promise<number> {
    const days = this.calendar.meeting(start, end);
    if (!this.enabled) return 0;
    await this.invalidateUnsure();
    for (let from = 0; from < days.length; from += BUILD_DAYS_PER_QUERY) {
      let group = days.slice(from, from + BUILD_DAYS_PER_QUERY);
      // Their logs too may hold rows changed since behind the module's back: dropped, rebuilt on use.
      await this.logs.forget(group);
      // So may a build under way (one a backfill began for a day it found holding rows): it began
      // before this SQL read and would keep the users of rows deleted since. Dropped, so the
      // build below begins afresh, after the rows changed.
      await this.store.invalidateActiveDays!(group.map((day) => this.idOf(day)));
      // A build lost meanwhile (evicted, flushed, beaten by another caller's swap) is built again:
      // this reindex's own SQL read must land, since rows may have changed behind the module's back.
      for (let attempt = 0; attempt < REINDEX_ATTEMPTS && group.length > 0; attempt++) group = await this.build(group);
      // Still not swapped in: not trusted, rebuilt on next use.
      if (group.length > 0) await this.store.invalidateActiveDays!(group.map((day) => this.idOf(day)));
      onProgress?.(Math.min(from + BUILD_DAYS_PER_QUERY, days.length), days.length);
    }
    // First activity spans all time, whatever the range: rows added or deleted by plain SQL show there too.
    if (this.keepsFirstActivity) await this.firstActivity.rebuild(REINDEX_ATTEMPTS);
    if (this.isSite) await this.reindexTenants(start, end);
    return days.length;
  }

  /**
   * The users of `days` read back from the store as bitsets, and the numbers of
   * `users`, in one read, with the users first active in `first` when given;
   * days (and first activity) the store does not hold complete are built from
   * SQL, then all are read again once. `null` when the store cannot answer (no
   * `readActiveDays`, a day that would not stay complete): the caller asks SQL;
   * `firstActive` may still be missing, and the caller then asks SQL for it.
   * Throws what the store throws.
   */
  async readDays(days: readonly LocalDay[], users: readonly string[], first?: FirstActivityWindow): Promise<ActiveDayMembers | null> {
    const store = this.store;
    if (!this.enabled || !keepsActiveDays(store) || !readsActiveDayMembers(store)) return null;
    const ids = days.map((day) => this.idOf(day));
    await this.invalidateUnsure();
    for (let attempt = 0; attempt < 2; attempt++) {
      const members = await store.readActiveDays(ids, users, first);
      const incomplete = days.filter((_, i) => members.days[i] === null);
      const firstMissing = first !== undefined && !members.firstActive;
      if (incomplete.length === 0 && (!firstMissing || attempt === 1)) return members;
      if (attempt === 0) {
        await Promise.all([incomplete.length > 0 && this.buildDays(incomplete), firstMissing && this.firstActivity.build()]);
      }
    }
    return null;
  }

  /** Builds `days` from SQL into the store (see `build`); a day whose build was lost stays incomplete, and the caller asks SQL. */
  private async buildDays(days: readonly LocalDay[]): Promise<void> {
    // Side by side, not one after the other: a report builds a whole window at once.
    const groups: Promise<void>[] = [];
    let done = 0;
    for (let from = 0; from < days.length; from += BUILD_DAYS_PER_QUERY) {
      const group = days.slice(from, from + BUILD_DAYS_PER_QUERY);
      groups.push(this.build(group).then(() => this.onBuildProgress?.((done += group.length), days.length)));
    }
    await Promise.all(groups);
  }

  /**
   * The first-activity window of local days `first` to `last`, to pass to
   * `readActiveDays`; `undefined` when the store keeps no first activity.
   */
  firstActivityWindow(first: LocalDay, last: LocalDay): FirstActivityWindow | undefined {
    return this.enabled && this.keepsFirstActivity ? this.firstActivity.windowOf(first, last) : undefined;
  }

  private async countFromIndex(ranges: readonly Range[]): Promise<number[]> {
    if (coveredDays(ranges) > MAX_INDEX_DAYS) return this.countInSql(ranges);
    // Ends off midnight: from the days and the day logs, without SQL; on midnight, the day scripts.
    const offMidnight = ranges.some(([start, end]) => this.calendar.dayOf(start).start.getTime() !== start.getTime() || this.calendar.dayOf(end).start.getTime() !== end.getTime());
    if (!offMidnight || !this.logs.enabled) return this.countFromDays(ranges);
    const answers = await this.logs.count(ranges);
    const rest = answers.flatMap((answer, i) => (answer === null ? [i] : []));
    if (rest.length > 0) (await this.countFromDays(rest.map((i) => ranges[i]))).forEach((count, at) => (answers[rest[at]] = count));
    return answers as number[];
  }

  /** Counts from whole days, with the edges of ranges off midnight read from SQL as user ids. */
  private async countFromDays(ranges: readonly Range[]): Promise<number[]> {
    const splits = ranges.map(([start, end]) => this.calendar.split(start, end, MAX_INDEX_DAYS));
    const answers = new Array<number | null>(ranges.length).fill(null);
    const indexed = splits.flatMap((split, i) => (split ? [i] : []));
    // Edge hours, from SQL, as user ids: one statement for every range's edges.
    const edges = indexed.flatMap((i) => splits[i]!.edges.map((edge) => ({ i, edge })));
    const edgeUsers = await distinctUsersPerPeriod(this.repository.manager, edges.map(({ edge }) => edge), this.tenant);
    const usersOf = new Map<number, string[]>();
    edges.forEach(({ i }, at) => usersOf.set(i, [...(usersOf.get(i) ?? []), ...edgeUsers[at]]));
    const queries = indexed.map((i): DayQuery => ({ days: splits[i]!.days, users: usersOf.get(i) ?? [] }));
    const read = await this.countByReading(queries);
    if (read !== null) indexed.forEach((i, at) => (answers[i] = read[at]));
    else await this.countByScripts(indexed, queries, splits, answers);
    // Ranges too long for the index, or days that would not stay complete: SQL.
    const rest = answers.flatMap((answer, i) => (answer === null ? [i] : []));
    const counted = await this.countInSql(rest.map((i) => ranges[i]));
    rest.forEach((i, at) => (answers[i] = counted[at]));
    return answers as number[];
  }

  /**
   * Counts by reading every day once and uniting them here (`countRunUnions`),
   * when the queries share days enough for that to beat one script per query (a
   * DAU/WAU/MAU series asks each day up to 38 times); `null` when they do not, or
   * when the store cannot read days back.
   */
  private async countByReading(queries: readonly DayQuery[]): Promise<number[] | null> {
    const byStart = new Map<number, LocalDay>();
    let asked = 0;
    for (const { days } of queries) {
      asked += days.length;
      for (const day of days) byStart.set(day.start.getTime(), day);
    }
    if (byStart.size === 0 || byStart.size > MAX_READ_DAYS || asked < READ_SHARING * byStart.size) return null;
    const days = [...byStart.values()].sort((a, b) => a.start.getTime() - b.start.getTime());
    const positions = new Map(days.map((day, at) => [day.start.getTime(), at]));
    const users = [...new Set(queries.flatMap((query) => query.users))];
    const members = await this.readDays(days, users);
    if (members === null) return null;
    const numbers = new Map(users.map((user, i) => [user, members.users[i]]));
    const outside: number[] = [];
    const runs = queries.map((query): DayRun => {
      const from = query.days.length === 0 ? 0 : positions.get(query.days[0].start.getTime())!;
      const extra: number[] = [];
      let withoutNumber = 0;
      for (const user of new Set(query.users)) {
        const n = numbers.get(user);
        // A user without a number is in none of the days: one more.
        if (n === null || n === undefined) withoutNumber += 1;
        else extra.push(n);
      }
      outside.push(withoutNumber);
      return { from, to: from + query.days.length, extra };
    });
    return countRunUnions(members.days as UserBitset[], runs).map((count, i) => count + outside[i]);
  }

  /** Counts with one store script per query (`countActiveUsers`), building incomplete days once; answers what it can. */
  private async countByScripts(
    indexed: readonly number[],
    queries: readonly DayQuery[],
    splits: readonly (SplitRange | null)[],
    answers: (number | null)[],
  ): Promise<void> {
    let pending = indexed.map((i, at) => ({ i, query: { days: queries[at].days.map((day) => this.idOf(day)), users: queries[at].users } }));
    for (let attempt = 0; attempt < 2 && pending.length > 0; attempt++) {
      const replies = await this.store.countActiveUsers!(pending.map(({ query }) => query));
      const incomplete = new Set<string>();
      pending = pending.filter(({ i }, at) => {
        const reply = replies[at];
        if ('count' in reply) answers[i] = reply.count;
        else reply.incompleteDays.forEach((id) => incomplete.add(id));
        return !('count' in reply);
      });
      if (attempt === 0 && incomplete.size > 0) await this.buildIds(incomplete, splits);
    }
  }

  /** Builds the days named by `ids`, found among the ranges' days. */
  private async buildIds(ids: ReadonlySet<string>, splits: readonly (SplitRange | null)[]): Promise<void> {
    const days = new Map<string, LocalDay>();
    for (const split of splits) for (const day of split?.days ?? []) if (ids.has(this.idOf(day))) days.set(this.idOf(day), day);
    const list = [...days.values()].sort((a, b) => a.start.getTime() - b.start.getTime());
    for (let from = 0; from < list.length; from += BUILD_DAYS_PER_QUERY) {
      await this.build(list.slice(from, from + BUILD_DAYS_PER_QUERY));
      this.onBuildProgress?.(Math.min(from + BUILD_DAYS_PER_QUERY, list.length), list.length);
    }
  }

  /**
   * Rebuilds days from SQL, replacing what the store held (invariants 2 and 3):
   * a fresh build per day is begun BEFORE the SQL read, so a row that commits after
   * the read reaches the build by its own add; the users read go to the build, and
   * its last write swaps it in, marked complete, only if it was never lost. Two
   * statements and two store round trips per group of days, however many users.
   *
   * @returns the days not swapped in by this call (their build was lost, dropped
   *   by an invalidation, or swapped in by another caller sharing it).
   */
  private async build(days: readonly LocalDay[]): Promise<LocalDay[]> {
    const refs = days.map((day) => this.ref(day));
    const builds = await this.store.beginActiveDayBuilds!(refs);
    const users = await this.usersOf(days.map((day) => [day.start, day.end] as const));
    const writes: ActiveDayBuildWrite[] = [];
    const finishes: number[] = [];
    days.forEach((_, i) => {
      const all = users[i];
      for (let from = 0; from === 0 || from < all.length; from += USERS_PER_WRITE) {
        const finish = from + USERS_PER_WRITE >= all.length;
        if (finish) finishes.push(writes.length);
        writes.push({ day: refs[i], build: builds[i], users: all.slice(from, from + USERS_PER_WRITE), finish });
      }
    });
    const done = await this.store.writeActiveDayBuilds!(writes);
    return days.filter((_, i) => !done[finishes[i]]);
  }

  private async invalidateUnsure(): Promise<void> {
    await this.takeStalePending();
    if (this.unsure.size === 0) return;
    const days = [...this.unsure];
    // Drops their builds under way too: those may have read SQL before the missed rows.
    await this.store.invalidateActiveDays!(days);
    // A missed row may be its user's first activity.
    if (this.keepsFirstActivity) await this.firstActivity.invalidate();
    for (const day of days) this.unsure.delete(day);
  }

  /**
   * Days of pending adds left standing (a writer died between its row's commit and
   * its add: the row is in SQL, maybe not in a day already complete) join the
   * unsure days, so they are rebuilt. Throws what the store throws.
   */
  private async takeStalePending(): Promise<void> {
    // Claims are the site's: a tenant's namespace (or the pairs') holds none, so theirs are the site's
    // own, whose stale days make the days of their tenants and pairs unsure (see `tenantsOfStaleDays`).
    if (!this.isSite) return this.site.takeStalePending();
    const now = Date.now();
    if (typeof this.store.takeStalePendingDays !== 'function' || now - this.pendingCheckedAt < Math.min(PENDING_CHECK_MS, this.pendingStaleMs)) return;
    this.pendingCheckedAt = now;
    const stale = await this.store.takeStalePendingDays(now - this.pendingStaleMs);
    for (const day of stale) this.unsure.add(day);
    await this.tenantsOfStaleDays(stale);
  }

  /**
   * A stale pending add of the site's day may be a tenant row's (its writer died before the
   * adds): the day of every tenant with rows on it is rebuilt too. One statement a day.
   */
  private async tenantsOfStaleDays(ids: readonly string[]): Promise<void> {
    const zone = `${this.calendar.timeZone}/`;
    for (const id of ids) {
      if (!id.startsWith(zone)) continue; // a day of another zone's index: not counted here
      const day = this.calendar.dayOfDate(id.slice(zone.length));
      const tenants = await tenantsBetween(this.repository.manager, day.start, day.end);
      for (const tenant of tenants) this.forTenant(tenant)?.unsure.add(id);
      if (tenants.length > 0) this.pairs()?.unsure.add(id);
    }
  }

  /**
   * Rebuilds the tenants' days meeting `[start, end)` (see `reindex`): every tenant with rows
   * in the range, and every tenant index this process used or the store holds (its rows may all be gone).
   */
  private async reindexTenants(start: Date, end: Date): Promise<void> {
    const [first, afterLast] = this.wholeDays(start, end);
    // The tenants with rows in the range, and every tenant index the store holds: one whose
    // rows all left by plain SQL has none, yet its days must be rebuilt (empty).
    const held = (await this.store.activeDayNamespaces?.()) ?? [];
    const tenants = new Set([
      ...(await tenantsBetween(this.repository.manager, first, afterLast)),
      ...this.tenants.keys(),
      ...held.filter((namespace) => namespace.startsWith('t:')).map((namespace) => namespace.slice(2)),
    ]);
    for (const tenant of tenants) await this.forTenant(tenant)?.reindex(start, end);
    await this.pairs()?.reindex(start, end);
  }

  /** The distinct ids of this index's rows in each period, from SQL: users, or pairs for the pairs index. */
  private async usersOf(periods: readonly (readonly [Date, Date])[]): Promise<string[][]> {
    if (!this.holdsPairs) return distinctUsersPerPeriod(this.repository.manager, periods, this.tenant);
    const pairs = await distinctPairsPerPeriod(this.repository.manager, periods);
    return pairs.map((period) => period.map(([user, tenant]) => rateLimitSubject(user, tenant)));
  }

  private countInSql(ranges: readonly Range[]): Promise<number[]> {
    return ranges.length === 0 ? Promise.resolve([]) : countActiveUsersPerPeriod(this.repository.manager, ranges, this.tenant);
  }

  private idOf(day: LocalDay): string {
    let id = this.ids.get(day);
    if (id === undefined) {
      id = `${this.calendar.timeZone}/${day.date}`;
      this.ids.set(day, id);
    }
    return id;
  }

  /** A day's id in the store (the zone in it: a changed `timeZone` starts afresh) and its expiry. */
  private ref(day: LocalDay): ActiveDayRef {
    const kept = day.end.getTime() + ACTIVE_DAY_RETENTION_DAYS * DAY_MS;
    return {
      id: this.idOf(day),
      // Store expiry runs on wall time, not on the module's (possibly simulated) clock.
      expireAtMs: Math.max(kept, Date.now() + OLD_DAY_LIFETIME_MS),
      // A write of the day goes to its log too, at its offset from the day's start.
      startMs: day.start.getTime(),
      ...(this.keepsFirstActivity && { firstActivity: this.firstActivity.dayOf(day) }),
    };
  }
}

/** How many days the union of `ranges` spans (overlaps counted once), without listing them. */
function coveredDays(ranges: readonly Range[]): number {
  const sorted = [...ranges].sort(([a], [b]) => a.getTime() - b.getTime());
  let covered = 0;
  let reach = -Infinity;
  for (const [start, end] of sorted) {
    const from = Math.max(start.getTime(), reach);
    if (end.getTime() > from) covered += end.getTime() - from;
    reach = Math.max(reach, end.getTime());
  }
  return covered / DAY_MS;
}

/**
 * The days kept to a subset's user numbers, renumbered densely: the subset's numbers,
 * ascending and each once, take places 0, 1, … (`places`), and `kept[d]` holds the places
 * of those in `days[d]`. The unions then run over the subset's bits (10,000) rather than
 * the whole index's (a million a day), and the days read from the store stay unchanged.
 */
function keptToSubset(days: readonly UserBitset[], numbers: readonly (number | null)[]): { places: Map<number, number>; kept: UserBitset[] } {
  const ascending = [...new Set(numbers.filter((n): n is number => n !== null))].sort((a, b) => a - b);
  const places = new Map(ascending.map((n, place) => [n, place]));
  const kept = days.map((day) => {
    const set = UserBitset.empty();
    for (let place = 0; place < ascending.length; place++) if (day.has(ascending[place])) set.add(place);
    return set;
  });
  return { places, kept };
}
