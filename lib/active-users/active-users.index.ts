import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Souvenir } from '../table/souvenir.entity.js';
import { RateLimitedWarning } from '../shared/rate-limited-warning.js';
import { countActiveUsersPerPeriod } from '../table/active-users.query.js';
import { SouvenirsCalendar } from '../calendar/souvenirs-calendar.js';
import type { ActiveDayRef, ActiveUsersOfDay } from '../store/active-days.interface.js';
import type { ActiveDayMembers } from '../store/active-day-members.interface.js';
import type { FirstActivityWindow } from '../store/first-activity.interface.js';
import type { UserBitset } from '../shared/user-bitset.js';
import { countRunUnions, type DayRun } from './day-run-unions.js';
import { SouvenirsStore } from '../store/souvenirs-store.interface.js';
import { keepsActiveDays, readsActiveDayMembers } from '../store/store-parts.js';
import { distinctUsersPerPeriod, storedTimeBounds } from '../table/distinct-users.query.js';
import { periodsWithRows } from '../table/day-rows.query.js';
import { FirstActivity } from './first-activity.js';
import type { LocalDay, LocalDayCalendar, SplitRange } from '../calendar/local-days.js';
import { DayLogs } from './day-logs.js';

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
 * A list of ranges is counted from days read back (see `countByReading`) when it
 * has at most this many distinct days (about 50 MB of bitsets at a million users),
 * and asks each of them this many times on average.
 */
const MAX_READ_DAYS = 400;
const READ_SHARING = 2;

type Range = readonly [Date, Date];

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
 *
 * @internal
 */
@Injectable()
export class ActiveUsersIndex {
  private readonly logger = new Logger(ActiveUsersIndex.name);
  private readonly warning = new RateLimitedWarning(this.logger, 60_000);
  /** Days holding rows the index may lack, not yet invalidated in the store. */
  private readonly unsure = new Set<string>();
  /** The module's local days (shared with the analytics). */
  private readonly calendar: LocalDayCalendar;
  /** Store ids of days, by day start (the same day objects recur in every window). */
  private readonly ids = new WeakMap<LocalDay, string>();
  /** Each user's first active day, kept by the store next to the days (see first-activity.ts). */
  private readonly firstActivity: FirstActivity;
  /**
   * Told, as a first use builds days from SQL, how many of them are built so far
   * and of how many (the CLI draws it as the `reindex` bar).
   */
  onBuildProgress: ((done: number, total: number) => void) | undefined;
  /** Day logs: the ends of ranges off midnight, from the store (see day-logs.ts). */
  private readonly logs: DayLogs;

