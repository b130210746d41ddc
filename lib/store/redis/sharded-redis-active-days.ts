import type { Cluster, Redis } from 'ioredis';
import type { ActiveDayBuildWrite, ActiveDayRef, ActiveUserForget, ActiveUsersAnswer, ActiveUsersOfDay, ActiveUsersQuery } from '../active-days.interface.js';
import type { ActiveDayMembers } from '../active-day-members.interface.js';
import type { ActiveDaysAmong } from '../active-days-among.interface.js';
import type { ActiveDayLog, ActiveDayLogWrite, ActiveDayUnions } from '../active-day-logs.interface.js';
import type { FirstActivityBuildWrite, FirstActivityWindow, FirstActivityWrite } from '../first-activity.interface.js';
import { subjectUser } from '../rate-limit-subject.js';
import { UserBitset } from '../../shared/user-bitset.js';
import { RedisActiveDays } from './redis-active-days.js';
import { siteShardOf, siteShardTags } from './redis-index-shards.js';

/** What the Redis store asks of its index: one {@link RedisActiveDays}, or the site's shards of them. @internal */
export type RedisIndex = Omit<{ [K in keyof RedisActiveDays]: RedisActiveDays[K] }, 'beginBuilds' | 'perTenant'>;

/**
 * The site-wide index split over shards (see redis-index-shards.ts): each call goes to
 * the shards it concerns, in parallel (one script or pipeline each, on its master),
 * and their replies are joined. Every shard is a {@link RedisActiveDays} under its own
 * tag, so each keeps the index's invariants by itself, atomically; the site's day is
 * complete only when every shard's is (a shard's day evicted makes the day incomplete),
 * and counts and sets add up exactly because shards share no user. In a reply, shard
 * k's numbers are its own plus an offset past the numbers of shards 0..k-1 in that
 * reply (numbers are only of one reply, as `ActiveDayMembers` says).
 *
 * @internal
 */
export class ShardedRedisActiveDays implements RedisIndex {
  private readonly shards: readonly RedisActiveDays[];

  constructor(client: Redis | Cluster, fullKey: (key: string) => string) {
    this.shards = siteShardTags().map((tag) => new RedisActiveDays(client, fullKey, tag));
  }

  rateLimitKey(subject: string): string {
    return this.shardOf(subjectUser(subject)).rateLimitKey(subject);
  }

  claim(subject: string, whenMs: number, limitMs: number, day: ActiveDayRef): Promise<unknown> {
    return this.shardOf(subjectUser(subject)).claim(subject, whenMs, limitMs, day);
  }

  async takeStalePending(claimedBeforeMs: number): Promise<string[]> {
    const days = await Promise.all(this.shards.map((shard) => shard.takeStalePending(claimedBeforeMs)));
    return [...new Set(days.flat())];
  }

  async add(writes: readonly ActiveUsersOfDay[]): Promise<void> {
    const perShard = this.shards.map((): ActiveUsersOfDay[] => []);
    for (const write of writes) {
      // Clearing or marking a day concerns every shard's part of it; plain adds only the users' shards.
      const everyShard = write.clear === true || write.complete === true;
      const parts = this.split(write.users, write.whens);
      parts.forEach(({ users, whens }, at) => {
        if (everyShard || users.length > 0) perShard[at].push({ ...write, users, ...(write.whens && { whens }) });
      });
    }
    await Promise.all(this.shards.map((shard, at) => shard.add(perShard[at])));
  }

  async invalidate(days: readonly string[]): Promise<void> {
    await Promise.all(this.shards.map((shard) => shard.invalidate(days)));
  }

  // ── Builds: one per shard; the site's build id names them all, and swaps in only where each shard's held ──

  async beginDayBuilds(days: readonly ActiveDayRef[]): Promise<string[]> {
    return joinBuilds(await Promise.all(this.shards.map((shard) => shard.beginDayBuilds(days))), days.length);
  }

  async beginFirstBuild(calendar: string): Promise<string> {
    return JSON.stringify(await Promise.all(this.shards.map((shard) => shard.beginFirstBuild(calendar))));
  }

  async writeDayBuilds(writes: readonly ActiveDayBuildWrite[]): Promise<boolean[]> {
    const sent = writes.flatMap((write) => {
      const builds = splitBuild(write.build, this.shards.length);
      return builds ? [{ write, builds, parts: this.split(write.users) }] : [];
    });
    // Every shard's build gets each write, with its users (none still renews its lifetime), and the swap.
    const done = await Promise.all(
      this.shards.map((shard, at) => shard.writeDayBuilds(sent.map(({ write, builds, parts }) => ({ ...write, build: builds[at], users: parts[at].users })))),
    );
    const held = new Map(sent.map(({ write }, j) => [write, done.every((replies) => replies[j])]));
    return writes.map((write) => held.get(write) ?? false);
  }

