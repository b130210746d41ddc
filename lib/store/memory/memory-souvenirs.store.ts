import type { OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InvalidOptionError } from '../../errors/invalid-option.error.js';
import {
  applyTemplatePart,
  checkCells,
  checkChoices,
  checkClaimArguments,
  checkFlushId,
  checkIncrements,
  checkInteger,
  checkLockArguments,
  checkMarkArguments,
  checkReleasedClaim,
  checkString,
  checkSubjects,
  checkTemplates,
} from '../store-arguments.js';
import { withinRateLimit } from '../rate-limit-window.js';
import { subjectUser } from '../rate-limit-subject.js';
import { MemoryActiveDays } from './memory-active-days.js';
import { MemoryFirstActivity } from './memory-first-activity.js';
import { checkFirstActivityBuildWrite, checkFirstActivityCalendar, checkFirstActivityWrite } from '../first-activity-arguments.js';
import type { FirstActivityBuildWrite, FirstActivityWindow, FirstActivityWrite } from '../first-activity.interface.js';
import type { ActiveDayMembers } from '../active-day-members.interface.js';
import { checkReadActiveDayUnions, checkReadActiveDays, checkReadActiveDaysAmong } from '../active-day-members-arguments.js';
import type { ActiveDaysAmong } from '../active-days-among.interface.js';
import type { ActiveUsersPerTenant } from '../active-users-per-tenant.interface.js';
import {
  checkActiveDay,
  checkActiveDayLog,
  checkActiveDayBuilds,
  checkActiveDayBuildWrites,
  checkActiveQueries,
  checkActiveUsersPerTenantQuery,
  checkActiveUserForget,
  checkActiveWrites,
  checkDayIds,
} from '../active-days-arguments.js';
import type { ActiveDayBuildWrite, ActiveDayRef, ActiveUserForget, ActiveUsersAnswer, ActiveUsersOfDay, ActiveUsersQuery } from '../active-days.interface.js';
import type { ActiveDayLogWrite, ActiveDayUnions } from '../active-day-logs.interface.js';
import {
  FLUSH_ID_TTL_MS,
  type CounterCell,
  type CounterIncrements,
  type CounterTemplate,
  type MemberCounters,
  type RateLimitClaim,
  type SouvenirsStore,
} from '../souvenirs-store.interface.js';

/**
 * Options of {@link MemorySouvenirsStore}.
 */
export interface MemorySouvenirsStoreOptions {
  /** How often expired counters and claims are swept out, in milliseconds (default 60 000). */
  sweepIntervalMs?: number;
}

interface CounterHash {
  readonly fields: Map<string, number>;
  /** Epoch milliseconds at which the whole hash expires; `null`: never. */
  expiresAt: number | null;
}

interface RateLimitEntry {
  readonly lastMs: number;
  readonly expiresAt: number;
}

const DEFAULT_SWEEP_INTERVAL_MS = 60_000;

/**
 * The default store: counters, choices and rate-limit claims in this process's
 * memory, with the same semantics as {@link RedisSouvenirsStore} (integer
 * counters, missing counters read 0, all-or-nothing choices, per-key expiry reset
 * by each write). Nothing is shared between processes and everything is lost on
 * restart, so it suits one process, development and tests.
 *
 * Expired entries are dropped when touched and by a periodic sweep whose timer
 * never keeps the process alive and stops in `onModuleDestroy`.
 *
 * @publicApi
 */
export class MemorySouvenirsStore implements SouvenirsStore, OnModuleDestroy {
  private readonly counters = new Map<string, CounterHash>();
  private readonly choices = new Map<string, Set<string>>();
  private readonly rateLimits = new Map<string, RateLimitEntry>();
  /** Locks (`acquireLock`): name → the holder's token and until when it stands (epoch ms). */
  private readonly locks = new Map<string, { readonly token: string; readonly expiresAt: number }>();
  /** Marks (`raiseMark`): name → its value, which only rises. */
  private readonly marks = new Map<string, number>();
  /** Flush ids applied, until when they are remembered (epoch ms). */
  private readonly flushIds = new Map<string, number>();
  private readonly activeDays = new MemoryActiveDays();
  private readonly firstActivity = new MemoryFirstActivity();
  /** The index of each namespace (see `activeDaysIn`): views of this store, swept with it. */
  private readonly namespaces = new Map<string, MemorySouvenirsStore>();
  private sweepTimer: NodeJS.Timeout | undefined;