  constructor(
    @InjectRepository(Souvenir) private readonly repository: Repository<Souvenir>,
    @Inject(SouvenirsStore) private readonly store: SouvenirsStore,
    souvenirsCalendar: SouvenirsCalendar,
  ) {
    this.calendar = souvenirsCalendar.days;
    this.firstActivity = new FirstActivity(repository.manager, store, this.calendar);
    this.logs = new DayLogs(repository.manager, store, this.calendar, {
      idOf: (day) => this.idOf(day),
      buildDays: (days) => this.buildDays(days),
    });
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

  /** Whether the store keeps the index at all. */
  get enabled(): boolean {
    return keepsActiveDays(this.store);
  }

  /** The index's day holding `when`, to pass to a rate-limit claim. */
  dayOf(when: Date): ActiveDayRef {
    return this.ref(this.calendar.dayOf(when));
  }

  /**
   * Adds written rows to their days (the write path: backfill batches, unclaimed
   * writes). Never throws: when the store fails, the days are remembered as unsure.
   */
  async recordWritten(rows: readonly { userId: string; when: Date }[]): Promise<void> {
    if (!this.enabled || rows.length === 0) return;
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
   * Before a backfill first writes into the local days of `whens`: a day holding
   * no row in SQL yet is marked complete in the store, as it is (empty, or with the
   * users of claims whose rows are being written), so the backfill's rows, added
   * as each batch commits (`recordWritten`), leave it complete, and the first count
   * after the load builds nothing. Likewise first activity, when the table is empty.
   * `seen` (one per backfill) holds the days already handled, each by the promise
   * of its check, which every batch writing the day awaits before its insert.
   * Never throws: a day not marked is built on first use, as before.
   */
  async prepareBackfill(whens: readonly Date[], seen: Map<number, Promise<void>>): Promise<void> {
    if (!this.enabled || whens.length === 0) return;
    const first = seen.size === 0;
    const fresh = new Map<number, LocalDay>();
    const waits = new Set<Promise<void>>();
    for (const when of whens) {
      const day = this.calendar.dayOf(when);
      const key = day.start.getTime();
      const held = seen.get(key);
      if (held) waits.add(held);
      else fresh.set(key, day);
    }
    if (fresh.size > 0) {
      const check = this.markEmptyDaysComplete([...fresh.values()], first);
      for (const key of fresh.keys()) seen.set(key, check);
      waits.add(check);
    }
    await Promise.all(waits);
  }

  private async markEmptyDaysComplete(days: readonly LocalDay[], firstOfBackfill: boolean): Promise<void> {
    try {
      if (firstOfBackfill && this.firstActivity.enabled && (await storedTimeBounds(this.repository.manager)).first === null) {
        await this.firstActivity.markEmpty();
      }
      const held = await periodsWithRows(this.repository.manager, days.map((day) => [day.start, day.end] as const));
      const empty = days.filter((_, i) => !held[i]);
      if (empty.length > 0) await this.store.addActiveUsers!(empty.map((day) => ({ day: this.ref(day), users: [], complete: true })));
    } catch (error) {
      this.warning.warn(`A backfill left its days to be built on first use: ${String(error)}`);
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
   * or from SQL when the index cannot answer.
   */
  async countRanges(ranges: readonly Range[]): Promise<number[]> {
    if (ranges.length === 0) return [];
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
   * Rebuilds the days meeting `[start, end)` from SQL, replacing what the store
   * held; `onProgress(done, total)` after each group of days.
   */
  async reindex(start: Date, end: Date, onProgress?: (done: number, total: number) => void): Promise<number> {
    const days = this.calendar.meeting(start, end);
    if (!this.enabled) return 0;
    await this.invalidateUnsure();
    for (let from = 0; from < days.length; from += BUILD_DAYS_PER_QUERY) {
      await this.build(days.slice(from, from + BUILD_DAYS_PER_QUERY), true);
      onProgress?.(Math.min(from + BUILD_DAYS_PER_QUERY, days.length), days.length);
    }
    // First activity spans all time, whatever the range: rows added or deleted by plain SQL show there too.
    if (this.firstActivity.enabled) await this.firstActivity.build(true);
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
    if (!keepsActiveDays(store) || !readsActiveDayMembers(store)) return null;
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

  /** Builds `days` from SQL into the store (users added, each day marked complete). */
  private async buildDays(days: readonly LocalDay[]): Promise<void> {
    // Side by side, not one after the other: a report builds a whole window at once.
    const groups: Promise<void>[] = [];
    let done = 0;
    for (let from = 0; from < days.length; from += BUILD_DAYS_PER_QUERY) {
      const group = days.slice(from, from + BUILD_DAYS_PER_QUERY);
      groups.push(this.build(group, false).then(() => this.onBuildProgress?.((done += group.length), days.length)));
    }
    await Promise.all(groups);
  }

  /**
   * The first-activity window of local days `first` to `last`, to pass to
   * `readActiveDays`; `undefined` when the store keeps no first activity.
   */
  firstActivityWindow(first: LocalDay, last: LocalDay): FirstActivityWindow | undefined {
    return this.enabled && this.firstActivity.enabled ? this.firstActivity.windowOf(first, last) : undefined;
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
    const edgeUsers = await distinctUsersPerPeriod(this.repository.manager, edges.map(({ edge }) => edge));
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
      await this.build(list.slice(from, from + BUILD_DAYS_PER_QUERY), false);
      this.onBuildProgress?.(Math.min(from + BUILD_DAYS_PER_QUERY, list.length), list.length);
    }
  }

  /**
   * Builds days from SQL. Users are added to what the store holds (so a write
   * that raced the read is kept) unless `replace`; the last write of a day marks it complete.
   */
  private async build(days: readonly LocalDay[], replace: boolean): Promise<void> {
    const users = await distinctUsersPerPeriod(this.repository.manager, days.map((day) => [day.start, day.end] as const));
    const writes: ActiveUsersOfDay[] = [];
    days.forEach((day, i) => {
      const ref = this.ref(day);
      const all = users[i];
      for (let from = 0; from === 0 || from < all.length; from += USERS_PER_WRITE) {
        writes.push({
          day: ref,
          users: all.slice(from, from + USERS_PER_WRITE),
          clear: replace && from === 0,
          complete: from + USERS_PER_WRITE >= all.length,
        });
      }
    });
    await this.store.addActiveUsers!(writes);
  }

  private async invalidateUnsure(): Promise<void> {
    if (this.unsure.size === 0) return;
    const days = [...this.unsure];
    await this.store.invalidateActiveDays!(days);
    // A missed row may be its user's first activity (or, a claim without its row, a false one).
    await this.firstActivity.invalidate();
    for (const day of days) this.unsure.delete(day);
  }

  private countInSql(ranges: readonly Range[]): Promise<number[]> {
    return ranges.length === 0 ? Promise.resolve([]) : countActiveUsersPerPeriod(this.repository.manager, ranges);
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
      ...(this.firstActivity.enabled && { firstActivity: this.firstActivity.dayOf(day) }),
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
