import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { UnexpectedStoreReplyError } from '../../errors/unexpected-store-reply.error.js';
import {
  ACTIVE_DAYS_SCRIPTS,
  ADD_ACTIVE_USERS_SCRIPT,
  BEGIN_BUILDS_SCRIPT,
  CLAIM_RATE_LIMIT_ACTIVE_SCRIPT,
  TAKE_STALE_PENDING_SCRIPT,
  WRITE_DAY_BUILD_SCRIPT,
  COUNT_ACTIVE_USERS_SCRIPT,
  INVALIDATE_ACTIVE_DAYS_SCRIPT,
} from './lua/active-days-scripts.js';
import type { ActiveDayBuildWrite, ActiveDayRef, ActiveUsersAnswer, ActiveUsersOfDay, ActiveUsersQuery } from '../active-days.interface.js';
import { pipelineReplies } from './redis-replies.js';
import { subjectUser } from '../rate-limit-subject.js';
import { UserBitset } from '../../shared/user-bitset.js';
import type { ActiveDayMembers } from '../active-day-members.interface.js';
import { READ_ACTIVE_DAYS_SCRIPT, parseActiveDayMembers } from './lua/active-day-members-script.js';
import { READ_ACTIVE_DAY_UNIONS_SCRIPT, parseActiveDayUnions } from './lua/active-day-unions-script.js';
import { READ_ACTIVE_DAYS_AMONG_SCRIPT } from './lua/active-days-among-script.js';
import type { ActiveDaysAmong } from '../active-days-among.interface.js';
import { readActiveDaysAmong } from './redis-active-days-among.js';
import type { ActiveUsersPerTenant } from '../active-users-per-tenant.interface.js';
import { COUNT_ACTIVE_USERS_PER_TENANT_SCRIPT, parseActiveUsersPerTenant } from './lua/active-users-per-tenant-script.js';
import { FIRST_DAY_OFFSET } from '../first-activity-arguments.js';
import {
  ADD_FIRST_ACTIVITY_SCRIPT,
  INVALIDATE_FIRST_ACTIVITY_SCRIPT,
  WRITE_FIRST_BUILD_SCRIPT,
  firstDayArgument,
} from './lua/first-activity-scripts.js';
import type { FirstActivityBuildWrite, FirstActivityWindow, FirstActivityWrite } from '../first-activity.interface.js';
import type { ActiveDayLogWrite, ActiveDayUnions } from '../active-day-logs.interface.js';
import { ADD_ACTIVE_DAY_LOG_SCRIPT } from './lua/day-log-scripts.js';
import { FORGET_ACTIVE_USER_SCRIPT } from './lua/forget-scripts.js';
import type { ActiveUserForget } from '../active-days.interface.js';

/** The hash tag of the activity keys: claims and the site's index share one Cluster slot. @internal */
export const ACTIVITY_TAG = '{activity}';

/**
 * The hash tag of an index namespace (a tenant's index): a slot of its own, so a Cluster
 * spreads namespaces over its masters. `%`, `{` and `}` are escaped (`%25`, `%7B`, `%7D`):
 * a brace in a namespace can neither end the tag early nor make two namespaces one.
 *
 * @internal
 */
export function namespaceTag(namespace: string): string {
  return `{activity:${namespace.replace(/[%{}]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)}}`;
}

/**
 * The namespace of a key's hash tag (the inverse of {@link namespaceTag}), or `null` for a
 * key outside every namespace (the site's `{activity}`).
 *
 * @internal
 */
