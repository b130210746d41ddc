import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { SouvenirsCalendar } from '../calendar/souvenirs-calendar.js';
import { SOUVENIRS_OPTIONS } from '../shared/souvenirs-options.token.js';
import { SouvenirsStore, type RateLimitClaim } from '../store/souvenirs-store.interface.js';
import { withTypedFailures } from '../store/typed-store-failures.js';
import {
  checkProgress,
  checkBackfillArguments,
  checkBackfillEntry,
  checkDate,
  checkFlag,
  checkRange,
  rateLimitMs,
} from './activity-arguments.js';
import type { SouvenirRow } from '../table/souvenir.entity.js';
import { ProcessRateLimit } from './process-rate-limit.js';
import { ActiveUsersIndex } from '../active-users/active-users.index.js';
import { storedTimeBounds } from '../table/distinct-users.query.js';
import { insertSouvenirs } from '../table/bulk-insert.query.js';
import { findStoredKeys } from '../table/stored-souvenirs.query.js';
import { BackfillBatches } from './backfill-batches.js';
import { dialectSqlOf } from '../table/sql/dialect-sql.js';
import { Souvenir } from '../table/souvenir.entity.js';
import { toUserId, type UserRef } from './user-ref.js';
import { resolveAmong, subsetUsersEntity, type Among } from './user-subset.js';
import { countRowsBefore, deleteRowsBeforeBatch, deleteUserRows, eachUserRow, lastWhenOf } from '../table/user-rows.query.js';
import { toTenant } from './tenant.js';
import { rateLimitSubject } from '../store/rate-limit-subject.js';

/** What one `souvenez` call did. */
export type SouvenezResult = 'added' | 'rate-limited' | 'duplicated';

/** Options of {@link ActivityService.souvenez}. */
export interface SouvenezOptions {
  /** When the user was seen (default: the module's clock, `now()`). */
  when?: Date;
  /** `true` (default): the module's `rateLimitSeconds`; a number: seconds; `false` or `0`: always write. */
  ratelimit?: boolean | number;
  /** Skip the write when a row with this user, this exact `when` and this tenant exists (default `false`). */
  checkDuplicate?: boolean;
  /**
   * The tenant (organisation, workspace) the user was active in; absent or `null`: none.
   * The rate limit is per user and tenant: activity in two tenants writes a row in each.
   */
  tenant?: string | null;
}

/** A range of activity: `start` inclusive, `end` exclusive, either open when absent. */
export interface ActivityRange {
  start?: Date;
  end?: Date;
}

/** What {@link ActivityService.countActiveUsers} counts: a range, and optionally one tenant's activity, or a subset of users, or both. */
export interface CountActiveUsersOptions extends ActivityRange {
  /** Count only the activity recorded in this tenant (absent or `null`: the whole site, each user once). */
  tenant?: string | null;
  /** Only these users (an iterable of refs, or `{ where }` on the `users` entity): see `Among`. */
  among?: Among;
}

/** One past sighting to import with {@link ActivityService.backfill}. */
export interface BackfillEntry {
  user: UserRef;
  when: Date;
  /** The tenant the user was active in; absent or `null`: none. */
  tenant?: string | null;
}

/** Options of {@link ActivityService.backfill}. */
export interface BackfillOptions {
  /** Skip entries whose user and `when` are already stored, or repeat earlier in their batch (default `false`). */
  checkDuplicate?: boolean;
  /** Entries per INSERT (default 1000, at most 10 000). */
  batchSize?: number;
  /**
   * Batches written at once, each on its own connection (1 to 8; default 4 on PostgreSQL,
   * whose server then inserts on two cores through each commit's WAL flush, 2 on
   * MySQL/MariaDB, 1 on SQLite, which writes one statement at a time anyway).
   */
  concurrency?: number;
  /** Called after each batch with the number of entries processed so far. */
  onProgress?: (done: number) => void;
}