  async writeFirstBuild(write: FirstActivityBuildWrite): Promise<boolean> {
    const builds = splitBuild(write.build, this.shards.length);
    if (!builds) return false;
    const users = this.splitPairs(write.users);
    const done = await Promise.all(this.shards.map((shard, at) => shard.writeFirstBuild({ ...write, build: builds[at], users: users[at] })));
    return done.every(Boolean);
  }

  async count(queries: readonly ActiveUsersQuery[]): Promise<ActiveUsersAnswer[]> {
    const perShard = this.shards.map((): ActiveUsersQuery[] => queries.map(({ days }) => ({ days, users: [] })));
    queries.forEach(({ users }, i) => this.split(users).forEach((part, at) => (perShard[at][i] = { ...perShard[at][i], users: part.users })));
    const answers = await Promise.all(this.shards.map((shard, at) => shard.count(perShard[at])));
    return queries.map((_, i) => {
      const incomplete = new Set(answers.flatMap((shard) => ('incompleteDays' in shard[i] ? shard[i].incompleteDays : [])));
      if (incomplete.size > 0) return { incompleteDays: [...incomplete] };
      return { count: answers.reduce((sum, shard) => sum + (shard[i] as { count: number }).count, 0) };
    });
  }

  // ── Reading days back as sets: each shard's numbers in a range of the reply's own ──

  async members(days: readonly string[], users: readonly string[], first?: FirstActivityWindow, logs?: readonly string[]): Promise<ActiveDayMembers> {
    const asked = this.split(users);
    const replies = await Promise.all(this.shards.map((shard, at) => shard.members(days, asked[at].users, first, logs)));
    const offsets = wordOffsets(replies.map((reply) => Math.max(widthOf([...reply.days, reply.firstActive], reply.logs), wordsFor(reply.users))));
    const numbers: (number | null)[] = new Array<number | null>(users.length).fill(null);
    replies.forEach((reply, at) => reply.users.forEach((n, j) => (numbers[asked[at].positions[j]] = n === null ? null : n + 32 * offsets[at])));
    const read: ActiveDayMembers = {
      days: days.map((_, d) => joinSets(replies.map((reply) => reply.days[d]), offsets)),
      users: numbers,
      ...(logs && { logs: logs.map((_, l) => joinLogs(replies.map((reply) => reply.logs?.[l] ?? null), offsets)) }),
    };
    if (replies.every((reply) => reply.firstActive === undefined)) return read;
    return { ...read, firstActive: joinSets(replies.map((reply) => reply.firstActive ?? null), offsets) };
  }

  async unions(unions: readonly (readonly string[])[], logs: readonly string[]): Promise<ActiveDayUnions> {
    const replies = await Promise.all(this.shards.map((shard) => shard.unions(unions, logs)));
    const offsets = wordOffsets(replies.map((reply) => widthOf(reply.unions, reply.logs)));
    return {
      unions: unions.map((_, u) => joinSets(replies.map((reply) => reply.unions[u]), offsets)),
      incompleteDays: [...new Set(replies.flatMap((reply) => reply.incompleteDays))],
      logs: logs.map((_, l) => joinLogs(replies.map((reply) => reply.logs[l]), offsets)),
    };
  }

  /** Every shard asked of its own users (of none too: the site's day is complete only if each shard's is). */
  async among(unions: readonly (readonly string[])[], users: readonly string[]): Promise<ActiveDaysAmong> {
    const asked = this.split(users);
    const replies = await Promise.all(this.shards.map((shard, at) => shard.among(unions, asked[at].users)));
    const members = unions.map((_, u): number[] | null => {
      const found: number[] = [];
      for (const [at, reply] of replies.entries()) {
        const part = reply.members[u];
        if (part === null) return null;
        for (const j of part) found.push(asked[at].positions[j]);
      }
      return found.sort((a, b) => a - b);
    });
    return { members, incompleteDays: [...new Set(replies.flatMap((reply) => reply.incompleteDays))] };
  }

  // ── Day logs and first activity: each shard's own, for its users ──

