import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { SOUVENIRS_ACTIVITY_OPTIONS } from './activity.internal-constants.js';
import type { ResolvedActivityOptions } from './activity-options.js';
import { SouvenirsStore, type RateLimitClaim } from '../storage/souvenirs-store.interface.js';
import {
  checkBackfillArguments,
  checkBackfillEntry,
  checkDate,
  checkFlag,
  checkRange,
  rateLimitMs,
  type SouvenirRow,
} from './activity-arguments.js';
import { ProcessRateLimit } from './process-rate-limit.js';
import { Souvenir } from './souvenir.entity.js';
import { toUserId, type UserRef } from './user-ref.js';

/** What one `souvenez` call did. @publicApi */
export type SouvenezResult = 'added' | 'rate-limited' | 'duplicated';

/** Options of {@link ActivityService.souvenez}. @publicApi */
export interface SouvenezOptions {
  /** When the user was seen (default: the module's clock, `now()`). */
  when?: Date;
  /** `true` (default): the module's `rateLimitSeconds`; a number: seconds; `false` or `0`: always write. */
  ratelimit?: boolean | number;
  /** Skip the write when a row with this user and this exact `when` exists (default `false`). */
  checkDuplicate?: boolean;
}

/** A range of activity: `start` inclusive, `end` exclusive, either open when absent. @publicApi */
export interface ActivityRange {
  start?: Date;
  end?: Date;
}

/** One past sighting to import with {@link ActivityService.backfill}. @publicApi */
export interface BackfillEntry {
  user: UserRef;
  when: Date;
}

/** Options of {@link ActivityService.backfill}. @publicApi */
export interface BackfillOptions {
  /** Skip entries whose user and `when` are already stored, or repeat earlier in their batch (default `false`). */
  checkDuplicate?: boolean;
  /** Entries per INSERT (default 1000, at most 10 000). */
  batchSize?: number;
  /** Called after each batch with the number of entries processed so far. */
  onProgress?: (done: number) => void;
}