/** Options of {@link ActivityService.reindex}. */
export interface ReindexOptions {
  /** Called after each group of days with the days rebuilt so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** Options of {@link ActivityService.forget}. */
export interface ForgetOptions {
  /**
   * Erase only the user's activity in this tenant (`null`: its activity recorded with no
   * tenant); absent: all of it, in every tenant and none.
   */
  tenant?: string | null;
}

/** One row of {@link ActivityService.exportUser}. */
export interface ExportedActivity {
  when: Date;
  /** The tenant the activity was recorded in, `null` for none. */
  tenant: string | null;
}

/** Options of {@link ActivityService.prune}. */
export interface PruneOptions {
  /** Rows strictly before this instant are deleted. */
  before: Date;
  /** Called after each batch with the rows deleted so far and the rows there were to delete. */
  onProgress?: (done: number, total: number) => void;
}

/** What a backfill wrote. */
export interface BackfillResult {
  added: number;
  duplicated: number;
}

/** The module options `ActivityService` reads (a slice of the resolved options). @internal */
export interface ActivitySettings {
  /** The rate-limit window, in seconds (0: none). */
  readonly rateLimitSeconds: number;
  /** The `users` option: its entity is what `among: { where }` runs on. */
  readonly users: object | undefined;
}

/**
 * Remembers when users were active and counts distinct active users: the
 * django-souvenirs `souvenez` / `count_active_users`, plus a batched `backfill`.
 *
 * @publicApi
 */
@Injectable()
export class ActivityService {
  private readonly logger = new Logger(ActivityService.name);
  /** Stands in for the store's shared claim while the store cannot be reached. */
  private readonly processRateLimit = new ProcessRateLimit();
  /** Whether the last claim failed in the store: the outage is logged once, and its end. */
  private storeDown = false;

  constructor(
    @InjectRepository(Souvenir) private readonly repository: Repository<Souvenir>,
    @Inject(SouvenirsStore) private readonly store: SouvenirsStore,
    @Inject(SOUVENIRS_OPTIONS) private readonly options: ActivitySettings,
    private readonly calendar: SouvenirsCalendar,
    // The module provides one index to every service: they share its record of unsure days.
    private readonly index: ActiveUsersIndex,
  ) {}

  /**
   * Records that `user` was active at `when`, unless rate-limited.
   *
   * The rate limit is on event time, as in django-souvenirs: the activity is written
   * unless `when` < (the last written `when` of this user) + the limit. It is one
   * atomic claim in the store, so concurrent calls from every process sharing the
   * store write one row. If the write fails after the claim was granted, the claim is
   * released (the next call writes the row) and the database error is rethrown.
   *
   * When the store cannot take the claim (Redis unreachable or failing), the row is
   * written anyway under a per-process rate limit (at most one row per user per window
   * in each process); the outage is logged once, and the shared claim is used again as
   * soon as the store answers.
   *
   * Every argument is validated first: on bad input nothing is claimed or written.
   *
   * @example
   * await activity.souvenez(req.user);                                   // 'added' or 'rate-limited'
   * await activity.souvenez(42, { when: loginAt, checkDuplicate: true });
   *
   * @throws InvalidUserError when `user` has no usable id, or one past 191 characters (`reason: 'too-long'`).
   * @throws InvalidDateError when `when` (or the clock's `now()`) is not a valid Date, or is
   *   outside `SUPPORTED_DATES` (years 1000–9999; `reason: 'out-of-range'`).
   * @throws InvalidRateLimitError when `ratelimit` is not a boolean or a finite number ≥ 0.
   * @throws InvalidOptionError when `checkDuplicate` is not a boolean.
   * @throws InvalidTenantError when `tenant` is present but not a non-empty string of at
   *   most 255 characters, or holds a NUL or a lone surrogate.
   */
  async souvenez(user: UserRef, options: SouvenezOptions = {}): Promise<SouvenezResult> {
    const userId = toUserId(user);
    const { when: whenOption, ratelimit, checkDuplicate: checkDuplicateOption, tenant: tenantOption } = options ?? {};
    const when = whenOption === undefined ? checkDate('now()', this.calendar.now()) : checkDate('when', whenOption);
    const limitMs = rateLimitMs(ratelimit, this.options.rateLimitSeconds);
    const checkDuplicate = checkFlag('checkDuplicate', checkDuplicateOption);
    const tenant = toTenant(tenantOption);
    const row: SouvenirRow = { userId, when, tenant };

    let held: HeldClaim | undefined;
    if (limitMs > 0) {
      const claimed = await this.claim(row, limitMs);
      if (claimed === null) return 'rate-limited';
      held = claimed;
    }
    try {
      // As in django-souvenirs, a duplicate keeps the claim: that activity is recorded. Its row is
      // committed, so it is added like a new one (idempotent), which clears the claim's pending add.
      if (checkDuplicate && (await findStoredKeys(this.repository, [row])).size > 0) {
        await this.index.recordWritten([row]);
        return 'duplicated';
      }
      await this.insert([row]);
    } catch (error) {
      // The claim touched nothing but the rate limit: releasing it leaves no trace of the write.
      await held?.release();
      throw error;
    }
    // The index holds only committed rows: the user joins its day now, after the commit
    // (or the day is marked unsure). One more round trip, once per user, tenant and window.
    await this.index.recordWritten([row]);
    return 'added';
  }