  async addDayLog(write: ActiveDayLogWrite): Promise<void> {
    const everyShard = write.begin === true || write.complete === true;
    const parts = this.split(write.users, write.whens);
    await Promise.all(
      this.shards.map((shard, at) => (everyShard || parts[at].users.length > 0 ? shard.addDayLog({ ...write, users: parts[at].users, whens: parts[at].whens }) : undefined)),
    );
  }

  async addFirstActivity(write: FirstActivityWrite): Promise<void> {
    const everyShard = write.clear === true || write.complete === true;
    const users = this.splitPairs(write.users);
    await Promise.all(this.shards.map((shard, at) => (everyShard || users[at].length > 0 ? shard.addFirstActivity({ ...write, users: users[at] }) : undefined)));
  }

  async invalidateFirstActivity(calendar: string): Promise<void> {
    await Promise.all(this.shards.map((shard) => shard.invalidateFirstActivity(calendar)));
  }

  /** A user is in its shard only: its bits, logs, first activity, pending adds and builds are there. */
  forget(forget: ActiveUserForget): Promise<{ pending: number }> {
    return this.shardOf(forget.user).forget(forget);
  }

  private shardOf(user: string): RedisActiveDays {
    return this.shards[siteShardOf(user)];
  }

  /** `users` (and their `whens`, by position) per shard, with their positions in `users`. */
  private split(users: readonly string[], whens?: readonly number[]): Array<{ users: string[]; whens: number[]; positions: number[] }> {
    const parts = this.shards.map(() => ({ users: [] as string[], whens: [] as number[], positions: [] as number[] }));
    users.forEach((user, i) => {
      const part = parts[siteShardOf(user)];
      part.users.push(user);
      part.positions.push(i);
      if (whens) part.whens.push(whens[i]);
    });
    return parts;
  }

  private splitPairs(users: readonly (readonly [user: string, day: number])[]): Array<Array<readonly [string, number]>> {
    const parts = this.shards.map((): Array<readonly [string, number]> => []);
    for (const pair of users) parts[siteShardOf(pair[0])].push(pair);
    return parts;
  }
}

/** One site build id per day: the JSON list of its shards' build keys. */
function joinBuilds(perShard: readonly string[][], days: number): string[] {
  return Array.from({ length: days }, (_, d) => JSON.stringify(perShard.map((builds) => builds[d])));
}

/** The shards' build keys of a site build id, or `null` for an id this index did not give (no build of it). */
function splitBuild(build: string, shards: number): string[] | null {
  try {
    const keys: unknown = JSON.parse(build);
    return Array.isArray(keys) && keys.length === shards && keys.every((key) => typeof key === 'string') ? (keys as string[]) : null;
  } catch {
    return null;
  }
}

/** Where each shard's range starts, in 32-bit words: past the widths of the shards before it. */
function wordOffsets(widths: readonly number[]): number[] {
  let at = 0;
  return widths.map((width) => {
    const offset = at;
    at += width;
    return offset;
  });
}

/** The words a shard's part of a reply spans: its sets, and the numbers of its logs. */
function widthOf(sets: readonly (UserBitset | null | undefined)[], logs: readonly (ActiveDayLog | null)[] = []): number {
  let width = 0;
  for (const set of sets) width = Math.max(width, set?.wordArray.length ?? 0);
  for (const log of logs) {
    if (!log) continue;
    for (let i = 0; i < log.rows.length; i += 2) width = Math.max(width, (log.rows[i] >>> 5) + 1);
  }
  return width;
}

/** The words numbers `numbers` span. */
function wordsFor(numbers: readonly (number | null)[]): number {
  let width = 0;
  for (const n of numbers) if (n !== null) width = Math.max(width, Math.floor(n / 32) + 1);
  return width;
}

/** The shards' sets as one, each at its offset; `null` when a shard's is (its part is not complete). */
function joinSets(sets: readonly (UserBitset | null)[], offsets: readonly number[]): UserBitset | null {
  return sets.some((set) => set === null) ? null : UserBitset.joined(sets as UserBitset[], offsets);
}

/** The shards' logs as one, each row's number moved to its shard's range; `null` when a shard's is not complete. */
function joinLogs(logs: readonly (ActiveDayLog | null)[], offsets: readonly number[]): ActiveDayLog | null {
  if (logs.some((log) => log === null)) return null;
  const rows = new Uint32Array(logs.reduce((sum, log) => sum + log!.rows.length, 0));
  let at = 0;
  logs.forEach((log, shard) => {
    rows.set(log!.rows, at);
    for (let i = at; i < at + log!.rows.length; i += 2) rows[i] += 32 * offsets[shard];
    at += log!.rows.length;
  });
  return { rows };
}
