import { randomInt } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { LocalDay, LocalDayCalendar } from '../calendar/local-days.js';
import type { ActiveDayRef } from '../store/active-days.interface.js';
import type { ActiveDayLog } from '../store/active-day-logs.interface.js';
import type { ActiveDayMembers } from '../store/active-day-members.interface.js';
import type { SouvenirsStore } from '../store/souvenirs-store.interface.js';
import { keepsActiveDayLogs, readsActiveDayUnions } from '../store/store-parts.js';
import type { UserBitset } from '../shared/user-bitset.js';
import { rowsPerPeriod } from '../table/day-rows.query.js';
import { countRunUnions, type DayRun } from './day-run-unions.js';
import { cutRange, usersInPart, type RangeCut } from './range-cuts.js';

const DAY_MS = 86_400_000;
/** A log stays this long after its day ends, or this long after it was built, whichever is later. */
const LOG_KEPT_AFTER_DAY_MS = 2 * DAY_MS;
const LOG_LIFETIME_MS = DAY_MS;
/** A log dropped by a reindex stays, empty and incomplete, this long (a build begun after replaces it anyway). */
const FORGOTTEN_LOG_LIFETIME_MS = 60_000;
/** Rows per store write of a log build (two script arguments each). */
const ROWS_PER_WRITE = 20_000;
/**
 * Day bitmaps and logs read back per store read: the bitmaps as for a report (about
 * 50 MB at a million users), the logs fewer, as they weigh 8 bytes a row.
 */
const MAX_READ_DAYS = 400;
const MAX_READ_LOGS = 64;

type Range = readonly [Date, Date];

/** What the logs take from the index: day ids, and building days from SQL. @internal */
export interface DayLogsHost {
  idOf(day: LocalDay): string;
  buildDays(days: readonly LocalDay[]): Promise<void>;
  /** The tenant whose rows the logs hold (`null`: every row, the site's). */
  tenant(): string | null;
}