  /** @throws InvalidOptionError when `sweepIntervalMs` is not a positive number. */
  constructor(options: MemorySouvenirsStoreOptions = {}) {
    const interval = options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
    if (!Number.isFinite(interval) || interval <= 0) {
      throw new InvalidOptionError('sweepIntervalMs', 'a positive number of milliseconds', interval);
    }
    this.sweepTimer = setInterval(() => this.sweep(), interval);
    this.sweepTimer.unref();
  }

  /**
   * How many keys (counter hashes, choice sets, rate-limit subjects) the store
   * holds, expired ones not yet swept included: a measure of its memory use.
   */
  get keyCount(): number {
    return this.counters.size + this.choices.size + this.rateLimits.size + this.activeDays.size;
  }

  /**
   * Every method body runs synchronously to completion (no `await` inside), so
   * each call is atomic with respect to every other call in this process.
   */
  async claimRateLimit(subject: string, whenMs: number, limitMs: number, activeDay?: ActiveDayRef): Promise<RateLimitClaim | null> {
    checkClaimArguments(subject, whenMs, limitMs);
    if (activeDay !== undefined) checkActiveDay('claimRateLimit', 'activeDay', activeDay);
    const now = Date.now();
    const last = this.liveRateLimit(subject, now);
    if (last && withinRateLimit(whenMs, last.lastMs, limitMs)) return null;
    this.rateLimits.set(subject, { lastMs: whenMs, expiresAt: now + limitMs });
    if (activeDay) this.activeDays.recordPending(activeDay.id, subjectUser(subject), now);
    return { subject, whenMs, limitMs, previousMs: last ? last.lastMs : null };
  }

  async releaseRateLimit(claim: RateLimitClaim): Promise<void> {
    checkReleasedClaim(claim);
    const now = Date.now();
    const current = this.liveRateLimit(claim.subject, now);
    if (!current || current.lastMs !== claim.whenMs) return;
    if (claim.previousMs === null) {
      this.rateLimits.delete(claim.subject);
    } else {
      this.rateLimits.set(claim.subject, { lastMs: claim.previousMs, expiresAt: now + claim.limitMs });
    }
  }

  async forgetRateLimits(subjects: readonly string[]): Promise<void> {
    checkSubjects(subjects);
    for (const subject of subjects) this.rateLimits.delete(subject);
  }

  async acquireLock(name: string, ttlMs: number): Promise<string | null> {
    checkLockArguments('acquireLock', name, ttlMs);
    const now = Date.now();
    const held = this.locks.get(name);
    if (held && held.expiresAt > now) return null;
    const token = randomUUID();
    this.locks.set(name, { token, expiresAt: now + ttlMs });
    return token;
  }

  async releaseLock(name: string, token: string): Promise<void> {
    checkLockArguments('releaseLock', name, token);
    if (this.locks.get(name)?.token === token) this.locks.delete(name);
  }

  async raiseMark(name: string, value: number): Promise<number> {
    checkMarkArguments('raiseMark', name, value);
    const raised = Math.max(this.marks.get(name) ?? value, value);
    this.marks.set(name, raised);
    return raised;
  }

  async readMark(name: string): Promise<number | null> {
    checkMarkArguments('readMark', name);
    return this.marks.get(name) ?? null;
  }

  async incrementCounters(increments: CounterIncrements, flushId?: string): Promise<void> {
    const writes = checkIncrements(increments);
    checkFlushId(flushId);
    const now = Date.now();
    if (flushId !== undefined) {
      // Nothing here can lose a reply, but the contract is the same as Redis's.
      const seenUntil = this.flushIds.get(flushId);
      if (seenUntil !== undefined && seenUntil > now) return;
      this.flushIds.set(flushId, now + FLUSH_ID_TTL_MS);
    }
    for (const { key, fields, ttlMs } of writes) {
      let hash = this.liveCounters(key, now);
      if (!hash) {
        hash = { fields: new Map(), expiresAt: null };
        this.counters.set(key, hash);
      }
      for (const [field, by] of fields) hash.fields.set(field, (hash.fields.get(field) ?? 0) + by);
      hash.expiresAt = ttlMs === null ? null : now + ttlMs;
    }
  }

