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
 * afresh. Built from SQL on first use and by a reindex; kept current by every
 * write of the index (the claim, `addActiveUsers`), whose day refs carry the
 * day's number (see {@link FirstActivity.dayOf}); invalidated with the index's
 * unsure days (rows written while the store was down may be first activity).
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
   * Builds first activity from SQL, then marks it complete. Each user's value
   * replaces what the store held (a claim that failed after lowering it is
   * undone); a user SQL does not know yet (a claim whose row is being written)
   * keeps its own. With `clear` (a reindex: rows may have been deleted), the
   * store forgets every user first.
   */
  build(clear = false): Promise<void> {
    if (clear) return this.buildFromSql(true);
    this.building ??= this.buildFromSql(false).finally(() => (this.building = null));
    return this.building;
  }

  /**
   * Marks first activity complete as it is, the table holding no row (before a
   * backfill's first insert): the rows written from then on lower it themselves.
   */
  async markEmpty(): Promise<void> {
    await this.store.addFirstActivity!({ calendar: this.calendar.timeZone, users: [], complete: true });
  }

  /** Marks first activity incomplete in the store: rows may be missing from it. */
  async invalidate(): Promise<void> {
    if (this.enabled) await this.store.invalidateFirstActivity!(this.calendar.timeZone);
  }

  private async buildFromSql(clear: boolean): Promise<void> {
    const calendar = this.calendar.timeZone;
    // Cleared before SQL is read, so a write landing meanwhile is kept (it lowers the new value).
    if (clear) await this.store.addFirstActivity!({ calendar, users: [], clear: true });
    const firsts = await firstWhenPerUser(this.manager);
    for (let from = 0; from === 0 || from < firsts.length; from += USERS_PER_WRITE) {
      const users = firsts
        .slice(from, from + USERS_PER_WRITE)
        .map(([user, firstMs]) => [user, this.numberOf(this.calendar.dayOf(new Date(firstMs)))] as const);
      await this.store.addFirstActivity!({ calendar, users, complete: from + USERS_PER_WRITE >= firsts.length });
    }
  }

  private numberOf(day: LocalDay): number {
    let n = this.numbers.get(day);
    if (n === undefined) this.numbers.set(day, (n = epochDayOf(day.date)));
    return n;
  }
}