/**
 * Distinct users of ranges whose ends are off local midnight, from the store
 * alone: each range is cut into whole local days (their bitmaps) and parts of the
 * days it only meets, whose users come from those days' logs (every row of the day,
 * with its instant, see `ActiveDayLogsStore`), to the millisecond. No SQL once the
 * days and logs are built; a log is built from SQL the first time a range cuts its
 * day (an index range scan of the day; every log a count lacks in one statement), and
 * kept current by the day's writes.
 *
 * Ranges are read in groups of at most 400 days and 64 logs, each group in one
 * store read: each range's whole days united in the store (`readActiveDayUnions`),
 * its parts' users added here from the logs; or, when the ranges share their days
 * (more ranges than days), every day read back once and the ranges counted here as
 * runs of days with extra users (`countRunUnions`).
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
   * elsewhere. Groups are read one at a time; what is missing in any of them is
   * built at once (the logs in one SQL statement, however many), then the groups
   * that lacked something are read again once. Throws what the store throws.
   */
  async count(ranges: readonly Range[]): Promise<(number | null)[]> {
    const answers = new Array<number | null>(ranges.length).fill(null);
    const cuts = ranges.map(([start, end]) => cutRange(this.calendar, start, end, MAX_READ_DAYS));
    const lacking: Group[] = [];
    const unbuiltDays = new Map<number, LocalDay>();
    const unbuiltLogs = new Map<number, LocalDay>();
    for (const group of groupsOf(cuts)) {
      const read = await this.read(group, cuts as RangeCut[]);
      if (read === null) return answers; // the store keeps no logs after all
      if (read.counts) read.counts.forEach((count, at) => (answers[group.ranges[at]] = count));
      else lacking.push(group);
      for (const day of read.incompleteDays) unbuiltDays.set(day.start.getTime(), day);
      for (const day of read.unbuiltLogs) unbuiltLogs.set(day.start.getTime(), day);
    }
    if (lacking.length === 0) return answers;
    await Promise.all([unbuiltDays.size > 0 && this.host.buildDays(sorted(unbuiltDays)), this.build(sorted(unbuiltLogs))]);
    for (const group of lacking) (await this.read(group, cuts as RangeCut[]))?.counts?.forEach((count, at) => (answers[group.ranges[at]] = count));
    return answers;
  }

  /**
   * One store read of `group`: the counts of its ranges when every day and log
   * they need is complete, else which are not; `null` when the store keeps no logs
   * after all. Each range's whole days are united in the store when that ships
   * fewer bitmaps than the days themselves (a rolling window: one bitmap, not 29);
   * ranges sharing their days more than that (a report's many long periods) read
   * each day once and are united here.
   */
  private async read(group: Group, cuts: readonly RangeCut[]): Promise<GroupRead | null> {
    if (!keepsActiveDayLogs(this.store)) return null;
    const withDays = group.ranges.filter((i) => cuts[i].days.length > 0);
    const logIds = group.logDays.map((day) => this.host.idOf(day));
    if (readsActiveDayUnions(this.store) && withDays.length <= group.days.length) {
      const read = await this.store.readActiveDayUnions(withDays.map((i) => cuts[i].days.map((day) => this.host.idOf(day))), logIds);
      const incomplete = new Set(read.incompleteDays);
      const lacking = this.lacking(group, (_, i) => incomplete.has(this.host.idOf(group.days[i])), read.logs);
      if (lacking || read.unions.some((union) => union === null)) return lacking ?? { incompleteDays: [], unbuiltLogs: [], counts: null };
      const logOf = logsByDay(group, read.logs);
      const unionOf = new Map(withDays.map((i, at) => [i, read.unions[at]!]));
      const counts = group.ranges.map((i) => {
        const union = unionOf.get(i);
        return union ? union.count() + this.distinctInParts(cuts[i], logOf, union) : this.distinctInParts(cuts[i], logOf);
      });
      return { incompleteDays: [], unbuiltLogs: [], counts };
    }
    const members = await this.store.readActiveDays(group.days.map((day) => this.host.idOf(day)), [], undefined, logIds);
    if (!members.logs) return null;
    const lacking = this.lacking(group, (_, i) => members.days[i] === null, members.logs);
    return lacking ?? { incompleteDays: [], unbuiltLogs: [], counts: this.countFromDays(group, withDays, cuts, members) };
  }

  /** What a read of `group` lacks (the days `incomplete` says, the logs not complete), or `undefined` when nothing. */
  private lacking(group: Group, incomplete: (day: LocalDay, i: number) => boolean, logs: readonly (ActiveDayLog | null)[]): GroupRead | undefined {
    const incompleteDays = group.days.filter(incomplete);
    const unbuiltLogs = group.logDays.filter((_, i) => logs[i] === null);
    return incompleteDays.length > 0 || unbuiltLogs.length > 0 ? { incompleteDays, unbuiltLogs, counts: null } : undefined;
  }

  /** Counts the ranges of `group` from one read of its days and logs, all complete, uniting the days here (`countRunUnions`). */
  private countFromDays({ ranges: group, days, logDays }: Group, withDays: readonly number[], cuts: readonly RangeCut[], members: ActiveDayMembers): number[] {
    const position = new Map(days.map((day, at) => [day.start.getTime(), at]));
    const logOf = logsByDay({ logDays }, members.logs!);
    const counts = new Map<number, number>();
    // Ranges within parts of days only (a subscription's daily periods): distinct numbers, counted here.
    for (const i of group) if (cuts[i].days.length === 0) counts.set(i, this.distinctInParts(cuts[i], logOf));
    const runs = withDays.map((i): DayRun => {
      const { days: whole, parts } = cuts[i];
      const from = position.get(whole[0].start.getTime())!;
      const extra = parts.flatMap((part) => usersInPart(logOf.get(part.day.start.getTime())!, part.from, part.to));
      return { from, to: from + whole.length, extra };
    });
    countRunUnions(members.days as UserBitset[], runs).forEach((count, at) => counts.set(withDays[at], count));
    return group.map((i) => counts.get(i)!);
  }

  /**
   * Distinct users of a range's parts, those of `within` left out (they are counted
   * already): each number stamped once per range (no set built). The hot loop of a
   * range off midnight (every row of the day of each part), so `within`'s words are
   * read here rather than through `has`.
   */
  private distinctInParts({ parts }: RangeCut, logOf: ReadonlyMap<number, Uint32Array>, within?: UserBitset): number {
    if (this.stamp === 0xffffffff) {
      // The stamps wrapped: start afresh rather than mistake an old stamp for this range's.
      this.seen.fill(0);
      this.stamp = 0;
    }
    const stamp = ++this.stamp;
    const words = within?.wordArray ?? new Uint32Array(0);
    let count = 0;
    for (const part of parts) {
      const rows = logOf.get(part.day.start.getTime())!;
      const { from, to } = part;
      let seen = this.seen;
      for (let r = 0; r < rows.length; r += 2) {
        const offset = rows[r + 1];
        if (offset < from || offset >= to) continue;
        const user = rows[r];
        if (user >= seen.length) seen = this.seen = grown(seen, user + 1);
        if (seen[user] === stamp) continue;
        seen[user] = stamp;
        const at = user >>> 5;
        if (at >= words.length || (words[at] & (0x80000000 >>> (user & 31))) === 0) count += 1;
      }
    }
    return count;
  }

  /** Builds the logs of `days` from SQL, in one statement, each day once at a time in this process. */
  private async build(days: readonly LocalDay[]): Promise<void> {
    const waits: Promise<void>[] = [];
    const fresh: LocalDay[] = [];
    for (const day of days) {
      const held = this.building.get(this.host.idOf(day));
      if (held) waits.push(held);
      else fresh.push(day);
    }
    if (fresh.length > 0) {
      const building = this.buildFromSql(fresh);
      for (const day of fresh) {
        const id = this.host.idOf(day);
        const mine: Promise<void> = building.finally(() => this.building.get(id) === mine && this.building.delete(id));
        // Its failure reaches this caller through `building`, and a later one through `waits`: never unhandled.
        mine.catch(() => undefined);
        this.building.set(id, mine);
      }
      waits.push(building);
    }
    await Promise.all(waits);
  }

  /**
   * Replaces the logs of `days` with empty ones owned by a token no build holds: a
   * build under way writes nothing more, and the logs are incomplete (rebuilt from
   * SQL on next use) until they expire. For a reindex: rows may have changed in SQL
   * behind the module's back. Throws what the store throws.
   */
  async forget(days: readonly LocalDay[]): Promise<void> {
    if (!this.enabled || days.length === 0) return;
    const expireAtMs = Date.now() + FORGOTTEN_LOG_LIFETIME_MS;
    await Promise.all(
      days.map((day) =>
        this.store.addActiveDayLog!({
          day: { id: this.host.idOf(day), expireAtMs, startMs: day.start.getTime() },
          build: randomInt(2, 0xffffffff),
          users: [],
          whens: [],
          begin: true,
        }),
      ),
    );
  }

  /**
   * Begins a fresh log for each of `days` (from then on each day's writes append to
   * it), reads their rows in one statement, writes each day's and marks its log
   * complete: a row committed before the read is in it, one applied after the
   * beginning is appended (a row in both counts once, as a set does).
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
    const rows = await rowsPerPeriod(this.manager, days.map((day) => [day.start, day.end] as const), this.host.tenant());
    rows.forEach(({ users, whens }, at) => {
      builds[at].users = users;
      builds[at].whens = whens;
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

/** A read of a group: its ranges' counts (by position in the group), or `null` with what it lacked. */
interface GroupRead {
  readonly counts: readonly number[] | null;
  readonly incompleteDays: readonly LocalDay[];
  readonly unbuiltLogs: readonly LocalDay[];
}

