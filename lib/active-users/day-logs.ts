import { randomInt } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { LocalDay, LocalDayCalendar } from '../calendar/local-days.js';
import type { ActiveDayRef } from '../store/active-days.interface.js';
import type { ActiveDayMembers } from '../store/active-day-members.interface.js';
import type { SouvenirsStore } from '../store/souvenirs-store.interface.js';
import { keepsActiveDayLogs } from '../store/store-parts.js';
import type { UserBitset } from '../shared/user-bitset.js';
import { rowsBetween } from '../table/day-rows.query.js';
import { countRunUnions, type DayRun } from './day-run-unions.js';
import { cutRange, usersInPart, type RangeCut } from './range-cuts.js';

const DAY_MS = 86_400_000;
/** A log stays this long after its day ends, or this long after it was built, whichever is later. */
const LOG_KEPT_AFTER_DAY_MS = 2 * DAY_MS;
const LOG_LIFETIME_MS = DAY_MS;
/** Rows per store write of a log build (two script arguments each). */
const ROWS_PER_WRITE = 20_000;
/**
 * Day bitmaps and logs read back per store read: the bitmaps as for a report (about
 * 50 MB at a million users), the logs fewer, as they weigh 8 bytes a row.
 */
const MAX_READ_DAYS = 400;
const MAX_READ_LOGS = 64;
/** Consecutive days whose logs are built from one SQL read. */
const DAYS_PER_BUILD = 16;

type Range = readonly [Date, Date];

/** What the logs take from the index: day ids, and building days from SQL. @internal */
export interface DayLogsHost {
  idOf(day: LocalDay): string;
  buildDays(days: readonly LocalDay[]): Promise<void>;
}

/**
 * Distinct users of ranges whose ends are off local midnight, from the store
 * alone: each range is cut into whole local days (their bitmaps) and parts of the
 * days it only meets, whose users come from those days' logs (every row of the day,
 * with its instant, see `ActiveDayLogsStore`), to the millisecond. No SQL once the
 * days and logs are built; a log is built from SQL (one index range scan of its day)
 * the first time a range cuts its day, and kept current by the day's writes.
 *
 * Ranges are read in groups of at most 400 days and 64 logs, each group in one
 * store read, and counted as runs of days with extra users (`countRunUnions`).
 *
 * @internal
 */
export class DayLogs {
  /** Log builds under way, by day id, shared by every count that needs one. */
  private readonly building = new Map<string, Promise<void>>();
  /** Per user number, the last range that counted it (see `distinctInParts`). */
  private seen: Uint32Array = new Uint32Array(0);
  private stamp = 0;

  constructor(
    private readonly manager: EntityManager,
    private readonly store: SouvenirsStore,
    private readonly calendar: LocalDayCalendar,
    private readonly host: DayLogsHost,
  ) {}

  /** Whether the store keeps day logs. */
  get enabled(): boolean {
    return keepsActiveDayLogs(this.store);
  }

  /**
   * The distinct users of each range, or `null` for one the logs cannot answer
   * (too long, or a day or log that would not stay complete): the caller asks
   * elsewhere. Throws what the store throws.
   */
  async count(ranges: readonly Range[]): Promise<(number | null)[]> {
    const answers = new Array<number | null>(ranges.length).fill(null);
    const cuts = ranges.map(([start, end]) => cutRange(this.calendar, start, end, MAX_READ_DAYS));
    let group: number[] = [];
    const days = new Map<number, LocalDay>();
    const logs = new Map<number, LocalDay>();
    const flush = async () => {
      if (group.length > 0) await this.countGroup(group, cuts as RangeCut[], sorted(days), sorted(logs), answers);
      group = [];
      days.clear();
      logs.clear();
    };
    for (const [i, cut] of cuts.entries()) {
      if (cut === null) continue;
      const newDays = cut.days.filter((day) => !days.has(day.start.getTime())).length;
      const newLogs = new Set(cut.parts.map((part) => part.day.start.getTime()).filter((start) => !logs.has(start))).size;
      if (group.length > 0 && (days.size + newDays > MAX_READ_DAYS || logs.size + newLogs > MAX_READ_LOGS)) await flush();
      group.push(i);
      for (const day of cut.days) days.set(day.start.getTime(), day);
      for (const { day } of cut.parts) logs.set(day.start.getTime(), day);
    }
    await flush();
    return answers;
  }

  /** Counts the ranges `group` from one read of their days and logs. */
  private async countGroup(group: readonly number[], cuts: readonly RangeCut[], days: LocalDay[], logDays: LocalDay[], answers: (number | null)[]): Promise<void> {
    const members = await this.read(days, logDays);
    if (members === null) return;
    const position = new Map(days.map((day, at) => [day.start.getTime(), at]));
    const logOf = new Map(logDays.map((day, at) => [day.start.getTime(), members.logs![at]!.rows]));
    // Ranges within parts of days only (a subscription's daily periods): distinct numbers, counted here.
    const withDays = group.filter((i) => cuts[i].days.length > 0);
    for (const i of group) if (cuts[i].days.length === 0) answers[i] = this.distinctInParts(cuts[i], logOf);
    const runs = withDays.map((i): DayRun => {
      const { days: whole, parts } = cuts[i];
      const from = position.get(whole[0].start.getTime())!;
      const extra = parts.flatMap((part) => usersInPart(logOf.get(part.day.start.getTime())!, part.from, part.to));
      return { from, to: from + whole.length, extra };
    });
    countRunUnions(members.days as UserBitset[], runs).forEach((count, at) => (answers[withDays[at]] = count));
  }

