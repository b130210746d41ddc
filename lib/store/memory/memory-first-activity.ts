import type { FirstActivityDay, FirstActivityWindow, FirstActivityWrite } from '../first-activity.interface.js';

interface MemoryCalendar {
  /** User id → its first active day. */
  readonly first: Map<string, number>;
  complete: boolean;
}

/**
 * First activity of {@link MemorySouvenirsStore}: per calendar, a map of user id
 * to first active day, with the same semantics as the Redis string (lowered by
 * every add, replaced by builds, a completeness mark). Nothing expires: a user's
 * first day never changes. About 100 bytes per user (a `Map` entry with its id
 * string), so some 100 MB per million users.
 *
 * @internal
 */
export class MemoryFirstActivity {
  private readonly calendars = new Map<string, MemoryCalendar>();

  /** How many calendars are held. */
  get size(): number {
    return this.calendars.size;
  }

  /** Lowers the first day of `users` to `at.day` where it is later or unknown. */
  lower(at: FirstActivityDay, users: Iterable<string>): void {
    const { first } = this.calendar(at.calendar);
    for (const user of users) {
      const held = first.get(user);
      if (held === undefined || at.day < held) first.set(user, at.day);
    }
  }

  write({ calendar, users, clear, complete }: FirstActivityWrite): void {
    if (clear) this.calendars.delete(calendar);
    const held = this.calendar(calendar);
    for (const [user, day] of users) held.first.set(user, day);
    if (complete) held.complete = true;
  }

  invalidate(calendar: string): void {
    const held = this.calendars.get(calendar);
    if (held) held.complete = false;
  }

  /**
   * The users whose first activity falls in `window`, or `null` when the calendar
   * is not complete (the caller then asks SQL). A pass over the calendar's users.
   */
  usersFirstActiveIn(window: FirstActivityWindow): string[] | null {
    const held = this.calendars.get(window.calendar);
    if (!held?.complete) return null;
    const users: string[] = [];
    for (const [user, day] of held.first) if (day >= window.fromDay && day <= window.toDay) users.push(user);
    return users;
  }

  private calendar(calendar: string): MemoryCalendar {
    let held = this.calendars.get(calendar);
    if (!held) this.calendars.set(calendar, (held = { first: new Map(), complete: false }));
    return held;
  }
}
