import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { ProcessRateLimit } from '../../../lib/activity/process-rate-limit.js';
import { InvalidStoreArgumentError } from '../../../lib/errors/invalid-store-argument.error.js';
import { MemorySouvenirsStore } from '../../../lib/store/memory/memory-souvenirs.store.js';
import { withinRateLimit } from '../../../lib/store/rate-limit-window.js';
import { RedisSouvenirsStore } from '../../../lib/store/redis/redis-souvenirs.store.js';
import type { SouvenirsStore } from '../../../lib/store/souvenirs-store.interface.js';
import { RecentActivity } from '../../../lib/tracking/recent-activity.js';
import { deleteKeysWithPrefix, randomKeyPrefix } from '../../support/redis-test-keys.js';

/**
 * The rate-limit window (`when < last + limit`) has one TypeScript home,
 * `withinRateLimit`, and one Lua copy in the Redis claim scripts (the plain claim,
 * and the claim that also adds the user to the active-users index, which embeds
 * it). Every place that applies it must agree, on the same inputs: a row written
 * at `last` under `limit`, then an event at `when`.
 */

const REDIS = { host: '127.0.0.1', port: 6379 };
const HOUR = 3_600_000;
/** The wall clock of the in-process implementations: fixed, so only event time decides. */
const NOW = Date.UTC(2024, 5, 1);
const prefix = randomKeyPrefix('test-souvenirs-window');

/** One case: the last written event time, the limit, and the next event time. */
interface WindowCase {
  readonly lastMs: number;
  readonly limitMs: number;
  readonly whenMs: number;
}

/**
 * Event times around 2024, limits from none to a day, and the next event mostly
 * on or next to the window's edges: at `last`, at `last + limit` (allowed), one ms
 * before it (limited), before `last` (a backfill into the past), or anywhere near.
 *
 * A store's claim also lives `limit` of wall-clock time, so a limit shorter than
 * two calls take could expire between them and grant what the window refuses (a
 * loaded CI machine can take over a second): random limits are none or at least a
 * minute (1 ms is one of the fixed cases, where the window grants anyway).
 */
const windowCase: fc.Arbitrary<WindowCase> = fc
  .record({
    lastMs: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
    limitMs: fc.oneof(fc.constant(0), fc.constant(60_000), fc.integer({ min: 60_000, max: 24 * HOUR })),
    offset: fc.oneof(
      fc.constant('edge' as const),
      fc.constant('before-edge' as const),
      fc.constant('last' as const),
      fc.integer({ min: -48 * HOUR, max: 48 * HOUR }),
    ),
  })
  .map(({ lastMs, limitMs, offset }) => {
    const whenMs =
      offset === 'edge' ? lastMs + limitMs : offset === 'before-edge' ? lastMs + limitMs - 1 : offset === 'last' ? lastMs : lastMs + offset;
    return { lastMs, limitMs, whenMs };
  });

let subjects = 0;
/** A subject never used before, so each case starts from no claim. */
const freshSubject = (): string => `u${++subjects}`;

function processRateLimit({ lastMs, limitMs, whenMs }: WindowCase): boolean {
  const limit = new ProcessRateLimit();
  expect(limit.claim('u', lastMs, limitMs, NOW)).not.toBeNull();
  const refused = limit.refuses('u', whenMs, NOW);
  // `refuses` (the check before the store) and `claim` (while the store is down) agree.
  expect(limit.claim('u', whenMs, limitMs, NOW) === null).toBe(refused);
  return refused;
}

function recentActivity({ lastMs, limitMs, whenMs }: WindowCase): boolean {
  const recent = new RecentActivity(limitMs);
  expect(recent.begin('u', null, lastMs)).toBe(true);
  recent.end('u', null, lastMs, true);
  return !recent.begin('u', null, whenMs);
}

/**
 * A store's shared claim. It takes no limit below 1 ms (a caller with no limit does
 * not claim), so limit 0 is its rejection: `null` here.
 */
