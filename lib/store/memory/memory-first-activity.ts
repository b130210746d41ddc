import { randomUUID } from 'node:crypto';
import type { FirstActivityBuildWrite, FirstActivityDay, FirstActivityWindow, FirstActivityWrite } from '../first-activity.interface.js';
import { BUILD_LIFETIME_MS } from './memory-active-days.js';

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
  /** Builds under way, by calendar: a fresh map, swapped in when finished. */
  private readonly builds = new Map<string, { readonly id: string; readonly first: Map<string, number>; expiresAt: number }>();

  /** How many calendars are held. */
  get size(): number {
    return this.calendars.size;
  }

  /** Lowers the first day of `users` to `at.day` where it is later or unknown. */
  lower(at: FirstActivityDay, users: Iterable<string>, now: number): void {
    const build = this.liveBuild(at.calendar, now);
    for (const first of build ? [this.calendar(at.calendar).first, build.first] : [this.calendar(at.calendar).first]) {
      for (const user of users) lowerIn(first, user, at.day);
    }
  }

  /** The calendar's build under way, or a fresh one. */
  beginBuild(calendar: string, now: number): string {
    let build = this.liveBuild(calendar, now);
    if (!build) this.builds.set(calendar, (build = { id: randomUUID(), first: new Map(), expiresAt: now + BUILD_LIFETIME_MS }));
    return build.id;
  }

  /** Lowers first days in a build, swapping it in when finished; whether it was still there. */
  writeBuild({ calendar, build: id, users, finish }: FirstActivityBuildWrite, now: number): boolean {
    const build = this.liveBuild(calendar, now);
    if (build?.id !== id) return false;
    for (const [user, day] of users) lowerIn(build.first, user, day);
    build.expiresAt = now + BUILD_LIFETIME_MS;
    if (finish) {
      this.builds.delete(calendar);
      this.calendars.set(calendar, { first: build.first, complete: true });
    }
    return true;
  }

  write({ calendar, users, clear, complete }: FirstActivityWrite): void {
    if (clear) this.calendars.delete(calendar);
    const held = this.calendar(calendar);
    for (const [user, day] of users) held.first.set(user, day);
    if (complete) held.complete = true;
  }

  /** Removes `user` from every calendar, and drops the builds under way (they may have read SQL before its rows went). */
  forget(user: string): void {
    for (const held of this.calendars.values()) held.first.delete(user);
    this.builds.clear();
  }

  invalidate(calendar: string): void {
    const held = this.calendars.get(calendar);
    if (held) held.complete = false;
    this.builds.delete(calendar);
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

  private liveBuild(calendar: string, now: number) {
    const build = this.builds.get(calendar);
    if (build && build.expiresAt <= now) {
      this.builds.delete(calendar);
      return undefined;
    }
    return build;
  }

  private calendar(calendar: string): MemoryCalendar {
    let held = this.calendars.get(calendar);
    if (!held) this.calendars.set(calendar, (held = { first: new Map(), complete: false }));
    return held;
  }
}

function lowerIn(first: Map<string, number>, user: string, day: number): void {
  const held = first.get(user);
  if (held === undefined || day < held) first.set(user, day);
}