/** The rows of each log of a group, by its day's start; every log complete. */
function logsByDay({ logDays }: Pick<Group, 'logDays'>, logs: readonly (ActiveDayLog | null)[]): Map<number, Uint32Array> {
  return new Map(logDays.map((day, at) => [day.start.getTime(), logs[at]!.rows]));
}

/** Ranges read together: their whole days and the days of their parts, each sorted. */
interface Group {
  readonly ranges: readonly number[];
  readonly days: LocalDay[];
  readonly logDays: LocalDay[];
}

/** The ranges (by position; `null` cuts left out) in groups of at most MAX_READ_DAYS days and MAX_READ_LOGS logs. */
function groupsOf(cuts: readonly (RangeCut | null)[]): Group[] {
  const groups: Group[] = [];
  let ranges: number[] = [];
  const days = new Map<number, LocalDay>();
  const logs = new Map<number, LocalDay>();
  const close = () => {
    if (ranges.length > 0) groups.push({ ranges, days: sorted(days), logDays: sorted(logs) });
    ranges = [];
    days.clear();
    logs.clear();
  };
  for (const [i, cut] of cuts.entries()) {
    if (cut === null) continue;
    const newDays = cut.days.filter((day) => !days.has(day.start.getTime())).length;
    const newLogs = new Set(cut.parts.map((part) => part.day.start.getTime()).filter((start) => !logs.has(start))).size;
    if (ranges.length > 0 && (days.size + newDays > MAX_READ_DAYS || logs.size + newLogs > MAX_READ_LOGS)) close();
    ranges.push(i);
    for (const day of cut.days) days.set(day.start.getTime(), day);
    for (const { day } of cut.parts) logs.set(day.start.getTime(), day);
  }
  close();
  return groups;
}

function sorted(days: ReadonlyMap<number, LocalDay>): LocalDay[] {
  return [...days.values()].sort((a, b) => a.start.getTime() - b.start.getTime());
}