  /**
   * Claims the user's rate-limit window: in the store (shared by every process), or,
   * when the store fails, in this process only. Returns `null` when refused. The
   * claim does not add the user to the active-users index (its row is not
   * committed yet): it only records the add as pending.
   */
  private async claim({ userId, when, tenant }: SouvenirRow, limitMs: number): Promise<HeldClaim | null> {
    const whenMs = when.getTime();
    // Per user and tenant, in the store and in the per-process stand-in alike.
    const subject = rateLimitSubject(userId, tenant);
    // A row this process wrote during an outage still holds its window when the store is back.
    if (this.processRateLimit.size > 0 && this.processRateLimit.refuses(subject, whenMs)) return null;
    // The claim records a pending add of the user to its day (the row is not committed yet):
    // cleared by the add after the commit, or found stale if this process dies in between.
    const day = this.index.enabled ? this.index.dayOf(when) : undefined;
    let storeClaim: RateLimitClaim | null;
    try {
      storeClaim = await this.store.claimRateLimit(subject, whenMs, limitMs, day);
    } catch (error) {
      this.noteStoreDown(error);
      const processClaim = this.processRateLimit.claim(subject, whenMs, limitMs);
      return processClaim && { release: async () => this.processRateLimit.release(processClaim, limitMs) };
    }
    this.noteStoreUp();
    return storeClaim && { release: () => this.release(storeClaim) };
  }

  /** Logs the start of a store outage once, not per call. */
  private noteStoreDown(error: unknown): void {
    if (this.storeDown) return;
    this.storeDown = true;
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.logger.warn(
      `The store cannot take rate-limit claims (${reason}); activity is written with a per-process rate limit ` +
        `(at most one row per user and tenant per window in each process) until it is back.`,
    );
  }

  /** Logs the end of a store outage once. */
  private noteStoreUp(): void {
    if (!this.storeDown) return;
    this.storeDown = false;
    this.logger.log('The store takes rate-limit claims again: the shared rate limit is back.');
  }

  /**
   * How many distinct users were active in `[start, end)`; either bound may be omitted.
   * With `tenant`, those active in that tenant; without, every user once, whatever their tenants.
   * With `among`, only users of that subset count (django-souvenirs' `qs`): exact, from
   * the index's days intersected with the subset (a user never seen is not active), or SQL.
   *
   * @example
   * await activity.countActiveUsers({ start: monthStart, end: nextMonthStart });
   * await activity.countActiveUsers({ start: monthStart, tenant: 'org-42' });
   * await activity.countActiveUsers({ start: monthStart, among: { where: { plan: 'pro' } } });
   *
   * @throws InvalidDateError when `start` or `end` is present but not a valid Date, or is
   *   outside `SUPPORTED_DATES` (years 1000–9999; `reason: 'out-of-range'`).
   * @throws InvalidRangeError when `end` is before `start`.
   * @throws InvalidTenantError when `tenant` is present but not a valid tenant.
   * @throws InvalidSubsetError for an `among` that is no subset, holds a bad ref, names more
   *   than `MAX_SUBSET_USERS` users, or is a `{ where }` the users entity cannot run.
   */
  async countActiveUsers(options?: CountActiveUsersOptions): Promise<number> {
    const tenant = toTenant(options?.tenant);
    const among = options?.among;
    // Checked before anything is counted, the subset too.
    checkRange(options);
    const subset = among === undefined ? undefined : await resolveAmong(among, this.repository.manager, subsetUsersEntity(this.options.users));
    const bounds = await this.closedRange(options);
    if (!bounds) return 0;
    const [count] = subset ? await this.index.countRangesAmong([bounds], subset, { tenant }) : await this.index.countRanges([bounds], { tenant });
    return count;
  }