export function namespaceOfTag(tag: string): string | null {
  if (!tag.startsWith('{activity:') || !tag.endsWith('}')) return null;
  return tag.slice('{activity:'.length, -1).replace(/%(25|7B|7D)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Clients whose index scripts are defined already (each namespace's index shares them). */
const DEFINED = new WeakSet<object>();

type Runner = (...args: string[]) => Promise<unknown>;

/** A build unused this long expires (a builder that died leaves nothing for long); each write renews it. */
const BUILD_LIFETIME_MS = 600_000;

/**
 * The active-users index of {@link RedisSouvenirsStore}: bitmaps per local day
 * over dense user numbers (see active-days-scripts.ts for the layout). Every call
 * is one round trip: one script, or one pipeline of scripts.
 *
 * @internal
 */
export class RedisActiveDays {
  constructor(
    private readonly client: Redis | Cluster,
    /** The store's full key of a key (its `keyPrefix` added). */
    private readonly fullKey: (key: string) => string,
    /** The hash tag of every index key: {@link ACTIVITY_TAG} for the site, {@link namespaceTag} for a namespace. */
    private readonly tag: string = ACTIVITY_TAG,
  ) {
    if (DEFINED.has(client)) return;
    DEFINED.add(client);
    for (const script of [
      ...ACTIVE_DAYS_SCRIPTS,
      READ_ACTIVE_DAYS_SCRIPT,
      READ_ACTIVE_DAY_UNIONS_SCRIPT,
      READ_ACTIVE_DAYS_AMONG_SCRIPT,
      COUNT_ACTIVE_USERS_PER_TENANT_SCRIPT,
      ADD_FIRST_ACTIVITY_SCRIPT,
      INVALIDATE_FIRST_ACTIVITY_SCRIPT,
      WRITE_FIRST_BUILD_SCRIPT,
      ADD_ACTIVE_DAY_LOG_SCRIPT,
      FORGET_ACTIVE_USER_SCRIPT,
    ]) {
      // A script with 0 declared keys takes its key count first, per call.
      const definition = script.numberOfKeys !== undefined && script.numberOfKeys > 0 ? { numberOfKeys: script.numberOfKeys, lua: script.lua } : { lua: script.lua };
      client.defineCommand(script.name, definition);
    }
  }

  /** Where a script unites days for the length of one call (deleted before it returns), in the index's slot. */
  private scratchKey(): string {
    return this.fullKey(`${this.tag}:scratch`);
  }

  /** The rate-limit key of `subject`, in the index's slot (its pending adds are in the same). */
  rateLimitKey(subject: string): string {
    return this.fullKey(`${this.tag}:ratelimit:${subject}`);
  }

  /** Runs the claim script that also records a pending add of `subject`'s user to `day`. */
  claim(subject: string, whenMs: number, limitMs: number, day: ActiveDayRef): Promise<unknown> {
    return this.run(CLAIM_RATE_LIMIT_ACTIVE_SCRIPT.name)(
      this.rateLimitKey(subject),
      this.pendingKey(),
      String(whenMs),
      String(limitMs),
      `${this.dayKey(day.id)}\n${subjectUser(subject)}`,
      String(Date.now()),
    );
  }

  /** The days of the pending adds recorded before `claimedBeforeMs`, removed. */
  async takeStalePending(claimedBeforeMs: number): Promise<string[]> {
    const reply = await this.run(TAKE_STALE_PENDING_SCRIPT.name)(this.pendingKey(), String(claimedBeforeMs));
    const prefix = this.dayKey('');
    if (!Array.isArray(reply)) throw new UnexpectedStoreReplyError('the stale pending adds', 'an array of members', reply);
    const days = new Set<string>();
    for (const member of reply) {
      const cut = typeof member === 'string' ? member.indexOf('\n') : -1;
      // A member this store did not write (another program under the prefix) names no day of it.
      if (cut > prefix.length && member.startsWith(prefix)) days.add(member.slice(prefix.length, cut));
    }
    return [...days];
  }

  async add(writes: readonly ActiveUsersOfDay[]): Promise<void> {
    if (writes.length === 0) return;
    const pipeline = this.client.pipeline() as unknown as Record<string, Runner> & { exec(): Promise<Array<[Error | null, unknown]> | null> };
    for (const { day, users, whens, clear, complete } of writes) {
      const logged = whens !== undefined && day.startMs !== undefined;
      const flags = `${clear ? 'c' : ''}${complete ? 'm' : ''}${logged ? 'o' : ''}`;
      const first = this.firstKey(day.firstActivity?.calendar);
      // Each user then its row's offset in the day, for the day's log.
      const rows = logged ? users.flatMap((user, i) => [user, String(whens[i] - day.startMs!)]) : users;
      pipeline[ADD_ACTIVE_USERS_SCRIPT.name](
        this.numbersKey(),
        this.dayKey(day.id),
        first,
        this.buildsKey(),
        this.pendingKey(),
        this.logKey(day.id),
        flags,
        String(day.expireAtMs),
        firstDayArgument(day),
        ...rows,
      );
    }
    pipelineReplies(await pipeline.exec(), 'the active-users index writes');
  }

  async invalidate(days: readonly string[]): Promise<void> {
    if (days.length === 0) return;
    const keys = [this.buildsKey(), ...days.map((id) => this.dayKey(id)), ...days.map((id) => this.logKey(id))];
    await this.run(INVALIDATE_ACTIVE_DAYS_SCRIPT.name)(String(keys.length), ...keys, String(days.length));
  }

  // ── Builds: a day (or first activity) rebuilt in a fresh key, swapped in (see active-days-scripts.ts) ──

  /** A build of each live key: the one under way or a fresh one; ids are the build keys. */
  async beginBuilds(kind: 'd' | 'f', live: readonly string[]): Promise<string[]> {
    if (live.length === 0) return [];
    const keys = [this.numbersKey(), this.buildsKey(), ...live.flatMap((key) => [key, this.fullKey(`${this.tag}:build:${randomUUID()}`)])];
    const reply = await this.run(BEGIN_BUILDS_SCRIPT.name)(String(keys.length), ...keys, kind, String(BUILD_LIFETIME_MS));
    if (!Array.isArray(reply) || reply.length !== live.length || !reply.every((key) => typeof key === 'string' && this.isBuildKey(key))) {
      throw new UnexpectedStoreReplyError('the build start script', `${live.length} build keys`, reply);
    }
    return reply as string[];
  }

  beginDayBuilds(days: readonly ActiveDayRef[]): Promise<string[]> {
    return this.beginBuilds('d', days.map(({ id }) => this.dayKey(id)));
  }

  async beginFirstBuild(calendar: string): Promise<string> {
    const [build] = await this.beginBuilds('f', [this.firstKey(calendar)]);
    return build;
  }

  async writeDayBuilds(writes: readonly ActiveDayBuildWrite[]): Promise<boolean[]> {
    const sent = writes.filter(({ build }) => this.isBuildKey(build));
    if (sent.length === 0) return writes.map(() => false);
    const pipeline = this.client.pipeline() as unknown as Record<string, Runner> & { exec(): Promise<Array<[Error | null, unknown]> | null> };
    for (const { day, build, users, finish } of sent) {
      pipeline[WRITE_DAY_BUILD_SCRIPT.name](
        this.numbersKey(),
        this.buildsKey(),
        this.dayKey(day.id),
        build,
        finish ? '1' : '0',
        String(day.expireAtMs),
        String(BUILD_LIFETIME_MS),
        ...users,
      );
    }
    const replies = pipelineReplies(await pipeline.exec(), 'the active-users build writes');
    const done = new Map(sent.map((write, i) => [write, replies[i] === 1]));
    return writes.map((write) => done.get(write) ?? false);
  }

  async writeFirstBuild({ calendar, build, users, finish }: FirstActivityBuildWrite): Promise<boolean> {
    if (!this.isBuildKey(build)) return false;
    const pairs = users.flatMap(([user, day]) => [user, String(day + FIRST_DAY_OFFSET)]);
    const reply = await this.run(WRITE_FIRST_BUILD_SCRIPT.name)(
      this.numbersKey(),
      this.buildsKey(),
      this.firstKey(calendar),
      build,
      finish ? '1' : '0',
      String(BUILD_LIFETIME_MS),
      ...pairs,
    );
    return reply === 1;
  }

  /** Whether `key` is a build key of this store: anything else is no build of it (and could be of another slot). */
  private isBuildKey(key: string): boolean {
    return key.startsWith(this.fullKey(`${this.tag}:build:`));
  }

  async count(queries: readonly ActiveUsersQuery[]): Promise<ActiveUsersAnswer[]> {
    if (queries.length === 0) return [];
    const pipeline = this.client.pipeline() as unknown as Record<string, Runner> & { exec(): Promise<Array<[Error | null, unknown]> | null> };
    for (const { days, users } of queries) {
      const keys = [this.numbersKey(), this.scratchKey(), ...days.map((id) => this.dayKey(id))];
      pipeline[COUNT_ACTIVE_USERS_SCRIPT.name](String(keys.length), ...keys, ...new Set(users));
    }
    const replies = pipelineReplies(await pipeline.exec(), 'the active-users counts');
    return replies.map((reply, i) => parseCountReply(reply, queries[i].days));
  }

  // ── Reading days back as sets (active-user analytics) ──

  /**
   * The users of `days` as the index's numbers, the numbers of `users`, and with
   * `first` the users first active in it: one script.
   */
  async members(days: readonly string[], users: readonly string[], first?: FirstActivityWindow, logs?: readonly string[]): Promise<ActiveDayMembers> {
    const keys = [this.numbersKey(), this.firstKey(first?.calendar), ...days.map((id) => this.dayKey(id)), ...(logs ?? []).map((id) => this.logKey(id))];
    // Bitmaps are binary: read them as Buffers, not as UTF-8 strings.
    const reply = await this.run(`${READ_ACTIVE_DAYS_SCRIPT.name}Buffer`)(String(keys.length), ...keys, first ? '1' : '0', String(days.length), ...users);
    return parseActiveDayMembers(reply, days.length, users.length, first, logs?.length);
  }

  /** Each list of days of `unions` ORed in Redis, and the logs of `logs`: one script. */
  async unions(unions: readonly (readonly string[])[], logs: readonly string[]): Promise<ActiveDayUnions> {
    // A union of no days is nobody: not sent (the script ORs at least one day).
    const sent = unions.filter((days) => days.length > 0);
    const days = sent.flat();
    const keys = [this.numbersKey(), this.scratchKey(), ...days.map((id) => this.dayKey(id)), ...logs.map((id) => this.logKey(id))];
    const reply = await this.run(`${READ_ACTIVE_DAY_UNIONS_SCRIPT.name}Buffer`)(String(keys.length), ...keys, ...sent.map((union) => String(union.length)));
    const read = parseActiveDayUnions(reply, days, sent.length, logs.length);
    let at = 0;
    return { ...read, unions: unions.map((union) => (union.length === 0 ? UserBitset.empty() : read.unions[at++])) };
  }

  /** Which of `users` are in each list of days of `unions`, intersected in Redis (see redis-active-days-among.ts). */
  among(unions: readonly (readonly string[])[], users: readonly string[]): Promise<ActiveDaysAmong> {
    return readActiveDaysAmong(this.client, { numbers: this.numbersKey(), scratch: this.scratchKey(), day: (id) => this.dayKey(id) }, unions, users);
  }

  /** Per tenant, the pairs of a pairs index active on `days` or in `users`: one script (see active-users-per-tenant-script.ts). */
  async perTenant(days: readonly string[], users: readonly string[]): Promise<ActiveUsersPerTenant> {
    const asked = [...new Set(days)];
    const keys = [this.numbersKey(), this.fullKey(`${this.tag}:owners`), this.scratchKey(), ...asked.map((id) => this.dayKey(id))];
    const reply = await this.run(COUNT_ACTIVE_USERS_PER_TENANT_SCRIPT.name)(String(keys.length), ...keys, ...new Set(users));
    return parseActiveUsersPerTenant(reply, asked);
  }

  // ── Day logs (see day-log-scripts.ts) ──

  async addDayLog({ day, build, users, whens, begin, complete }: ActiveDayLogWrite): Promise<void> {
    const flags = `${begin ? 'b' : ''}${complete ? 'm' : ''}`;
    const pairs = users.flatMap((user, i) => [user, String(whens[i] - day.startMs!)]);
    await this.run(ADD_ACTIVE_DAY_LOG_SCRIPT.name)(this.numbersKey(), this.logKey(day.id), flags, String(build), String(day.expireAtMs), ...pairs);
  }

  // ── First activity (see first-activity-scripts.ts) ──

  async addFirstActivity({ calendar, users, clear, complete }: FirstActivityWrite): Promise<void> {
    const pairs = users.flatMap(([user, day]) => [user, String(day + FIRST_DAY_OFFSET)]);
    const flags = `${clear ? 'c' : ''}${complete ? 'm' : ''}`;
    await this.run(ADD_FIRST_ACTIVITY_SCRIPT.name)(this.numbersKey(), this.firstKey(calendar), flags, ...pairs);
  }

  async invalidateFirstActivity(calendar: string): Promise<void> {
    await this.run(INVALIDATE_FIRST_ACTIVITY_SCRIPT.name)(this.firstKey(calendar), this.buildsKey());
  }

  // ── end of reading days back ──

  /** Removes a user from the index (see forget-scripts.ts): the pending adds left standing. */
  async forget({ user, pendingBeforeMs, dropPending }: ActiveUserForget): Promise<{ pending: number }> {
    // The user's place in the numbering: a field no user id can be (ids hold no NUL).
    const placeholder = `\0forgotten:${randomUUID()}`;
    const reply = await this.run(FORGET_ACTIVE_USER_SCRIPT.name)(
      this.numbersKey(),
      this.buildsKey(),
      this.pendingKey(),
      this.numberedKey(),
      user,
      placeholder,
      String(pendingBeforeMs),
      dropPending ? '1' : '0',
    );
    if (typeof reply !== 'number') throw new UnexpectedStoreReplyError('the forget script', 'a number', reply);
    return { pending: reply };
  }

  private pendingKey(): string {
    return this.fullKey(`${this.tag}:pending`);
  }

  private buildsKey(): string {
    return this.fullKey(`${this.tag}:builds`);
  }

  private numbersKey(): string {
    return this.fullKey(`${this.tag}:numbers`);
  }

  /** The keys written under the numbering (see active-days-scripts.ts), wiped with it. */
  private numberedKey(): string {
    return this.fullKey(`${this.tag}:numbered`);
  }

  /**
   * The first string of `calendar`; without one, a key of the same slot that no
   * script writes (the scripts take it anyway, their key count being fixed).
   */
  private firstKey(calendar: string | undefined): string {
    return this.fullKey(calendar === undefined ? `${this.tag}:first` : `${this.tag}:first:${calendar}`);
  }

  private logKey(id: string): string {
    return this.fullKey(`${this.tag}:log:${id}`);
  }

  private dayKey(id: string): string {
    return this.fullKey(`${this.tag}:day:${id}`);
  }

  private run(name: string): Runner {
    return (this.client as unknown as Record<string, Runner>)[name].bind(this.client);
  }
}

function parseCountReply(reply: unknown, days: readonly string[]): ActiveUsersAnswer {
  if (Array.isArray(reply) && reply.every((item) => Number.isSafeInteger(item))) {
    const [complete, ...rest] = reply as number[];
    if (complete === 1 && rest.length === 1 && rest[0] >= 0) return { count: rest[0] };
    if (complete === 0 && rest.length > 0 && rest.every((at) => at >= 1 && at <= days.length)) {
      return { incompleteDays: rest.map((at) => days[at - 1]) };
    }
  }
  throw new UnexpectedStoreReplyError('the active-users count script', '[1, count] or [0, day positions…]', reply);
}
