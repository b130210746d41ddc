import type { ActiveDayMembers } from '../active-day-members.interface.js';
import { UserBitset } from '../../shared/user-bitset.js';
import { randomUUID } from 'node:crypto';
import type { ActiveDayBuildWrite, ActiveDayRef, ActiveUsersAnswer, ActiveUsersOfDay, ActiveUsersQuery } from '../active-days.interface.js';

interface MemoryDay {
  readonly users: Set<string>;
  complete: boolean;
  expiresAt: number;
}

/** A day's rebuild under way: a fresh set, swapped in place of the day when finished. */
interface MemoryBuild {
  readonly id: string;
  readonly users: Set<string>;
  expiresAt: number;
}

/** A build unused this long is dropped, as Redis expires its key. @internal */
export const BUILD_LIFETIME_MS = 600_000;

/**
 * The active-users index of {@link MemorySouvenirsStore}: a set of user ids per
 * day, with the same semantics as the Redis bitmaps (completeness mark, expiry).
 * Synchronous, so each call is atomic within the process.
 *
 * @internal
 */
export class MemoryActiveDays {
  private readonly days = new Map<string, MemoryDay>();
  /** Builds under way, by day id. */
  private readonly builds = new Map<string, MemoryBuild>();
  /** Pending adds (a claim's row not committed yet), `<day>\n<user>` → when claimed (wall ms). */
  private readonly pending = new Map<string, number>();

  /** How many days are held (expired ones not yet swept included). */
  get size(): number {
    return this.days.size;
  }

  add(writes: readonly ActiveUsersOfDay[], now: number): void {
    for (const { day, users, clear, complete } of writes) {
      let held = clear ? undefined : this.live(day.id, now);
      if (!held) {
        held = { users: new Set(), complete: false, expiresAt: day.expireAtMs };
        this.days.set(day.id, held);
      }
      for (const user of users) held.users.add(user);
      if (complete) held.complete = true;
      held.expiresAt = day.expireAtMs;
      // Committed rows reach the day's build too: it may have read SQL before they committed.
      const build = this.liveBuild(day.id, now);
      if (build) for (const user of users) build.users.add(user);
      if (this.pending.size > 0) for (const user of users) this.pending.delete(`${day.id}\n${user}`);
    }
  }

  /** Records that a row of `user` on day `id` is being written (see `claimRateLimit`). */
  recordPending(id: string, user: string, now: number): void {
    this.pending.set(`${id}\n${user}`, now);
  }

  /** Removes the pending adds recorded before `claimedBeforeMs`; their days, each once. */
  takeStalePending(claimedBeforeMs: number): string[] {
    const days = new Set<string>();
    for (const [member, at] of this.pending) {
      if (at >= claimedBeforeMs) continue;
      this.pending.delete(member);
      days.add(member.slice(0, member.indexOf('\n')));
    }
    return [...days];
  }

  invalidate(days: readonly string[], now: number): void {
    for (const id of days) {
      const held = this.live(id, now);
      if (held) held.complete = false;
      // A build under way may have read SQL before the rows that made the day unsure.
      this.builds.delete(id);
    }
  }

  /** A build per day, the one under way or a fresh one. */
  beginBuilds(days: readonly ActiveDayRef[], now: number): string[] {
    return days.map(({ id }) => {
      let build = this.liveBuild(id, now);
      if (!build) this.builds.set(id, (build = { id: randomUUID(), users: new Set(), expiresAt: now + BUILD_LIFETIME_MS }));
      return build.id;
    });
  }

  /** Writes users to builds, swapping the finished ones in; whether each build was still there. */
  writeBuilds(writes: readonly ActiveDayBuildWrite[], now: number): boolean[] {
    return writes.map(({ day, build: id, users, finish }) => {
      const build = this.liveBuild(day.id, now);
      if (build?.id !== id) return false;
      for (const user of users) build.users.add(user);
      build.expiresAt = now + BUILD_LIFETIME_MS;
      if (finish) {
        this.builds.delete(day.id);
        this.days.set(day.id, { users: build.users, complete: true, expiresAt: day.expireAtMs });
      }
      return true;
    });
  }

  count(queries: readonly ActiveUsersQuery[], now: number): ActiveUsersAnswer[] {
    return queries.map(({ days, users }) => {
      const held = days.map((id) => this.live(id, now));
      const incompleteDays = days.filter((_, i) => !held[i]?.complete);
      if (incompleteDays.length > 0) return { incompleteDays };
      const union = new Set(users);
      for (const day of held) for (const user of day!.users) union.add(user);
      return { count: union.size };
    });
  }

  // ── Reading days back as sets (active-user analytics) ──

  /**
   * The users of `days` as numbers given in order of first sight; see `ActiveDayMembersStore`.
   * With `firstUsers` (the ids first active in the window; `null`: first activity
   * not complete), the reply's `firstActive`, in the same numbering.
   */
  members(days: readonly string[], users: readonly string[], now: number, firstUsers?: readonly string[] | null): ActiveDayMembers {
    const numbers = new Map<string, number>();
    const numberOf = (user: string): number => {
      let n = numbers.get(user);
      if (n === undefined) numbers.set(user, (n = numbers.size + 1));
      return n;
    };
    const read = days.map((id) => {
      const held = this.live(id, now);
      if (!held?.complete) return null;
      return UserBitset.of([...held.users].map(numberOf));
    });
    // Numbered before `users` is answered, so a user asked gets its number from there too.
    const firstActive = firstUsers && UserBitset.of(firstUsers.map(numberOf));
    const reply = { days: read, users: users.map((user) => numbers.get(user) ?? null) };
    return firstActive === undefined ? reply : { ...reply, firstActive };
  }

  // ── end of reading days back ──

  sweep(now: number): void {
    for (const [id, day] of this.days) if (day.expiresAt <= now) this.days.delete(id);
    for (const [id, build] of this.builds) if (build.expiresAt <= now) this.builds.delete(id);
  }

  private liveBuild(id: string, now: number): MemoryBuild | undefined {
    const build = this.builds.get(id);
    if (build && build.expiresAt <= now) {
      this.builds.delete(id);
      return undefined;
    }
    return build;
  }

  private live(id: string, now: number): MemoryDay | undefined {
    const day = this.days.get(id);
    if (day && day.expiresAt <= now) {
      this.days.delete(id);
      return undefined;
    }
    return day;
  }
}