  async readCounters(cells: readonly CounterCell[]): Promise<number[]> {
    checkCells(cells);
    const now = Date.now();
    return cells.map(({ key, field }) => this.liveCounters(key, now)?.fields.get(field) ?? 0);
  }

  async addChoices(key: string, values: readonly string[], maxChoices?: number): Promise<boolean> {
    const unique = checkChoices(key, values, maxChoices);
    const set = this.choices.get(key);
    const fresh = set ? unique.filter((value) => !set.has(value)) : unique;
    // Nothing new: already members, even in a set past a since-lowered bound. Like
    // Redis, an empty set does not exist, so adding nothing creates no key.
    if (fresh.length === 0) return true;
    if (maxChoices !== undefined && (set?.size ?? 0) + fresh.length > maxChoices) return false;
    const target = set ?? new Set<string>();
    for (const value of fresh) target.add(value);
    this.choices.set(key, target);
    return true;
  }

  async getChoices(key: string): Promise<string[]> {
    checkString('getChoices', 'key', key);
    return [...(this.choices.get(key) ?? [])];
  }

  async readCountersOfMembers(setKey: string, templates: readonly CounterTemplate[]): Promise<MemberCounters> {
    checkTemplates(setKey, templates);
    const now = Date.now();
    const members = [...(this.choices.get(setKey) ?? [])];
    const counters = members.map((member) =>
      templates.map(({ key, field }) => {
        const hash = this.liveCounters(applyTemplatePart(key, member), now);
        return hash?.fields.get(applyTemplatePart(field, member)) ?? 0;
      }),
    );
    return { members, counters };
  }

  async readHash(key: string): Promise<Array<[string, number]>> {
    checkString('readHash', 'key', key);
    return [...(this.liveCounters(key, Date.now())?.fields ?? [])];
  }

  async addActiveUsers(writes: readonly ActiveUsersOfDay[]): Promise<void> {
    checkActiveWrites(writes);
    this.addActive(writes, Date.now());
  }

  async invalidateActiveDays(days: readonly string[]): Promise<void> {
    checkDayIds('invalidateActiveDays', days);
    this.activeDays.invalidate(days, Date.now());
  }

  async countActiveUsers(queries: readonly ActiveUsersQuery[]): Promise<ActiveUsersAnswer[]> {
    checkActiveQueries(queries);
    return this.activeDays.count(queries, Date.now());
  }

  // ── Active-user analytics: the index read back as sets ──
  async readActiveDays(days: readonly string[], users: readonly string[], first?: FirstActivityWindow, logs?: readonly string[]): Promise<ActiveDayMembers> {
    checkReadActiveDays(days, users, first, logs);
    return this.activeDays.members(days, users, Date.now(), first && this.firstActivity.usersFirstActiveIn(first), logs);
  }

  async readActiveDayUnions(unions: readonly (readonly string[])[], logs: readonly string[]): Promise<ActiveDayUnions> {
    checkReadActiveDayUnions(unions, logs);
    return this.activeDays.unions(unions, logs, Date.now());
  }

  async readActiveDaysAmong(unions: readonly (readonly string[])[], users: readonly string[]): Promise<ActiveDaysAmong> {
    checkReadActiveDaysAmong(unions, users);
    return this.activeDays.among(unions, users, Date.now());
  }

  async countActiveUsersPerTenant(query: { readonly days: readonly string[]; readonly users: readonly string[] }): Promise<ActiveUsersPerTenant> {
    checkActiveUsersPerTenantQuery(query);
    return this.activeDays.perTenant(query.days, query.users, Date.now());
  }

  async addActiveDayLog(write: ActiveDayLogWrite): Promise<void> {
    checkActiveDayLog(write);
    this.activeDays.addLog(write, Date.now());
  }

  async takeStalePendingDays(claimedBeforeMs: number): Promise<string[]> {
    checkInteger('takeStalePendingDays', 'claimedBeforeMs', claimedBeforeMs, 0);
    return this.activeDays.takeStalePending(claimedBeforeMs);
  }

