import type { EntityManager } from 'typeorm';
import type { FirstActivityDay, FirstActivityWindow } from '../store/first-activity.interface.js';
import type { SouvenirsStore } from '../store/souvenirs-store.interface.js';
import { keepsFirstActivity } from '../store/store-parts.js';
import { firstWhenPerUser } from '../table/first-activity.query.js';
import type { LocalDay, LocalDayCalendar } from '../calendar/local-days.js';

const DAY_MS = 86_400_000;
/**
 * Users per store write of a build: each is two script arguments, and a call
 * spreads its arguments (200,000 of them overflow the stack).
 */
const USERS_PER_WRITE = 20_000;

/** A local date (`YYYY-MM-DD`) as days since 1970-01-01: how the store numbers days for first activity. @internal */
export function epochDayOf(date: string): number {
  const [year, month, day] = date.split('-').map(Number);
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

/**
 * First activity, the store's part of it kept from SQL: each user's first active
 * local day (in the index's zone), so the analytics learn who was first active in
 * a window from the same read as the window's days, not from an SQL statement.
 *
 * The calendar's name in the store is the zone: a changed `timeZone` starts
 * afresh. Built from SQL on first use and by a reindex, into a fresh build begun
 * before the SQL read and swapped in (the index's invariants hold here too, see
 * active-users.index.ts); kept current by every add of committed rows
 * (`addActiveUsers`), whose day refs carry the day's number (see
 * {@link FirstActivity.dayOf}) and lower the build under way as well; invalidated
 * with the index's unsure days (rows written while the store was down may be
 * first activity).
 *
 * @internal
 */
export class FirstActivity {
  /** The build under way, shared by every reader that finds the calendar incomplete. */
  private building: Promise<void> | null = null;
  /** Day numbers of local days (the same day objects recur in every window and write). */
  private readonly numbers = new WeakMap<LocalDay, number>();

  constructor(
    private readonly manager: EntityManager,
    private readonly store: SouvenirsStore,
    private readonly calendar: LocalDayCalendar,
  ) {}

  /** Whether the store keeps first activity at all. */
  get enabled(): boolean {
    return keepsFirstActivity(this.store);
  }

  /** What a day ref carries for first activity. */
  dayOf(day: LocalDay): FirstActivityDay {
    return { calendar: this.calendar.timeZone, day: this.numberOf(day) };
  }

  /** The window of local days `first` to `last` (both included), as `readActiveDays` takes it. */
  windowOf(first: LocalDay, last: LocalDay): FirstActivityWindow {
    return { calendar: this.calendar.timeZone, fromDay: this.numberOf(first), toDay: this.numberOf(last) };
  }

  /**
   * Builds first activity from SQL for a reader that found it incomplete: one
   * build shared by every reader of this process. If its build is lost, first
   * activity stays incomplete and the reader asks SQL.
   */
  build(): Promise<void> {
    this.building ??= this.buildFromSql()
      .then(() => undefined)
      .finally(() => (this.building = null));
    return this.building;
  }

  /**
   * Rebuilds first activity from this call's own SQL read (a reindex: rows may
   * have been added or deleted by plain SQL), again when its build is lost, up
   * to `attempts` times; then marks it incomplete, to be rebuilt on next use.
   */
  async rebuild(attempts: number): Promise<void> {
    for (let attempt = 0; attempt < attempts; attempt++) if (await this.buildFromSql()) return;
    await this.invalidate();
  }

  /**
   * Marks first activity complete as it is, when `isEmpty` (asked after a build
   * began: a probe of the table) finds no row, before a backfill's first insert: the
   * rows written from then on lower it themselves. Through a build, so it replaces
   * rather than merges into a string that may have vanished in between.
   */
  async markEmptyIf(isEmpty: () => Promise<boolean>): Promise<void> {
    const calendar = this.calendar.timeZone;
    const build = await this.store.beginFirstActivityBuild!(calendar);
    if (await isEmpty()) await this.store.writeFirstActivityBuild!({ calendar, build, users: [], finish: true });
  }

  /** Marks first activity incomplete in the store: rows may be missing from it. */
  async invalidate(): Promise<void> {
    if (this.enabled) await this.store.invalidateFirstActivity!(this.calendar.timeZone);
  }

  /**
   * One build from SQL, replacing what the store held: begun before the SQL read,
   * so a row committed after it lowers the build by its own add; swapped in only
   * if never lost. Whether it was swapped in.
   */
  private async buildFromSql(): Promise<boolean> {
    const calendar = this.calendar.timeZone;
    const build = await this.store.beginFirstActivityBuild!(calendar);
    const firsts = await firstWhenPerUser(this.manager);
    for (let from = 0; from === 0 || from < firsts.length; from += USERS_PER_WRITE) {
      const users = firsts
        .slice(from, from + USERS_PER_WRITE)
        .map(([user, firstMs]) => [user, this.numberOf(this.calendar.dayOf(new Date(firstMs)))] as const);
      const finish = from + USERS_PER_WRITE >= firsts.length;
      if (!(await this.store.writeFirstActivityBuild!({ calendar, build, users, finish }))) return false;
    }
    return true;
  }

  private numberOf(day: LocalDay): number {
    let n = this.numbers.get(day);
    if (n === undefined) this.numbers.set(day, (n = epochDayOf(day.date)));
    return n;
  }
}