/** What a backfill wrote. @publicApi */
export interface BackfillResult {
  added: number;
  duplicated: number;
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
    @Inject(SOUVENIRS_ACTIVITY_OPTIONS) private readonly options: ResolvedActivityOptions,
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
   * @throws InvalidUserError when `user` has no usable id (UserIdTooLongError past 191 characters).
   * @throws InvalidDateError when `when` (or the clock's `now()`) is not a valid Date.
   * @throws DateOutOfRangeError when it is outside `SUPPORTED_DATES` (years 1000–9999).
   * @throws InvalidRateLimitError when `ratelimit` is not a boolean or a finite number ≥ 0.
   * @throws InvalidOptionError when `checkDuplicate` is not a boolean.
   */
  async souvenez(user: UserRef, options: SouvenezOptions = {}): Promise<SouvenezResult> {
    const userId = toUserId(user);
    const { when: whenOption, ratelimit, checkDuplicate: checkDuplicateOption } = options ?? {};
    const when = whenOption === undefined ? checkDate('now()', this.options.now()) : checkDate('when', whenOption);
    const limitMs = rateLimitMs(ratelimit, this.options.rateLimitSeconds);
    const checkDuplicate = checkFlag('checkDuplicate', checkDuplicateOption);

    let release: (() => Promise<void>) | undefined;
    if (limitMs > 0) {
      const claimed = await this.claim(userId, when.getTime(), limitMs);
      if (claimed === null) return 'rate-limited';
      release = claimed;
    }
    try {
      // As in django-souvenirs, a duplicate keeps the claim: that activity is recorded.
      if (checkDuplicate && (await this.findStored([{ userId, when }])).size > 0) return 'duplicated';
      await this.insert([{ userId, when }]);
      return 'added';
    } catch (error) {
      await release?.();
      throw error;
    }
  }

  /**
   * Claims the user's rate-limit window: in the store (shared by every process), or,
   * when the store fails, in this process only. Returns `null` when refused, else
   * how to give the claim back if the write fails.
   */
  private async claim(userId: string, whenMs: number, limitMs: number): Promise<(() => Promise<void>) | null> {
    // A row this process wrote during an outage still holds its window when the store is back.
    if (this.processRateLimit.size > 0 && this.processRateLimit.refuses(userId, whenMs)) return null;
    let storeClaim: RateLimitClaim | null;
    try {
      storeClaim = await this.store.claimRateLimit(userId, whenMs, limitMs);
    } catch (error) {
      this.noteStoreDown(error);
      const processClaim = this.processRateLimit.claim(userId, whenMs, limitMs);
      return processClaim && (async () => this.processRateLimit.release(processClaim, limitMs));
    }
    this.noteStoreUp();
    return storeClaim && (() => this.release(storeClaim));
  }

  /** Logs the start of a store outage once, not per call. */
  private noteStoreDown(error: unknown): void {
    if (this.storeDown) return;
    this.storeDown = true;
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.logger.warn(
      `The store cannot take rate-limit claims (${reason}); activity is written with a per-process rate limit ` +
        `(at most one row per user per window in each process) until it is back.`,
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
   *
   * @example
   * await activity.countActiveUsers({ start: monthStart, end: nextMonthStart });
   *
   * @throws InvalidDateError when `start` or `end` is present but not a valid Date.
   * @throws DateOutOfRangeError when one is outside `SUPPORTED_DATES` (years 1000–9999).
   * @throws InvalidRangeError when `end` is before `start`.
   */
  async countActiveUsers(range?: ActivityRange): Promise<number> {
    const { start, end } = checkRange(range);
    const query = this.repository.createQueryBuilder('souvenir').select('COUNT(DISTINCT souvenir.userId)', 'count');
    // `when` holds epoch milliseconds (see Souvenir): bound as numbers, never converted by a driver.
    if (start) query.andWhere('souvenir.when >= :start', { start: start.getTime() });
    if (end) query.andWhere('souvenir.when < :end', { end: end.getTime() });
    const row = await query.getRawOne<{ count: number | string }>();
    // PostgreSQL returns COUNT as a bigint string.
    return Number(row?.count ?? 0);
  }

  /**
   * Imports past activity as given: no rate limit. Entries (an iterable or async
   * iterable, consumed once, as they come) are written in batches of `batchSize`,
   * one multi-row INSERT each; `onProgress` is called after each batch with the
   * number of entries processed so far.
   *
   * With `checkDuplicate`, an entry is skipped (and counted in `duplicated`) when a row
   * with its user and `when` is already stored or it repeats an earlier entry of its
   * batch: one query per batch.
   *
   * Entries are validated as they are read. An invalid one stops the import with an
   * `InvalidBackfillEntryError` (its 1-based number and the reason): the batches before
   * its batch stay written, the entries of its own batch before it are NOT written.
   * Resume from entry `error.processed + 1`. A database error (or one thrown by the
   * iterable or `onProgress`) stops the import the same way: earlier batches stay written.
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
    const { checkDuplicate, batchSize, onProgress } = checkBackfillArguments(entries, options);
    const result: BackfillResult = { added: 0, duplicated: 0 };
    let processed = 0;
    let batch: SouvenirRow[] = [];
    const flush = async () => {
      const { added, duplicated } = await this.writeBatch(batch, checkDuplicate);
      result.added += added;
      result.duplicated += duplicated;
      processed += batch.length;
      batch = [];
      onProgress?.(processed);
    };
    let entryNumber = 0;
    for await (const entry of entries) {
      entryNumber += 1;
      batch.push(checkBackfillEntry(entry, entryNumber, processed));
      if (batch.length === batchSize) await flush();
    }
    if (batch.length > 0) await flush();
    return result;
  }

  /** Writes one backfill batch, skipping duplicates when asked. */
  private async writeBatch(batch: SouvenirRow[], checkDuplicate: boolean): Promise<BackfillResult> {
    if (!checkDuplicate) {
      await this.insert(batch);
      return { added: batch.length, duplicated: 0 };
    }
    const seen = await this.findStored(batch);
    const fresh: SouvenirRow[] = [];
    for (const row of batch) {
      const key = rowKey(row.userId, row.when);
      if (seen.has(key)) continue;
      seen.add(key);
      fresh.push(row);
    }
    if (fresh.length > 0) await this.insert(fresh);
    return { added: fresh.length, duplicated: batch.length - fresh.length };
  }

  /** The keys (see {@link rowKey}) of those `rows` already stored, in one query. */
  private async findStored(rows: readonly SouvenirRow[]): Promise<Set<string>> {
    const unique = new Map(rows.map((row) => [rowKey(row.userId, row.when), row]));
    const parameters: Record<string, unknown> = {};
    const conditions = [...unique.values()].map((row, i) => {
      parameters[`user${i}`] = row.userId;
      parameters[`when${i}`] = row.when.getTime(); // epoch milliseconds, as stored
      return `(souvenir.userId = :user${i} AND souvenir.when = :when${i})`;
    });
    // OR-ed (user, when) pairs: each is an equality lookup of IDX_souvenirs_user_when on every database.
    const stored = await this.repository
      .createQueryBuilder('souvenir')
      .where(conditions.join(' OR '), parameters)
      .getMany();
    return new Set(stored.map((souvenir) => rowKey(souvenir.userId, souvenir.when)));
  }

  /** One multi-row INSERT, without reading generated ids back. */
  private async insert(rows: readonly SouvenirRow[]): Promise<void> {
    await this.repository
      .createQueryBuilder()
      .insert()
      .into(this.repository.target)
      .values(rows.map(({ userId, when }) => ({ userId, when })))
      .updateEntity(false)
      .execute();
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

/** Identity of a souvenir for duplicate checks: user and exact millisecond. */
function rowKey(userId: string, when: Date): string {
  return `${when.getTime()} ${userId}`;
}