async function storeClaim(store: SouvenirsStore, { lastMs, limitMs, whenMs }: WindowCase, indexed: boolean): Promise<boolean | null> {
  const subject = freshSubject();
  const day = indexed ? { id: `day-${subject}`, expireAtMs: Date.now() + HOUR } : undefined;
  if (limitMs < 1) {
    await expect(store.claimRateLimit(subject, lastMs, limitMs, day)).rejects.toThrow(InvalidStoreArgumentError);
    return null;
  }
  expect(await store.claimRateLimit(subject, lastMs, limitMs, day)).not.toBeNull();
  return (await store.claimRateLimit(subject, whenMs, limitMs, day)) === null;
}

describe('the rate-limit window: one rule, every implementation', () => {
  let raw: Redis;
  let redis: RedisSouvenirsStore;
  let memory: MemorySouvenirsStore;

  beforeAll(() => {
    raw = new Redis(REDIS);
    redis = new RedisSouvenirsStore({ redis: { ...REDIS }, keyPrefix: prefix });
    memory = new MemorySouvenirsStore();
  });
  afterAll(async () => {
    memory?.onModuleDestroy();
    await redis?.close();
    await deleteKeysWithPrefix(raw, prefix);
    await raw?.quit();
  });

  /** What every implementation answers for one case: is `when` rate-limited? */
  async function answers(input: WindowCase): Promise<Record<string, boolean | null>> {
    return {
      withinRateLimit: withinRateLimit(input.whenMs, input.lastMs, input.limitMs),
      ProcessRateLimit: processRateLimit(input),
      RecentActivity: recentActivity(input),
      MemorySouvenirsStore: await storeClaim(memory, input, false),
      'MemorySouvenirsStore, indexed': await storeClaim(memory, input, true),
      'Redis claim script': await storeClaim(redis, input, false),
      'Redis claim script, indexed': await storeClaim(redis, input, true),
    };
  }

  /** Every implementation answers `limited`; the stores refuse limit 0 instead. */
  function allSay(input: WindowCase, limited: boolean): Record<string, boolean | null> {
    const stores = input.limitMs < 1 ? null : limited;
    return {
      withinRateLimit: limited,
      ProcessRateLimit: limited,
      RecentActivity: limited,
      MemorySouvenirsStore: stores,
      'MemorySouvenirsStore, indexed': stores,
      'Redis claim script': stores,
      'Redis claim script, indexed': stores,
    };
  }

  it('agrees on random windows', async () => {
    await fc.assert(
      fc.asyncProperty(windowCase, async (input) => {
        const got = await answers(input);
        expect(got).toEqual(allSay(input, got.withinRateLimit as boolean));
      }),
      { numRuns: 300 },
    );
  });

  const last = Date.UTC(2024, 0, 1, 12);
  it.each([
    ['at last + limit is allowed', { lastMs: last, limitMs: HOUR, whenMs: last + HOUR }, false],
    ['1 ms before last + limit is limited', { lastMs: last, limitMs: HOUR, whenMs: last + HOUR - 1 }, true],
    ['at last itself is limited', { lastMs: last, limitMs: HOUR, whenMs: last }, true],
    ['a backfill into the past is limited', { lastMs: last, limitMs: HOUR, whenMs: last - 5 * HOUR }, true],
    ['a limit of 1 ms allows the next ms', { lastMs: last, limitMs: 1, whenMs: last + 1 }, false],
    ['a limit of 0 limits nothing, the same time included', { lastMs: last, limitMs: 0, whenMs: last }, false],
    ['a limit of 0 limits nothing, a backfill included', { lastMs: last, limitMs: 0, whenMs: last - HOUR }, false],
  ])('%s', async (_, input, limited) => {
    await expect(answers(input)).resolves.toEqual(allSay(input, limited));
  });
});