  async beginActiveDayBuilds(days: readonly ActiveDayRef[]): Promise<string[]> {
    checkActiveDayBuilds(days);
    return this.activeDays.beginBuilds(days, Date.now());
  }

  async writeActiveDayBuilds(writes: readonly ActiveDayBuildWrite[]): Promise<boolean[]> {
    checkActiveDayBuildWrites(writes);
    return this.activeDays.writeBuilds(writes, Date.now());
  }

  async beginFirstActivityBuild(calendar: string): Promise<string> {
    checkFirstActivityCalendar(calendar, 'beginFirstActivityBuild');
    return this.firstActivity.beginBuild(calendar, Date.now());
  }

  async writeFirstActivityBuild(write: FirstActivityBuildWrite): Promise<boolean> {
    checkFirstActivityBuildWrite(write);
    return this.firstActivity.writeBuild(write, Date.now());
  }

  async addFirstActivity(write: FirstActivityWrite): Promise<void> {
    checkFirstActivityWrite(write);
    this.firstActivity.write(write);
  }

  async forgetActiveUser(forget: ActiveUserForget): Promise<{ pending: number }> {
    checkActiveUserForget(forget);
    // One synchronous step: the days, first activity and the numbering lose the user together.
    this.firstActivity.forget(forget.user);
    return { pending: this.activeDays.forget(forget.user, forget.pendingBeforeMs, forget.dropPending === true) };
  }

  async invalidateFirstActivity(calendar: string): Promise<void> {
    checkFirstActivityCalendar(calendar);
    this.firstActivity.invalidate(calendar);
  }

  /** Adds users to days, lowering their first activity in the same synchronous step. */
  private addActive(writes: readonly ActiveUsersOfDay[], now: number): void {
    this.activeDays.add(writes, now);
    for (const { day, users } of writes) if (day.firstActivity) this.firstActivity.lower(day.firstActivity, users, now);
  }
  // ── end of active-user analytics ──

  /**
   * This store with its index in `namespace`: a view whose index parts (days, numbers,
   * builds, pending adds, logs, first activity) are its own, everything else this store's.
   */
  activeDaysIn(namespace: string): SouvenirsStore {
    checkString('activeDaysIn', 'namespace', namespace);
    let view = this.namespaces.get(namespace);
    if (view === undefined) {
      // Every method reads `this.activeDays` / `this.firstActivity`: the view shadows those two only.
      view = Object.create(this, {
        activeDays: { value: new MemoryActiveDays() },
        firstActivity: { value: new MemoryFirstActivity() },
        namespaces: { value: this.namespaces },
      }) as MemorySouvenirsStore;
      this.namespaces.set(namespace, view);
    }
    return view;
  }

  async activeDayNamespaces(): Promise<string[]> {
    return [...this.namespaces.keys()];
  }

  /** Stops the sweep timer. */
  onModuleDestroy(): void {
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  /** Drops every expired counter hash and rate-limit claim. */
  private sweep(): void {
    const now = Date.now();
    for (const [key, hash] of this.counters) {
      if (hash.expiresAt !== null && hash.expiresAt <= now) this.counters.delete(key);
    }
    for (const [subject, entry] of this.rateLimits) {
      if (entry.expiresAt <= now) this.rateLimits.delete(subject);
    }
    for (const [flushId, until] of this.flushIds) {
      if (until <= now) this.flushIds.delete(flushId);
    }
    this.activeDays.sweep(now);
    for (const view of this.namespaces.values()) view.activeDays.sweep(now);
  }

  private liveCounters(key: string, now: number): CounterHash | undefined {
    const hash = this.counters.get(key);
    if (hash && hash.expiresAt !== null && hash.expiresAt <= now) {
      this.counters.delete(key);
      return undefined;
    }
    return hash;
  }

  private liveRateLimit(subject: string, now: number): RateLimitEntry | undefined {
    const entry = this.rateLimits.get(subject);
    if (entry && entry.expiresAt <= now) {
      this.rateLimits.delete(subject);
      return undefined;
    }
    return entry;
  }
}