  /**
   * Rebuilds the active-users index from the souvenirs table, for the local days
   * meeting `range` (default: every day with activity), replacing what the store
   * held for them. Needed only after rows were changed behind the module's back
   * (plain SQL); a day the index never saw is built on first use anyway.
   *
   * @example
   * await activity.reindex({ start: new Date('2026-01-01') }, { onProgress: (done, total) => bar.update(done / total) });
   *
   * @returns how many days were rebuilt (0 when the store keeps no index).
   * @throws InvalidDateError, InvalidRangeError for a bad range.
   */
  async reindex(range?: ActivityRange, options: ReindexOptions = {}): Promise<{ days: number }> {
    // An open start is the horizon: the one any process pruned to, read now.
    await this.index.refreshHorizon(true);
    const bounds = await this.closedRange(range);
    if (!bounds) return { days: 0 };
    return { days: await this.index.reindex(bounds[0], bounds[1], options?.onProgress) };
  }

  /**
   * `range` with an open side closed on the stored rows: before the first row's
   * local day or after the last row's there is nobody, so an open side becomes a
   * local midnight and the index answers without edge hours. `null` when empty.
   */
  private async closedRange(range: ActivityRange | undefined): Promise<readonly [Date, Date] | null> {
    const { start, end } = checkRange(range);
    if (start && end) return end > start ? [start, end] : null;
    const { first, last } = await storedTimeBounds(this.repository.manager);
    if (!first || !last) return null;
    const [firstDay, afterLastDay] = this.index.wholeDays(first, new Date(last.getTime() + 1));
    // An open start is the horizon at the earliest: rows before it are pruned, or about to be.
    const horizon = this.index.horizon();
    const closed = [start ?? (horizon && horizon > firstDay ? horizon : firstDay), end ?? afterLastDay] as const;
    return closed[1] > closed[0] ? closed : null;
  }

  /**
   * Imports past activity as given: no rate limit. Entries (an iterable or async
   * iterable, consumed once, as they come) are written in batches of `batchSize`,
   * one multi-row INSERT each, up to `concurrency` batches at once on separate
   * connections (entries are read ahead while earlier batches are written).
   * `onProgress` is called after each batch, in entry order, with the number of
   * entries processed so far.
   *
   * With `checkDuplicate`, an entry is skipped (and counted in `duplicated`) when a row
   * with its user and `when` is already stored or it repeats an earlier entry (of its
   * batch or of a batch being written): one query per 500 entries.
   *
   * Entries are validated as they are read. An invalid one stops the import with an
   * `InvalidBackfillEntryError` (its 1-based number and the reason), thrown once the
   * batches before its batch are written and reported; the entries of its own batch
   * before it are NOT written. Resume from entry `error.processed + 1`. An error thrown
   * by the iterable stops it the same way.
   *
   * A database error in a batch (or an error thrown by `onProgress` after it) stops the
   * import once every batch being written has finished: the batches before it are
   * written (the last `onProgress` count), a failing batch is not (one statement), and
   * the batches started after it — at most `concurrency - 1` — are written unless they
   * failed too, but not reported. Resume from entry (last `onProgress` count + 1) with
   * `checkDuplicate: true` to skip those. Whatever is written is in the active-users index.
   *
   * @example
   * const { added } = await activity.backfill(rows.map((r) => ({ user: r.userId, when: r.at })), { checkDuplicate: true });
   *
   * @throws InvalidOptionError for bad options or non-iterable `entries` (nothing written).
   * @throws InvalidBackfillEntryError for a bad entry, after the earlier batches are written.
   */
  async backfill(
    entries: Iterable<BackfillEntry> | AsyncIterable<BackfillEntry>,
    options: BackfillOptions = {},
  ): Promise<BackfillResult> {
    const { checkDuplicate, batchSize, concurrency, onProgress } = checkBackfillArguments(entries, options);
    const batches = new BackfillBatches(this.repository, this.index, {
      checkDuplicate,
      concurrency: concurrency ?? dialectSqlOf(this.repository.manager.connection).backfillConcurrency,
      onProgress,
    });
    let started = 0; // entries in the batches started
    let batch: SouvenirRow[] = [];
    let entryNumber = 0;
    try {
      try {
        for await (const entry of entries) {
          entryNumber += 1;
          batch.push(checkBackfillEntry(entry, entryNumber, started));
          if (batch.length === batchSize) {
            started += batch.length;
            await batches.write(batch);
            batch = [];
          }
        }
      } catch (error) {
        // A bad entry or a failing iterable: the batches started before it are written and
        // reported first (a failed batch, from `write`, is rethrown as it is).
        return await batches.finishBefore(error);
      }
      if (batch.length > 0) await batches.write(batch);
      await batches.finish();
    } finally {
      await batches.settle();
    }
    return batches.counts;
  }