  /** Distinct users of a range's parts: each number stamped once per range (no set built). */
  private distinctInParts({ parts }: RangeCut, logOf: ReadonlyMap<number, Uint32Array>): number {
    if (this.stamp === 0xffffffff) {
      // The stamps wrapped: start afresh rather than mistake an old stamp for this range's.
      this.seen.fill(0);
      this.stamp = 0;
    }
    const stamp = ++this.stamp;
    let count = 0;
    for (const part of parts) {
      const rows = logOf.get(part.day.start.getTime())!;
      for (let r = 0; r < rows.length; r += 2) {
        const offset = rows[r + 1];
        if (offset < part.from || offset >= part.to) continue;
        const user = rows[r];
        if (user >= this.seen.length) this.seen = grown(this.seen, user + 1);
        if (this.seen[user] !== stamp) {
          this.seen[user] = stamp;
          count += 1;
        }
      }
    }
    return count;
  }

  /**
   * The days' bitmaps and the logs, in one read; what is not complete is built
   * from SQL, then all are read again once. `null` when the store keeps no logs
   * after all, or something would not stay complete.
   */
  private async read(days: readonly LocalDay[], logDays: readonly LocalDay[]): Promise<ActiveDayMembers | null> {
    if (!keepsActiveDayLogs(this.store)) return null;
    const ids = days.map((day) => this.host.idOf(day));
    const logIds = logDays.map((day) => this.host.idOf(day));
    for (let attempt = 0; attempt < 2; attempt++) {
      const members = await this.store.readActiveDays(ids, [], undefined, logIds);
      if (!members.logs) return null;
      const incomplete = days.filter((_, i) => members.days[i] === null);
      const unbuilt = logDays.filter((_, i) => members.logs![i] === null);
      if (incomplete.length === 0 && unbuilt.length === 0) return members;
      if (attempt === 0) await Promise.all([incomplete.length > 0 && this.host.buildDays(incomplete), this.build(unbuilt)]);
    }
    return null;
  }

  /**
   * Builds the logs of `days` (sorted) from SQL, each day once at a time in this
   * process: runs of consecutive days not being built share one SQL read.
   */
  private async build(days: readonly LocalDay[]): Promise<void> {
    const waits: Promise<void>[] = [];
    let run: LocalDay[] = [];
    const startRun = () => {
      if (run.length === 0) return;
      const building = this.buildFromSql(run);
      for (const day of run) {
        const id = this.host.idOf(day);
        const mine = building.finally(() => this.building.get(id) === mine && this.building.delete(id));
        this.building.set(id, mine);
      }
      waits.push(building);
      run = [];
    };
    for (const day of days) {
      const held = this.building.get(this.host.idOf(day));
      if (held) {
        waits.push(held);
        continue;
      }
      const last = run[run.length - 1];
      if (last && (last.end.getTime() !== day.start.getTime() || run.length === DAYS_PER_BUILD)) startRun();
      run.push(day);
    }
    startRun();
    await Promise.all(waits);
  }

  /**
   * Begins a fresh log for each of `days` (consecutive; from then on each day's
   * writes append to it), reads their rows in one statement, writes each day's and
   * marks its log complete: a row committed before the read is in it, one applied
   * after the beginning is appended (a row in both counts once, as a set does).
   */
  private async buildFromSql(days: readonly LocalDay[]): Promise<void> {
    const builds = days.map((day) => ({
      ref: {
        id: this.host.idOf(day),
        // Store expiry runs on wall time, not on the module's (possibly simulated) clock.
        expireAtMs: Math.max(day.end.getTime() + LOG_KEPT_AFTER_DAY_MS, Date.now() + LOG_LIFETIME_MS),
        startMs: day.start.getTime(),
      } satisfies ActiveDayRef,
      build: randomInt(2, 0xffffffff),
      users: [] as string[],
      whens: [] as number[],
    }));
    await Promise.all(builds.map(({ ref, build }) => this.store.addActiveDayLog!({ day: ref, build, users: [], whens: [], begin: true })));
    const rows = await rowsBetween(this.manager, days[0].start, days[days.length - 1].end);
    // Rows come in no particular order: each goes to the day holding it.
    const starts = days.map((day) => day.start.getTime());
    rows.whens.forEach((when, i) => {
      let at = starts.length - 1;
      while (when < starts[at]) at -= 1;
      builds[at].users.push(rows.users[i]);
      builds[at].whens.push(when);
    });
    await Promise.all(
      builds.map(async ({ ref, build, users, whens }) => {
        for (let from = 0; from === 0 || from < users.length; from += ROWS_PER_WRITE) {
          const to = from + ROWS_PER_WRITE;
          await this.store.addActiveDayLog!({ day: ref, build, users: users.slice(from, to), whens: whens.slice(from, to), complete: to >= users.length });
        }
      }),
    );
  }
}

function grown(seen: Uint32Array, length: number): Uint32Array {
  // Grows by doubling: ranges of one report meet the same users again.
  const bigger = new Uint32Array(Math.max(length, seen.length * 2));
  bigger.set(seen);
  return bigger;
}

function sorted(days: ReadonlyMap<number, LocalDay>): LocalDay[] {
  return [...days.values()].sort((a, b) => a.start.getTime() - b.start.getTime());
}
