import { Logger, type LoggerService, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { InvalidOptionError } from '../../errors/invalid-option.error.js';
import { UnexpectedStoreReplyError } from '../../errors/unexpected-store-reply.error.js';
import { InvalidStoreArgumentError } from '../../errors/invalid-store-argument.error.js';
import { hashTagOf, keySlot, tagOfSlot } from './redis-key-slot.js';
import { toIoredisUrl } from './redis-url.js';
import { parseHashDump } from './redis-hash-dump.js';
import {
  parseClaimReply,
  parseCounter,
  parseTime,
  parseFlag,
  parseMemberCounters,
  parseStrings,
  pipelineReplies,
} from './redis-replies.js';
import {
  ADD_CHOICES_SCRIPT,
  CLAIM_RATE_LIMIT_SCRIPT,
  DUMP_COUNTER_HASH_SCRIPT,
  INCREMENT_COUNTERS_SCRIPT,
  READ_COUNTERS_OF_MEMBERS_SCRIPT,
  RELEASE_RATE_LIMIT_SCRIPT,
  SOUVENIRS_SCRIPTS,
} from './lua/redis-scripts.js';
import {
  checkCells,
  checkChoices,
  checkClaimArguments,
  checkFlushId,
  checkIncrements,
  checkInteger,
  checkLockArguments,
  checkMarkArguments,
  checkReleasedClaim,
  checkString,
  checkSubjects,
  checkTemplates,
} from '../store-arguments.js';
import { RAISE_MARK_SCRIPT, RELEASE_LOCK_SCRIPT } from './lua/forget-scripts.js';
import { namespaceOfTag, namespaceTag, RedisActiveDays } from './redis-active-days.js';
import { ShardedRedisActiveDays, type RedisIndex } from './sharded-redis-active-days.js';
import type { ActiveDayMembers } from '../active-day-members.interface.js';
import { checkReadActiveDayUnions, checkReadActiveDays, checkReadActiveDaysAmong } from '../active-day-members-arguments.js';
import type { ActiveDaysAmong } from '../active-days-among.interface.js';
import type { ActiveUsersPerTenant } from '../active-users-per-tenant.interface.js';
import { checkFirstActivityBuildWrite, checkFirstActivityCalendar, checkFirstActivityWrite } from '../first-activity-arguments.js';
import type { FirstActivityBuildWrite, FirstActivityWindow, FirstActivityWrite } from '../first-activity.interface.js';
import {
  checkActiveDay,
  checkActiveDayLog,
  checkActiveDayBuilds,
  checkActiveDayBuildWrites,
  checkActiveQueries,
  checkActiveUsersPerTenantQuery,
  checkActiveUserForget,
  checkActiveWrites,
  checkDayIds,
} from '../active-days-arguments.js';
import type { ActiveDayBuildWrite, ActiveDayRef, ActiveUserForget, ActiveUsersAnswer, ActiveUsersOfDay, ActiveUsersQuery } from '../active-days.interface.js';
import type { ActiveDayLogWrite, ActiveDayUnions } from '../active-day-logs.interface.js';
import {
  FLUSH_ID_TTL_MS,
  type CounterCell,
  type CounterIncrements,
  type CounterTemplate,
  type MemberAffix,
  type MemberCounters,
  type RateLimitClaim,
  type SouvenirsStore,
} from '../souvenirs-store.interface.js';

/**
 * Options of {@link RedisSouvenirsStore}.
 */
export interface RedisSouvenirsStoreOptions {
  /**
   * A `Redis` or `Cluster` (used with its own settings and never closed by the
   * store; give it `enableOfflineQueue: false` so calls fail fast while Redis is
   * down), or a URL / `RedisOptions` from which the store creates, and closes at
   * application shutdown (`onApplicationShutdown`, last), its own client with the
   * offline queue off.
   */
  redis: Redis | Cluster | RedisOptions | string;
  /** Prefix of every key: a key `k` is stored as `${keyPrefix}:k`. */
  keyPrefix: string;
  /** Where connection trouble of a client the store created is reported (default: a Nest `Logger`). */
  logger?: LoggerService;
}

/**
 * Defaults of a client the store creates: while Redis is unreachable, commands
 * fail at once instead of waiting in ioredis's offline queue, so no caller (and
 * so no request) ever stalls on Redis. A short `disconnectTimeout` because ioredis
 * keeps a (non-`unref`ed) timer of that length when closed during an outage,
 * which would hold the process open at shutdown. Explicit options of the user win.
 */
const OWN_CLIENT_DEFAULTS: RedisOptions = { enableOfflineQueue: false, maxRetriesPerRequest: 1, disconnectTimeout: 200 };

type ScriptRunner = (key: string, ...args: string[]) => Promise<unknown>;

/**
 * A {@link SouvenirsStore} in Redis or Redis Cluster, shared by every process that
 * uses the same Redis and `keyPrefix`.
 *
 * - Rate-limit claims and stored choices are each one Lua script (atomic).
 * - Counters are hashes: all increments of a call go out as one script, one per
 *   Cluster hash slot (sent concurrently), so keys sharing a `{hash tag}` are
 *   written in one round trip, with the call's flush id recorded atomically.
 * - Replies are type-checked; a wrong one is an `UnexpectedStoreReplyError`.
 *
 * On Redis Cluster (notes that concern no other store: they have no hash slots):
 * - The site's active-users index is split in shards of their own hash tags, so every
 *   master holds a share (see redis-index-shards.ts); each tenant's index has its slot.
 * - A key's `{…}` is its hash tag; keys that must be updated together in one atomic
 *   step share one. Writes to keys of different slots are not atomic together.
 * - `readCountersOfMembers`: every key a call touches must be in the slot of
 *   `setKey`, so give the set and each template's key (in its fixed text or `prefix`,
 *   which then decides the slot whatever the member) one hash tag, as a metrica's
 *   keys all share `{m:<name>}`; a template not bound to the set's slot is an
 *   `InvalidStoreArgumentError`.
 *
 * @publicApi
 * @example
 * new RedisSouvenirsStore({ redis: 'redis://localhost:6379', keyPrefix: 'souvenirs' })
 */
export class RedisSouvenirsStore implements SouvenirsStore, OnApplicationShutdown {
  private readonly client: Redis | Cluster;
  private readonly ownsClient: boolean;
  private readonly keyPrefix: string;
  private readonly logger: LoggerService;
  /** The prefix ioredis itself adds (its `keyPrefix` option), which also decides slots. */
  private readonly clientKeyPrefix: string;
  /** Pending until a created client's first connection attempt ends, then `null`. */
  private firstConnection: Promise<void> | null = null;
  private reportedDown = false;
  /** The active-users index: bitmaps per local day (see redis-active-days.ts), in shards on a Cluster (see redis-index-shards.ts). */
  private readonly activeDays: RedisIndex;

  /** @throws InvalidOptionError when `redis` or `keyPrefix` is unusable. */
  constructor(options: RedisSouvenirsStoreOptions) {
    const { redis, keyPrefix } = options;
    if (typeof keyPrefix !== 'string' || keyPrefix === '') {
      throw new InvalidOptionError('keyPrefix', 'a non-empty string', keyPrefix);
    }
    this.keyPrefix = keyPrefix;
    this.logger = options.logger ?? new Logger(RedisSouvenirsStore.name);
    if (isClient(redis)) {
      this.client = redis;
      this.ownsClient = false;
    } else if (typeof redis === 'string' || (typeof redis === 'object' && redis !== null)) {
      // ioredis lets URL query parameters win over the options object, so a user's
      // explicit settings override our defaults either way.
      this.client =
        typeof redis === 'string' ? new Redis(toIoredisUrl(redis), OWN_CLIENT_DEFAULTS) : new Redis({ ...OWN_CLIENT_DEFAULTS, ...redis });
      this.ownsClient = true;
      this.watchOwnClient(this.client);
    } else {
      throw new InvalidOptionError('redis', 'an ioredis Redis or Cluster, RedisOptions or a URL', redis);
    }
    const clientOptions = this.client.options as { keyPrefix?: string };
    this.clientKeyPrefix = clientOptions.keyPrefix ?? '';
    for (const script of [...SOUVENIRS_SCRIPTS, RELEASE_LOCK_SCRIPT, RAISE_MARK_SCRIPT]) {
      this.client.defineCommand(script.name, { numberOfKeys: script.numberOfKeys, lua: script.lua });
    }
    // One slot would put the whole site index on one master of a Cluster: there it is split in shards.
    this.activeDays = isCluster(this.client)
      ? new ShardedRedisActiveDays(this.client, (key) => this.fullKey(key))
      : new RedisActiveDays(this.client, (key) => this.fullKey(key));
  }

  /**
   * This store with its index in `namespace` (see `ActiveDaysStore.activeDaysIn`): a view
   * whose index keys carry the namespace's own hash tag (`{activity:<namespace>}`), so a
   * Cluster puts each namespace on the master of its slot; the client and everything else
   * are this store's. Views are cheap (no round trip), and not kept.
   */
  activeDaysIn(namespace: string): SouvenirsStore {
    checkString('activeDaysIn', 'namespace', namespace);
    // Every index method reads `this.activeDays`: the view shadows it only.
    return Object.create(this, {
      activeDays: { value: new RedisActiveDays(this.client, (key) => this.fullKey(key), namespaceTag(namespace)) },
    }) as RedisSouvenirsStore;
  }

  async claimRateLimit(subject: string, whenMs: number, limitMs: number, activeDay?: ActiveDayRef): Promise<RateLimitClaim | null> {
    checkClaimArguments(subject, whenMs, limitMs);
    if (activeDay !== undefined) checkActiveDay('claimRateLimit', 'activeDay', activeDay);
    const key = this.rateLimitKey(subject);
    await this.connected();
    const reply = activeDay
      ? await this.activeDays.claim(subject, whenMs, limitMs, activeDay)
      : await this.script(CLAIM_RATE_LIMIT_SCRIPT.name)(key, String(whenMs), String(limitMs));
    const { granted, previousMs } = parseClaimReply(reply, `the rate-limit claim of ${key}`);
    return granted ? { subject, whenMs, limitMs, previousMs } : null;
  }

  async releaseRateLimit(claim: RateLimitClaim): Promise<void> {
    checkReleasedClaim(claim);
    const key = this.rateLimitKey(claim.subject);
    await this.connected();
    const previous = claim.previousMs === null ? '' : String(claim.previousMs);
    const release = this.script(RELEASE_RATE_LIMIT_SCRIPT.name);
    const reply = await release(key, String(claim.whenMs), previous, String(claim.limitMs));
    parseFlag(reply, `the rate-limit release of ${key}`);
  }

  async forgetRateLimits(subjects: readonly string[]): Promise<void> {
    checkSubjects(subjects);
    if (subjects.length === 0) return;
    await this.connected();
    // One DEL per key, one pipeline per slot: on a Cluster, users' claims sit in the shards of the site index.
    await Promise.all(
      this.bySlot(subjects.map((subject) => this.rateLimitKey(subject)), (key) => key).map(async (keys) => {
        const pipeline = this.client.pipeline();
        for (const key of keys) pipeline.del(key);
        pipelineReplies(await pipeline.exec(), 'the rate-limit claims removal');
      }),
    );
  }

  async acquireLock(name: string, ttlMs: number): Promise<string | null> {
    checkLockArguments('acquireLock', name, ttlMs);
    await this.connected();
    const token = randomUUID();
    const reply = await this.client.set(this.lockKey(name), token, 'PX', ttlMs, 'NX');
    return reply === 'OK' ? token : null;
  }

  async releaseLock(name: string, token: string): Promise<void> {
    checkLockArguments('releaseLock', name, token);
    await this.connected();
    await this.script(RELEASE_LOCK_SCRIPT.name)(this.lockKey(name), token);
  }

  async raiseMark(name: string, value: number): Promise<number> {
    checkMarkArguments('raiseMark', name, value);
    await this.connected();
    return parseTime(await this.script(RAISE_MARK_SCRIPT.name)(this.markKey(name), String(value)), `the raise of mark ${name}`);
  }

  async readMark(name: string): Promise<number | null> {
    checkMarkArguments('readMark', name);
    await this.connected();
    const reply = await this.client.get(this.markKey(name));
    return reply === null ? null : parseTime(reply, `the read of mark ${name}`);
  }

  async forgetActiveUser(forget: ActiveUserForget): Promise<{ pending: number }> {
    checkActiveUserForget(forget);
    await this.connected();
    return this.activeDays.forget(forget);
  }

  async incrementCounters(increments: CounterIncrements, flushId?: string): Promise<void> {
    const writes = checkIncrements(increments);
    checkFlushId(flushId);
    if (writes.length === 0) return;
    await this.connected();
    const increment = this.script(INCREMENT_COUNTERS_SCRIPT.name);
    // One script per slot: its increments and its record of the flush id in one atomic step.
    await Promise.all(
      this.bySlot(writes, (write) => this.fullKey(write.key)).map(async (slotWrites) => {
        const keys = slotWrites.map(({ key }) => this.fullKey(key));
        const args: string[] = [String(keys.length)];
        if (flushId !== undefined) {
          keys.push(this.flushIdKey(flushId, keys[0]!));
          args.push(String(FLUSH_ID_TTL_MS));
        }
        for (const { fields, ttlMs } of slotWrites) {
          args.push(String(fields.size), ttlMs === null ? '' : String(ttlMs));
          for (const [field, by] of fields) args.push(field, String(by));
        }
        const reply = await increment(String(keys.length), ...keys, ...args);
        parseFlag(reply, 'the counter increments');
      }),
    );
  }

  async readCounters(cells: readonly CounterCell[]): Promise<number[]> {
    checkCells(cells);
    if (cells.length === 0) return [];
    // One HMGET per distinct key, asking each distinct field once.
    const fieldsByKey = new Map<string, Map<string, number>>();
    for (const { key, field } of cells) {
      const fields = fieldsByKey.get(key) ?? new Map<string, number>();
      fields.set(field, 0);
      fieldsByKey.set(key, fields);
    }
    await this.connected();
    await Promise.all(
      this.bySlot([...fieldsByKey.keys()], (key) => this.fullKey(key)).map(async (keys) => {
        const pipeline = this.client.pipeline();
        for (const key of keys) pipeline.hmget(this.fullKey(key), ...fieldsByKey.get(key)!.keys());
        const replies = pipelineReplies(await pipeline.exec(), 'the counter reads');
        keys.forEach((key, index) => {
          const fields = fieldsByKey.get(key)!;
          const command = `HMGET ${this.fullKey(key)}`;
          const values = replies[index];
          if (!Array.isArray(values) || values.length !== fields.size) {
            throw new UnexpectedStoreReplyError(command, `an array of ${fields.size} values`, values);
          }
          [...fields.keys()].forEach((field, at) => fields.set(field, parseCounter(values[at], command)));
        });
      }),
    );
    return cells.map(({ key, field }) => fieldsByKey.get(key)!.get(field)!);
  }

  async readHash(key: string): Promise<Array<[string, number]>> {
    checkString('readHash', 'key', key);
    const fullKey = this.fullKey(key);
    await this.connected();
    // One bulk string, as a Buffer, parsed a slice at a time: HGETALL's reply of a
    // large hash is hundreds of thousands of strings ioredis parses in one block.
    const reply = await this.script(`${DUMP_COUNTER_HASH_SCRIPT.name}Buffer`)(fullKey);
    return parseHashDump(reply, `the counters of ${fullKey}`);
  }

  async addChoices(key: string, values: readonly string[], maxChoices?: number): Promise<boolean> {
    const unique = checkChoices(key, values, maxChoices);
    const fullKey = this.fullKey(key);
    await this.connected();
    const bound = maxChoices === undefined ? '' : String(maxChoices);
    const reply = await this.script(ADD_CHOICES_SCRIPT.name)(fullKey, bound, ...unique);
    return parseFlag(reply, `the choices added to ${fullKey}`);
  }

  async getChoices(key: string): Promise<string[]> {
    checkString('getChoices', 'key', key);
    const fullKey = this.fullKey(key);
    await this.connected();
    return parseStrings(await this.client.smembers(fullKey), `SMEMBERS ${fullKey}`);
  }

  async readCountersOfMembers(setKey: string, templates: readonly CounterTemplate[]): Promise<MemberCounters> {
    checkTemplates(setKey, templates);
    const fullSetKey = this.fullKey(setKey);
    // KEYS get ioredis's own prefix from ioredis; the keys built by the script do not.
    const clientKey = (part: string | MemberAffix): [string, string, string] =>
      typeof part === 'string'
        ? [this.clientKeyPrefix + this.fullKey(part), '', '0']
        : [this.clientKeyPrefix + this.fullKey(part.prefix), part.suffix, '1'];
    const args = [String(templates.length)];
    templates.forEach(({ key, field }, index) => {
      const keyArgs = clientKey(key);
      if (isCluster(this.client)) this.checkSameSlot(this.clientKeyPrefix + fullSetKey, keyArgs, index);
      args.push(...keyArgs);
      args.push(...(typeof field === 'string' ? [field, '', '0'] : [field.prefix, field.suffix, '1']));
    });
    await this.connected();
    const reply = await this.script(READ_COUNTERS_OF_MEMBERS_SCRIPT.name)(fullSetKey, ...args);
    return parseMemberCounters(reply, templates.length, `the counters of the members of ${fullSetKey}`);
  }

  async addActiveUsers(writes: readonly ActiveUsersOfDay[]): Promise<void> {
    checkActiveWrites(writes);
    await this.connected();
    await this.activeDays.add(writes);
  }

  async invalidateActiveDays(days: readonly string[]): Promise<void> {
    checkDayIds('invalidateActiveDays', days);
    await this.connected();
    await this.activeDays.invalidate(days);
  }

  async countActiveUsers(queries: readonly ActiveUsersQuery[]): Promise<ActiveUsersAnswer[]> {
    checkActiveQueries(queries);
    await this.connected();
    return this.activeDays.count(queries);
  }

  // ── Active-user analytics: the index read back as sets ──
  async readActiveDays(days: readonly string[], users: readonly string[], first?: FirstActivityWindow, logs?: readonly string[]): Promise<ActiveDayMembers> {
    checkReadActiveDays(days, users, first, logs);
    await this.connected();
    return this.activeDays.members(days, users, first, logs);
  }

  async readActiveDayUnions(unions: readonly (readonly string[])[], logs: readonly string[]): Promise<ActiveDayUnions> {
    checkReadActiveDayUnions(unions, logs);
    await this.connected();
    return this.activeDays.unions(unions, logs);
  }

  async readActiveDaysAmong(unions: readonly (readonly string[])[], users: readonly string[]): Promise<ActiveDaysAmong> {
    checkReadActiveDaysAmong(unions, users);
    await this.connected();
    return this.activeDays.among(unions, users);
  }

  async countActiveUsersPerTenant(query: { readonly days: readonly string[]; readonly users: readonly string[] }): Promise<ActiveUsersPerTenant> {
    checkActiveUsersPerTenantQuery(query);
    // A pairs index is a namespace (one slot); the site's own index on a Cluster is sharded by user.
    const index = this.activeDays;
    if (!(index instanceof RedisActiveDays)) throw new InvalidStoreArgumentError('countActiveUsersPerTenant', 'this', 'a namespace of the store (activeDaysIn)', 'the sharded site index');
    await this.connected();
    return index.perTenant(query.days, query.users);
  }

  async addActiveDayLog(write: ActiveDayLogWrite): Promise<void> {
    checkActiveDayLog(write);
    await this.connected();
    await this.activeDays.addDayLog(write);
  }

  async takeStalePendingDays(claimedBeforeMs: number): Promise<string[]> {
    checkInteger('takeStalePendingDays', 'claimedBeforeMs', claimedBeforeMs, 0);
    await this.connected();
    return this.activeDays.takeStalePending(claimedBeforeMs);
  }

  async beginActiveDayBuilds(days: readonly ActiveDayRef[]): Promise<string[]> {
    checkActiveDayBuilds(days);
    await this.connected();
    return this.activeDays.beginDayBuilds(days);
  }

  async writeActiveDayBuilds(writes: readonly ActiveDayBuildWrite[]): Promise<boolean[]> {
    checkActiveDayBuildWrites(writes);
    await this.connected();
    return this.activeDays.writeDayBuilds(writes);
  }

  async beginFirstActivityBuild(calendar: string): Promise<string> {
    checkFirstActivityCalendar(calendar, 'beginFirstActivityBuild');
    await this.connected();
    return this.activeDays.beginFirstBuild(calendar);
  }

  async writeFirstActivityBuild(write: FirstActivityBuildWrite): Promise<boolean> {
    checkFirstActivityBuildWrite(write);
    await this.connected();
    return this.activeDays.writeFirstBuild(write);
  }

  async addFirstActivity(write: FirstActivityWrite): Promise<void> {
    checkFirstActivityWrite(write);
    await this.connected();
    await this.activeDays.addFirstActivity(write);
  }

  async invalidateFirstActivity(calendar: string): Promise<void> {
    checkFirstActivityCalendar(calendar);
    await this.connected();
    await this.activeDays.invalidateFirstActivity(calendar);
  }
  // ── end of active-user analytics ──

  /**
   * The namespaces holding an index: their numbering keys (`{activity:<namespace>}:numbers`,
   * written with a namespace's first user), found by SCAN on every master. Read by
   * `reindex` only: a scan of the keyspace, not a hot path.
   */
  async activeDayNamespaces(): Promise<string[]> {
    await this.connected();
    const nodes: Redis[] = isCluster(this.client) ? this.client.nodes('master') : [this.client];
    // SCAN takes no ioredis keyPrefix: the pattern and the keys carry it whole.
    const head = `${this.clientKeyPrefix}${this.fullKey('')}`;
    const tail = ':numbers';
    const glob = (text: string): string => text.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
    const found = new Set<string>();
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', `${glob(head)}{activity:*}${glob(tail)}`, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) {
          const namespace = namespaceOfTag(key.slice(head.length, key.length - tail.length));
          if (namespace !== null) found.add(namespace);
        }
      } while (cursor !== '0');
    }
    return [...found];
  }

  /**
   * Reads `maxmemory-policy` (`CONFIG GET`, on every master of a Cluster): an
   * `allkeys-*` policy may evict any key, the index's user numbering included, which
   * no day can detect. `volatile-*` policies evict only keys with an expiry (days,
   * claims, date buckets of metricas), which the index detects and rebuilds.
   * Where `CONFIG` is refused (managed services, ACLs) or Redis is unreachable, says
   * so once in the log and answers `null`: the setting is then the operator's to check.
   */
  async indexEvictionRisk(): Promise<string | null> {
    await this.connected();
    const nodes: Redis[] = isCluster(this.client) ? this.client.nodes('master') : [this.client];
    const policies = await Promise.all(
      nodes.map((node) =>
        node.config('GET', 'maxmemory-policy').then(
          (reply) => (Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : null),
          (error: unknown) => {
            this.logger.log(
              `Could not read Redis' maxmemory-policy (${error instanceof Error ? error.message : String(error)}); ` +
                'the active-users index assumes Redis never evicts its keys: keep maxmemory-policy noeviction or volatile-* (docs/operations.md).',
            );
            return null;
          },
        ),
      ),
    );
    const evicting = policies.find((policy) => policy !== null && /^allkeys-/.test(policy));
    return evicting
      ? `Redis maxmemory-policy is ${evicting}: when memory runs out Redis may evict any key, the active-users index's user numbering and metrica counters included`
      : null;
  }

  /**
   * Closes the client the store created; a client it was given stays open. Nest
   * calls it last (`onApplicationShutdown`), after the metricas and tracking have
   * stored what was pending in `onModuleDestroy` / `beforeApplicationShutdown`.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  /** Closes the client the store created (idempotent); a client it was given stays open. */
  async close(): Promise<void> {
    if (!this.ownsClient || this.client.status === 'end') return;
    try {
      await this.client.quit();
    } catch {
      // Not connected (quit cannot be sent): drop the connection attempts instead.
      this.client.disconnect();
    }
  }

  private fullKey(key: string): string {
    return `${this.keyPrefix}:${key}`;
  }

  /**
   * Where a flush id is recorded: beside the counters of `slotKey` (a full key of
   * the call), so on a Cluster it shares their slot and their script.
   */
  private flushIdKey(flushId: string, slotKey: string): string {
    const plain = `${this.keyPrefix}:flush:${flushId}`;
    if (!isCluster(this.client)) return plain;
    const slot = keySlot(this.clientKeyPrefix + slotKey);
    const tagged = `${this.keyPrefix}:flush:{${tagOfSlot(slot)}}:${flushId}`;
    if (keySlot(this.clientKeyPrefix + tagged) === slot) return tagged;
    // A `{` in the key prefix without its `}` would move the tag: say so rather than write elsewhere.
    throw new InvalidOptionError('keyPrefix', 'a prefix whose braces do not open a hash tag', this.clientKeyPrefix + this.keyPrefix);
  }

  /** A lock's key: under the activity tag, which counter and choice keys never use. */
  private lockKey(name: string): string {
    return this.fullKey(`{activity}:lock:${name}`);
  }

  /** A mark's key: beside the locks, under the activity tag. */
  private markKey(name: string): string {
    return this.fullKey(`{activity}:mark:${name}`);
  }

  private rateLimitKey(subject: string): string {
    return this.activeDays.rateLimitKey(subject);
  }

  private script(name: string): ScriptRunner {
    return (this.client as unknown as Record<string, ScriptRunner>)[name].bind(this.client);
  }

  /**
   * On a Cluster, the script may only touch keys of its declared key's slot, and
   * Redis cannot check keys built from members before running it: so every
   * template key must be tied to the set's slot by its fixed text (a whole hash
   * tag in its prefix, whatever the member brings).
   */
  private checkSameSlot(fullSetKey: string, [text, , withMember]: [string, string, string], index: number): void {
    const bound = withMember === '0' || hashTagOf(text) !== text;
    if (bound && keySlot(text) === keySlot(fullSetKey)) return;
    throw new InvalidStoreArgumentError(
      'readCountersOfMembers',
      `templates[${index}].key`,
      `in the hash slot of the set on Redis Cluster (share its hash tag, in the key's fixed text or prefix)`,
      text,
    );
  }

  /**
   * Splits items into the groups one pipeline may carry: all of them on a single
   * Redis; one group per hash slot on a Cluster, since a pipeline must stay on one
   * node and a slot is the unit that moves between nodes. `fullKeyOf` gives an item's
   * key as this store names it (`fullKey`, the key prefix included).
   */
  private bySlot<T>(items: readonly T[], fullKeyOf: (item: T) => string): T[][] {
    if (!isCluster(this.client)) return [[...items]];
    const groups = new Map<number, T[]>();
    for (const item of items) {
      const slot = keySlot(this.clientKeyPrefix + fullKeyOf(item));
      const group = groups.get(slot);
      if (group) group.push(item);
      else groups.set(slot, [item]);
    }
    return [...groups.values()];
  }

  /**
   * With the offline queue off, a command sent before the first connection is up
   * would fail, so calls wait for the first connection attempt of a created client
   * to end (ready or failed). After that nothing waits: while Redis is down,
   * commands fail at once.
   */
  private async connected(): Promise<void> {
    if (!this.firstConnection) return;
    if (this.client.status === 'wait') this.client.connect().catch(() => undefined);
    await this.firstConnection;
  }

  private watchOwnClient(client: Redis): void {
    this.firstConnection = new Promise<void>((resolve) => {
      const settle = (): void => {
        client.off('ready', settle).off('error', settle).off('end', settle);
        this.firstConnection = null;
        resolve();
      };
      client.on('ready', settle).on('error', settle).on('end', settle);
    });
    // Our own listener also keeps ioredis from printing "Unhandled error event";
    // one line per outage, not one per reconnection attempt.
    client.on('error', (error: Error) => {
      if (this.reportedDown) return;
      this.reportedDown = true;
      this.logger.warn(`Redis is unreachable (${error.message}); souvenirs store calls fail until it is back.`);
    });
    client.on('ready', () => {
      if (!this.reportedDown) return;
      this.reportedDown = false;
      this.logger.log('Redis is reachable again.');
    });
  }
}

function isClient(value: unknown): value is Redis | Cluster {
  if (value instanceof Redis || value instanceof Cluster) return true;
  // Another copy of ioredis (a second install) fails `instanceof`: recognise its clients by shape.
  const candidate = value as Partial<Record<'pipeline' | 'defineCommand' | 'sendCommand', unknown>> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.pipeline === 'function' &&
    typeof candidate.defineCommand === 'function' &&
    typeof candidate.sendCommand === 'function'
  );
}

function isCluster(client: Redis | Cluster): client is Cluster {
  return client instanceof Cluster || client.isCluster === true;
}
