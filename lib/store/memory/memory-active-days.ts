import type { ActiveUsersPerTenant } from '../active-users-per-tenant.interface.js';
import { subjectTenant } from '../rate-limit-subject.js';
import type { ActiveDayMembers } from '../active-day-members.interface.js';
import { UserBitset } from '../../shared/user-bitset.js';
import { randomUUID } from 'node:crypto';
import type { ActiveDayBuildWrite, ActiveDayRef, ActiveUsersAnswer, ActiveUsersOfDay, ActiveUsersQuery } from '../active-days.interface.js';
import type { ActiveDayLog, ActiveDayLogWrite, ActiveDayUnions } from '../active-day-logs.interface.js';
import type { ActiveDaysAmong } from '../active-days-among.interface.js';

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

/** A day's log: its rows as user number and ms from the day's start, interleaved, owned by the build that began it. */
interface MemoryLog {
  /** Rows in `[0, length)`; appends never change a slot below `length`, so a read is a view, not a copy. */
  rows: Uint32Array;
  length: number;
  /** The build that owns it, or 1 once complete. */
  state: number;
  expiresAt: number;
}

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
  private readonly logs = new Map<string, MemoryLog>();
  /**
   * User numbers, as Redis keeps them: given in order of first sight and kept (so a
   * log holds numbers, not ids, and a read numbers nothing twice).
   */
  private readonly numbers = new Map<string, number>();
  /** The last number given: numbers never repeat, even after a user is forgotten. */
  private lastNumber = 0;

  /** How many days are held (expired ones not yet swept included). */
  get size(): number {
    return this.days.size + this.logs.size;
  }

  add(writes: readonly ActiveUsersOfDay[], now: number): void {
    for (const { day, users, whens, clear, complete } of writes) {
      if (clear) this.logs.delete(day.id);
      if (whens && day.startMs !== undefined) this.appendToLog(day.id, users, whens.map((when) => when - day.startMs!), now);
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

  /**
   * Removes `user` from every day, its number, and its pending adds recorded at
   * `pendingBeforeMs` or later; drops every build under way (it may have read SQL
   * before the user's rows were deleted) and the logs that held the user or were being
   * built. Returns how many pending adds of the user recorded before `pendingBeforeMs`
   * still stand, left in place (their rows may be committing): the caller waits for them.
   */
  forget(user: string, pendingBeforeMs: number, dropPending: boolean): number {
    for (const day of this.days.values()) day.users.delete(user);
    this.builds.clear();
    const n = this.numbers.get(user);
    for (const [id, log] of this.logs) if (log.state !== 1 || (n !== undefined && logHolds(log, n))) this.logs.delete(id);
    this.numbers.delete(user);
    let standing = 0;
    for (const [member, at] of this.pending) {
      if (member.slice(member.indexOf('\n') + 1) !== user) continue;
      if (at < pendingBeforeMs && !dropPending) standing += 1;
      else this.pending.delete(member);
    }
    return standing;
  }

  invalidate(days: readonly string[], now: number): void {
    for (const id of days) {
      this.logs.delete(id);
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
   * The users of `days` as their kept numbers; see `ActiveDayMembersStore`.
   * With `firstUsers` (the ids first active in the window; `null`: first activity
   * not complete), the reply's `firstActive`, in the same numbering.
   */
  members(
    days: readonly string[],
    users: readonly string[],
    now: number,
    firstUsers?: readonly string[] | null,
    logs?: readonly string[],
  ): ActiveDayMembers {
    const numberOf = (user: string): number => this.numberOf(user);
    const read = days.map((id) => {
      const held = this.live(id, now);
      if (!held?.complete) return null;
      return UserBitset.of([...held.users].map(numberOf));
    });
    // Numbered before `users` is answered, so a user asked gets its number from there too.
    const firstActive = firstUsers && UserBitset.of(firstUsers.map(numberOf));
    const readLogs = logs?.map((id) => this.completeLog(id, now));
    const reply = { days: read, users: users.map((user) => this.numbers.get(user) ?? null), ...(readLogs && { logs: readLogs }) };
    return firstActive === undefined ? reply : { ...reply, firstActive };
  }

  /** The union of each list of days, and the logs of `logs`; see `ActiveDayLogsStore.readActiveDayUnions`. */
  unions(unions: readonly (readonly string[])[], logs: readonly string[], now: number): ActiveDayUnions {
    const incomplete = new Set<string>();
    const read = unions.map((days) => {
      const held = this.completeDays(days, now, incomplete);
      if (!held) return null;
      const union = UserBitset.empty();
      for (const day of held) for (const user of day.users) union.add(this.numberOf(user));
      return union;
    });
    return { unions: read, incompleteDays: [...incomplete], logs: logs.map((id) => this.completeLog(id, now)) };
  }

  /** Which of `users` are in each list of days; see `ActiveDaysAmongStore.readActiveDaysAmong`. */
  among(unions: readonly (readonly string[])[], users: readonly string[], now: number): ActiveDaysAmong {
    const incomplete = new Set<string>();
    const members = unions.map((days) => {
      const held = this.completeDays(days, now, incomplete);
      return held && users.flatMap((user, at) => (held.some((day) => day.users.has(user)) ? [at] : []));
    });
    return { members, incompleteDays: [...incomplete] };
  }

  /** Per tenant, the pairs of `days` and `pairs`; see `ActiveUsersPerTenantStore.countActiveUsersPerTenant`. */
  perTenant(days: readonly string[], pairs: readonly string[], now: number): ActiveUsersPerTenant {
    const incomplete = new Set<string>();
    const held = this.completeDays(days, now, incomplete);
    if (!held) return { incompleteDays: [...incomplete] };
    const union = new Set(pairs);
    for (const day of held) for (const pair of day.users) union.add(pair);
    const counts = new Map<string, number>();
    for (const pair of union) {
      const tenant = subjectTenant(pair);
      if (tenant !== null) counts.set(tenant, (counts.get(tenant) ?? 0) + 1);
    }
    return { tenants: [...counts] };
  }

  /** The days `ids`, or `null` when one is not complete (each such id added to `incomplete`). */
  private completeDays(ids: readonly string[], now: number, incomplete: Set<string>): MemoryDay[] | null {
    const held = ids.map((id) => this.live(id, now));
    ids.forEach((id, i) => !held[i]?.complete && incomplete.add(id));
    return held.every((day) => day?.complete) ? (held as MemoryDay[]) : null;
  }

  // ── Day logs ──

  /** A day's log as read back: a view of its rows, or `null` unless complete. */
  private completeLog(id: string, now: number): ActiveDayLog | null {
    const log = this.liveLog(id, now);
    return log?.state === 1 ? { rows: log.rows.subarray(0, log.length) } : null;
  }

  /** One step of a log build (see `ActiveDayLogWrite`). */
  addLog({ day, build, users, whens, begin, complete }: ActiveDayLogWrite, now: number): void {
    if (begin) this.logs.set(day.id, { rows: new Uint32Array(0), length: 0, state: build, expiresAt: day.expireAtMs });
    const log = this.liveLog(day.id, now);
    if (log?.state !== build) return;
    users.forEach((user, i) => push(log, this.numberOf(user), whens[i] - day.startMs!));
    if (complete) log.state = 1;
  }

  /** Appends rows to a day's log when it has one (built or being built). */
  appendToLog(id: string, users: readonly string[], offsets: readonly number[], now: number): void {
    const log = this.liveLog(id, now);
    if (!log) return;
    users.forEach((user, i) => push(log, this.numberOf(user), offsets[i]));
  }

  private numberOf(user: string): number {
    let n = this.numbers.get(user);
    if (n === undefined) this.numbers.set(user, (n = ++this.lastNumber));
    return n;
  }

  // ── end of reading days back ──

  sweep(now: number): void {
    for (const [id, day] of this.days) if (day.expiresAt <= now) this.days.delete(id);
    for (const [id, build] of this.builds) if (build.expiresAt <= now) this.builds.delete(id);
    for (const [id, log] of this.logs) if (log.expiresAt <= now) this.logs.delete(id);
  }

  private liveBuild(id: string, now: number): MemoryBuild | undefined {
    const build = this.builds.get(id);
    if (build && build.expiresAt <= now) {
      this.builds.delete(id);
      return undefined;
    }
    return build;
  }

  private liveLog(id: string, now: number): MemoryLog | undefined {
    const log = this.logs.get(id);
    if (log && log.expiresAt <= now) {
      this.logs.delete(id);
      return undefined;
    }
    return log;
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

/** Whether a log holds a row of user number `n`. */
function logHolds(log: MemoryLog, n: number): boolean {
  for (let i = 0; i < log.length; i += 2) if (log.rows[i] === n) return true;
  return false;
}

/** Appends one row to a log, growing its array by doubling (a view read earlier keeps the old one). */
function push(log: MemoryLog, user: number, offset: number): void {
  if (log.length + 2 > log.rows.length) {
    const grown = new Uint32Array(Math.max(16, log.rows.length * 2));
    grown.set(log.rows.subarray(0, log.length));
    log.rows = grown;
  }
  log.rows[log.length++] = user;
  log.rows[log.length++] = offset;
}