  /**
   * Erases every trace of `user`: its rows (a page at a time), then, in the store, its
   * rate-limit claims and its place in the active-users index (every day, day log,
   * first activity, pending add, its number). Resolves `{ rows }` (rows deleted) once
   * nothing of the user is left; idempotent (a second call deletes 0 rows and leaves
   * the index as it is). Every count, report and analytics answer afterwards equals
   * SQL over the rows left.
   *
   * Beside traffic: a request of the user after `forget` resolves is recorded anew, as
   * a new user (a fresh number, a first activity on that day). A rate-limited write
   * racing the forget either loses its row to it or keeps it, and the index follows
   * SQL either way: the store forgets the user only once the adds of claims made
   * before the DELETE have landed (see `ActiveUsersIndex.forget`), and rows written
   * meanwhile are deleted in another round (at most {@link FORGET_ROUNDS}); rows still
   * coming after that (writes without rate limit, in a loop) are kept, their days
   * rebuilt from SQL. Metricas hold no user ids (unless the application put one in an
   * axis value): `forget` does not touch them.
   *
   * @example
   * const { rows } = await activity.forget(42);
   *
   * @throws InvalidUserError when `user` has no usable id.
   * @throws StoreUnavailableError, StoreRefusedError when the store fails: the rows may be
   *   deleted already; call `forget` again (it finishes the store's part).
   */
  async forget(user: UserRef, options: ForgetOptions = {}): Promise<{ rows: number }> {
    const userId = toUserId(user);
    // `undefined`: every row of the user, in every tenant and none.
    const tenant = options?.tenant === undefined ? undefined : toTenant(options.tenant);
    const manager = this.repository.manager;
    let rows = 0;
    for (let round = 0; round < FORGET_ROUNDS; round++) {
      const deleted = await deleteUserRows(manager, userId, tenant);
      rows += deleted.whens.length;
      const deletedAtMs = Date.now();
      // Its claims: one per tenant it was active in (the tenants of the rows just deleted).
      const subjects = [...new Set([...deleted.tenants, ...(tenant === undefined ? [null] : [tenant])])].map((t) => rateLimitSubject(userId, t));
      for (const subject of subjects) this.processRateLimit.forget(subject);
      await withTypedFailures(this.store).forgetRateLimits?.(subjects);
      if (tenant !== undefined && (await lastWhenOf(manager, userId)) !== null) {
        // Still active elsewhere: the site-wide index keeps the user, the days it left are rebuilt from SQL.
        await this.index.invalidateRows(deleted.whens);
      } else {
        // Claims granted before this instant may guard rows just deleted: the index waits for their adds.
        await this.index.forget(userId, deleted.whens, deletedAtMs);
      }
      // The indexes of the tenants it left, after the site's (see forgetInTenants).
      await this.index.forgetInTenants(userId, [...deleted.tenants].filter((left) => left !== null), deleted.whens, deletedAtMs);
      if ((await lastWhenOf(manager, userId, tenant)) === null) return { rows };
    }
    // Still written to as it is forgotten: the rows left stay, their days rebuilt from SQL.
    const left: Date[] = [];
    for await (const row of eachUserRow(manager, userId, tenant)) left.push(row.when);
    await this.index.invalidateRows(left);
    return { rows };
  }

  /**
   * Every row of `user`, oldest first (by insertion), read a page of 1000 at a time
   * as the caller iterates: what the package holds about a person.
   *
   * @example
   * for await (const { when, tenant } of activity.exportUser(42)) console.log(when.toISOString(), tenant);
   *
   * @throws InvalidUserError when `user` has no usable id (on the first iteration).
   */
  async *exportUser(user: UserRef): AsyncIterable<ExportedActivity> {
    const userId = toUserId(user);
    for await (const row of eachUserRow(this.repository.manager, userId)) yield { when: row.when, tenant: row.tenant };
  }

  /**
   * When `user` was last active (its latest row), or `null` when it never was (or
   * was forgotten, or pruned away).
   *
   * @throws InvalidUserError when `user` has no usable id.
   */
  async lastSeen(user: UserRef): Promise<Date | null> {
    return lastWhenOf(this.repository.manager, toUserId(user));
  }

  /**
   * Deletes every row before `before`, in batches of 1000 (one SELECT of ids and
   * one DELETE each, so no statement grows with the table), then makes the index
   * forget those days and rebuild first activity from the rows kept. From then on, a
   * count or report reaching before `before` is refused (`BeforeRetentionHorizonError`)
   * in every process sharing the store: `before` is recorded in it first (a mark that
   * only rises), read by the others at boot and at most 5 seconds before their counts.
   *
   * @example
   * const { rows } = await activity.prune({ before: new Date('2024-01-01') });
   *
   * @throws InvalidDateError when `before` is not a valid Date.
   * @throws InvalidOptionError when `onProgress` is given but not a function.
   */
  async prune(options: PruneOptions): Promise<{ rows: number }> {
    const before = checkDate('before', options?.before);
    const onProgress = checkProgress(options.onProgress);
    const manager = this.repository.manager;
    // Before any row goes: every process refuses counts reaching before it from its next read of the mark.
    await this.index.recordPruned(before);
    const total = await countRowsBefore(manager, before);
    // One instant per local day deleted from: the days the index forgets.
    const days = new Map<string, Date>();
    let rows = 0;
    for (;;) {
      const batch = await deleteRowsBeforeBatch(manager, before);
      if (batch.length === 0) break;
      rows += batch.length;
      for (const when of batch) days.set(this.index.dayOf(when).id, when);
      onProgress?.(rows, Math.max(rows, total));
    }
    // Their days are rebuilt from the rows kept (empty before `before`), first activity with them.
    await this.index.invalidateRows([...days.values()]);
    return { rows };
  }

  /** The retention horizon (see `ActiveUsersIndex.horizon`): the first instant whose activity is kept; `null`: all is. */
  retentionHorizon(): Date | null {
    return this.index.horizon();
  }

  /** One multi-row INSERT, without reading generated ids back. */
  private async insert(rows: readonly SouvenirRow[]): Promise<void> {
    await insertSouvenirs(this.repository, rows);
  }

  /** Releases a claim whose write failed; a failing release is logged, the write's error wins. */
  private async release(claim: RateLimitClaim): Promise<void> {
    try {
      await this.store.releaseRateLimit(claim);
    } catch (releaseError) {
      this.logger.warn(
        `Could not release the rate-limit claim of user ${claim.subject} after a failed write; ` +
          `its activity stays rate-limited until ${new Date(claim.whenMs + claim.limitMs).toISOString()}: ${String(releaseError)}`,
      );
    }
  }
}

/** Rounds of `forget` (delete, forget in the store, look again) before rows still coming are left. */
export const FORGET_ROUNDS = 3;

/** A granted rate-limit claim: how to give it back if the write fails. */
interface HeldClaim {
  release(): Promise<void>;
}
