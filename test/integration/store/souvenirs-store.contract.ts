import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { describeActiveDaysCases } from './active-days.cases.js';
import { InvalidStoreArgumentError } from '../../../lib/errors/invalid-store-argument.error.js';
import { describeActiveDayMembersContract } from './active-day-members.contract.js';
import { describeActiveDayLogsContract } from './active-day-logs.contract.js';
import { describeActiveDaysAmongContract } from './active-days-among.contract.js';
import { describeActiveUsersPerTenantContract } from './active-users-per-tenant.contract.js';
import { describeFirstActivityContract } from './first-activity.contract.js';
import { describePrivacyCases } from './privacy.cases.js';
import type {
  CounterIncrements,
  CounterTemplate,
  KeyIncrements,
  MemberCounters,
  SouvenirsStore,
} from '../../../lib/store/souvenirs-store.interface.js';
import { amountsOf, cellsOf, counterIncrements } from '../../support/counter-increments.js';

/** What a contract run needs: a store, and how to dispose of it. */
export interface StoreUnderTest {
  store: SouvenirsStore;
  teardown(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const sorted = (values: string[]): string[] => [...values].sort();
/** A `readCountersOfMembers` answer as member → its counters, for order-free comparison. */
const byMember = ({ members, counters }: MemberCounters): Record<string, number[]> => {
  expect(counters).toHaveLength(members.length);
  return Object.fromEntries(members.map((member, index) => [member, counters[index]]));
};
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1, 12);

/**
 * The behaviour every {@link SouvenirsStore} must have, run against one store by
 * each spec that calls it. Every test works under its own random keys, so the
 * store may be shared by the whole run.
 */
export function describeSouvenirsStoreContract(
  name: string,
  setup: () => Promise<StoreUnderTest>,
  /** `activeDays: false` for a store without the optional index methods (counts then come from SQL). */
  { activeDays = true }: { activeDays?: boolean } = {},
): void {
  describe(`${name}: SouvenirsStore contract`, () => {
    let underTest: StoreUnderTest;
    let store: SouvenirsStore;
    /** A fresh name for one test's keys, with a hash tag and characters keys may carry. */
    const fresh = (label: string): string => `${label}:{${randomUUID()}}:é`;

    beforeAll(async () => {
      underTest = await setup();
      store = underTest.store;
    });
    afterAll(async () => {
      await underTest?.teardown();
    });

    if (activeDays) {
      describeActiveDaysCases(() => store, fresh);
      // Active-user analytics: the index read back as sets.
      describeActiveDayMembersContract(() => store);
      describeActiveDayLogsContract(() => store);
      describeActiveDaysAmongContract(() => store);
      describeActiveUsersPerTenantContract(() => store);
      describeFirstActivityContract(() => store);
      // Locks, and forgetting a user's claims and index entries (the built-in stores; optional for others).
      describePrivacyCases(() => store, { activeDays });
    }

    describe('rate-limit claims', () => {
      it('grants the first claim of a subject, with no previous time', async () => {
        const subject = fresh('user');
        await expect(store.claimRateLimit(subject, T0, HOUR)).resolves.toEqual({
          subject, whenMs: T0, limitMs: HOUR, previousMs: null,
        });
      });

      it('refuses a claim within the limit and grants one at exactly last + limit', async () => {
        const subject = fresh('user');
        await store.claimRateLimit(subject, T0, HOUR);
        await expect(store.claimRateLimit(subject, T0 + HOUR - 1, HOUR)).resolves.toBeNull();
        await expect(store.claimRateLimit(subject, T0 + HOUR, HOUR)).resolves.toEqual({
          subject, whenMs: T0 + HOUR, limitMs: HOUR, previousMs: T0,
        });
      });

      it('refuses an event time older than the last one, as the original does', async () => {
        const subject = fresh('user');
        await store.claimRateLimit(subject, T0, HOUR);
        await expect(store.claimRateLimit(subject, T0 - 10 * HOUR, HOUR)).resolves.toBeNull();
      });

      it('grants exactly one of 50 concurrent claims for one subject', async () => {
        const subject = fresh('user');
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => store.claimRateLimit(subject, T0 + i, HOUR)),
        );
        expect(results.filter((claim) => claim !== null)).toHaveLength(1);
      });

      it('keeps subjects independent', async () => {
        const [a, b] = [fresh('a'), fresh('b')];
        await store.claimRateLimit(a, T0, HOUR);
        await expect(store.claimRateLimit(b, T0, HOUR)).resolves.not.toBeNull();
        await expect(store.claimRateLimit(a, T0, HOUR)).resolves.toBeNull();
      });

      it('accepts subjects of any characters', async () => {
        const subject = `{}{x} *?[ab]\\ ${fresh('ü🙂')} ::`;
        await expect(store.claimRateLimit(subject, T0, HOUR)).resolves.not.toBeNull();
        await expect(store.claimRateLimit(subject, T0 + 1, HOUR)).resolves.toBeNull();
      });

      it('release restores the previous last time, so a retry is granted', async () => {
        const subject = fresh('user');
        await store.claimRateLimit(subject, T0, HOUR);
        const claim = await store.claimRateLimit(subject, T0 + HOUR, HOUR);
        await store.releaseRateLimit(claim!);
        // T0 stands again: still limited before T0 + HOUR, granted from it.
        await expect(store.claimRateLimit(subject, T0 + HOUR - 1, HOUR)).resolves.toBeNull();
        await expect(store.claimRateLimit(subject, T0 + HOUR, HOUR)).resolves.toEqual({
          subject, whenMs: T0 + HOUR, limitMs: HOUR, previousMs: T0,
        });
      });

      it('release of a first claim leaves no last time', async () => {
        const subject = fresh('user');
        const claim = await store.claimRateLimit(subject, T0, HOUR);
        await store.releaseRateLimit(claim!);
        await expect(store.claimRateLimit(subject, T0, HOUR)).resolves.toEqual({
          subject, whenMs: T0, limitMs: HOUR, previousMs: null,
        });
      });

      it('release does nothing once a newer claim has replaced the released one', async () => {
        const subject = fresh('user');
        const first = await store.claimRateLimit(subject, T0, HOUR);
        await store.claimRateLimit(subject, T0 + HOUR, HOUR);
        await store.releaseRateLimit(first!);
        await expect(store.claimRateLimit(subject, T0 + HOUR + 1, HOUR)).resolves.toBeNull();
        await expect(store.claimRateLimit(subject, T0 + 2 * HOUR, HOUR)).resolves.toMatchObject({ previousMs: T0 + HOUR });
      });

      it('forgets a claim after limitMs of wall time', async () => {
        const subject = fresh('user');
        await store.claimRateLimit(subject, T0, 300);
        await expect(store.claimRateLimit(subject, T0, 300)).resolves.toBeNull();
        await sleep(500);
        await expect(store.claimRateLimit(subject, T0, 300)).resolves.toEqual({
          subject, whenMs: T0, limitMs: 300, previousMs: null,
        });
      });

      it('rejects times that are not integers and limits below 1 ms', async () => {
        await expect(store.claimRateLimit(fresh('u'), 1.5, HOUR)).rejects.toThrow(InvalidStoreArgumentError);
        await expect(store.claimRateLimit(fresh('u'), T0, 0)).rejects.toThrow(InvalidStoreArgumentError);
        await expect(store.claimRateLimit(42 as unknown as string, T0, HOUR)).rejects.toThrow(InvalidStoreArgumentError);
      });
    });

    describe('counters', () => {
      it('adds increments up across calls, negative ones included', async () => {
        const key = fresh('m');
        await store.incrementCounters(counterIncrements([key, { a: 5 }]));
        await store.incrementCounters(counterIncrements([key, { a: 3, b: -4 }]));
        await store.incrementCounters(counterIncrements([key, { a: -10 }]));
        await expect(store.readCounters([{ key, field: 'a' }, { key, field: 'b' }])).resolves.toEqual([-2, -4]);
      });

      it('adds every field of a key in one batch to what the counters held', async () => {
        const key = fresh('m');
        await store.incrementCounters(counterIncrements([key, { x: 3 }]));
        await store.incrementCounters(counterIncrements([key, { x: 4, y: 7 }]));
        await expect(store.readCounters([{ key, field: 'x' }, { key, field: 'y' }])).resolves.toEqual([7, 7]);
      });

      it('reads 0 for a missing key or field, and answers in input order', async () => {
        const [key, other] = [fresh('m'), fresh('m')];
        await store.incrementCounters(counterIncrements([key, { '1': 1, '2': 2 }], [other, { '3': 3 }]));
        await expect(store.readCounters([
          { key: other, field: '3' }, { key, field: 'missing' }, { key, field: '2' },
          { key: fresh('none'), field: '1' }, { key, field: '1' }, { key: other, field: '3' },
        ])).resolves.toEqual([3, 0, 2, 0, 1, 3]);
      });

      it('creates a counter at 0 for an increment of 0', async () => {
        const key = fresh('m');
        await store.incrementCounters(counterIncrements([key, { z: 0 }]));
        await expect(store.readCounters([{ key, field: 'z' }])).resolves.toEqual([0]);
        await expect(store.readHash(key)).resolves.toEqual([['z', 0]]);
      });

      it('writes nothing to a key given without fields, nor changes its expiry', async () => {
        const [kept, none] = [fresh('kept'), fresh('none')];
        await store.incrementCounters(counterIncrements([kept, { n: 1 }, 0.3]));
        await store.incrementCounters(counterIncrements([kept, {}], [none, {}, 60]));
        await expect(store.readHash(none)).resolves.toEqual([]);
        await sleep(500);
        // A write without ttl would have made `kept` permanent: there was none.
        await expect(store.readCounters([{ key: kept, field: 'n' }])).resolves.toEqual([0]);
      });

      it('handles many keys and fields in one call', async () => {
        const base = randomUUID();
        const increments = new Map<string, KeyIncrements>();
        for (let k = 0; k < 200; k++) {
          increments.set(`${base}:${k}`, { fields: new Map([0, 1, 2].map((f) => [`f${f}`, k * 10 + f])), ttlSeconds: 60 });
        }
        await store.incrementCounters(increments);
        await expect(store.readCounters(cellsOf(increments))).resolves.toEqual(amountsOf(increments));
      });

      it('keeps keys and fields with hash tags, unicode and odd characters apart', async () => {
        const tag = randomUUID();
        const keys = [`{${tag}}:a`, `{${tag}}:b`, `x{}${tag}`, `{${tag}`, `${tag} *?[] ü 🙂`, `${tag}:\n`];
        const fields = ['', ':', '{f}', 'ü🙂', ' '];
        const increments = counterIncrements(...keys.map((key, k) => [key, fields.map((field, f) => [field, k * 100 + f + 1] as const)] as const));
        await store.incrementCounters(increments);
        await expect(store.readCounters(cellsOf(increments))).resolves.toEqual(amountsOf(increments));
      });

      it('does nothing for an empty batch and reads nothing for no cells', async () => {
        await expect(store.incrementCounters(new Map())).resolves.toBeUndefined();
        await expect(store.readCounters([])).resolves.toEqual([]);
      });

      it('expires a key ttlSeconds after its write, while one without ttl lives on', async () => {
        const [short, forever] = [fresh('short'), fresh('forever')];
        await store.incrementCounters(counterIncrements([short, { n: 1 }, 0.3], [forever, { n: 1 }]));
        await expect(store.readCounters([{ key: short, field: 'n' }])).resolves.toEqual([1]);
        await sleep(500);
        await expect(store.readCounters([{ key: short, field: 'n' }, { key: forever, field: 'n' }])).resolves.toEqual([0, 1]);
      });

      it('sets the expiry anew on each write, for the whole key', async () => {
        const key = fresh('m');
        await store.incrementCounters(counterIncrements([key, { old: 1 }, 1]));
        await sleep(600);
        await store.incrementCounters(counterIncrements([key, { new: 1 }, 1]));
        await sleep(600); // 1.2 s after the first write, 0.6 s after the second
        await expect(store.readCounters([{ key, field: 'old' }, { key, field: 'new' }])).resolves.toEqual([1, 1]);
        await sleep(700);
        await expect(store.readCounters([{ key, field: 'old' }, { key, field: 'new' }])).resolves.toEqual([0, 0]);
      });

      it('makes a key permanent again when written without ttl', async () => {
        const key = fresh('m');
        await store.incrementCounters(counterIncrements([key, { n: 1 }, 0.3]));
        await store.incrementCounters(counterIncrements([key, { n: 1 }]));
        await sleep(500);
        await expect(store.readCounters([{ key, field: 'n' }])).resolves.toEqual([2]);
      });

      it('rejects a bad increment and writes nothing of its batch', async () => {
        const key = fresh('m');
        const other = fresh('m');
        const bad: unknown[] = [1.5, Number.NaN, '3', Number.MAX_SAFE_INTEGER + 1, Number.MAX_SAFE_INTEGER + 2];
        for (const by of bad) {
          await expect(store.incrementCounters(counterIncrements([key, { ok: 1, bad: by as number }])))
            .rejects.toThrow(InvalidStoreArgumentError);
          // The bad key last: the good key before it is not written either.
          await expect(store.incrementCounters(counterIncrements([other, { ok: 1 }], [key, { bad: by as number }])))
            .rejects.toThrow(InvalidStoreArgumentError);
        }
        await expect(store.incrementCounters(counterIncrements([key, { ok: 1 }, 0]))).rejects.toThrow(InvalidStoreArgumentError);
        await expect(store.incrementCounters(counterIncrements([key, { ok: 1 }, -1]))).rejects.toThrow(InvalidStoreArgumentError);
        await expect(store.readCounters([{ key, field: 'ok' }, { key, field: 'bad' }, { key: other, field: 'ok' }]))
          .resolves.toEqual([0, 0, 0]);
        await expect(store.readCounters([{ key, field: 7 as unknown as string }])).rejects.toThrow(InvalidStoreArgumentError);
      });

      it('rejects increments that are not a Map of key → { fields: Map, ttlSeconds? }, writing nothing', async () => {
        const key = fresh('m');
        const good: [string, KeyIncrements] = [key, { fields: new Map([['ok', 1]]) }];
        const bad: unknown[] = [
          [{ key, field: 'ok', by: 1 }],
          { [key]: { fields: { ok: 1 } } },
          null,
          new Map<unknown, unknown>([good, [7, { fields: new Map([['ok', 1]]) }]]),
          new Map<unknown, unknown>([good, [fresh('m'), null]]),
          new Map<unknown, unknown>([good, [fresh('m'), { fields: { ok: 1 } }]]),
          new Map<unknown, unknown>([good, [fresh('m'), { fields: new Map<unknown, number>([[7, 1]]) }]]),
          new Map<unknown, unknown>([good, [fresh('m'), { fields: new Map([['ok', 1]]), ttlSeconds: '60' }]]),
        ];
        for (const increments of bad) {
          await expect(store.incrementCounters(increments as CounterIncrements)).rejects.toThrow(InvalidStoreArgumentError);
        }
        await expect(store.readCounters([{ key, field: 'ok' }])).resolves.toEqual([0]);
      });
    });

    describe('whole hashes', () => {
      it('reads every field of a hash with its counter, none for a missing key', async () => {
        const key = fresh('h');
        await store.incrementCounters(counterIncrements([key, { a: 5, 'b:*:3': -2, 'ünï/cødé': 7 }], [fresh('other'), { a: 1 }]));
        await store.incrementCounters(counterIncrements([key, { a: 1 }]));
        const pairs = await store.readHash(key);
        expect(pairs.sort(([a], [b]) => (a < b ? -1 : 1))).toEqual([['a', 6], ['b:*:3', -2], ['ünï/cødé', 7]]);
        await expect(store.readHash(fresh('missing'))).resolves.toEqual([]);
      });

      it('reads fields of any characters back exactly: unicode, braces, colons, spaces, newlines, digits', async () => {
        const key = fresh('odd');
        const fields = ['{tag}:x', 'a b', 'line\nbreak\n', '12 34', ' ', '', '€ 5\n-3', '🦊:{}:*', '7'];
        await store.incrementCounters(counterIncrements([key, fields.map((field, index) => [field, index % 2 === 0 ? index + 1 : -index] as const)]));
        const pairs = await store.readHash(key);
        expect(new Map(pairs)).toEqual(new Map(fields.map((field, index) => [field, index % 2 === 0 ? index + 1 : -index])));
        expect(pairs).toHaveLength(fields.length);
      });

      it('reads a hash of thousands of fields whole, with counters up to the largest safe integer', async () => {
        const key = fresh('large');
        const count = 5_500;
        const amounts = Array.from({ length: count }, (_, index) => [`f:${index}`, index === 0 ? Number.MAX_SAFE_INTEGER : -index] as const);
        for (let at = 0; at < count; at += 1000) await store.incrementCounters(counterIncrements([key, amounts.slice(at, at + 1000)]));
        const pairs = await store.readHash(key);
        expect(pairs).toHaveLength(count);
        expect(new Map(pairs)).toEqual(new Map(amounts));
      });

      it('reads nothing once the hash expired, and refuses a key that is not a string', async () => {
        const key = fresh('short');
        await store.incrementCounters(counterIncrements([key, { n: 1 }, 0.2]));
        await expect(store.readHash(key)).resolves.toEqual([['n', 1]]);
        await sleep(400);
        await expect(store.readHash(key)).resolves.toEqual([]);
        await expect(store.readHash(7 as unknown as string)).rejects.toThrow(InvalidStoreArgumentError);
      });
    });

    describe('flush ids (exactly-once retries)', () => {
      it('the same flush id applied twice counts once', async () => {
        const key = fresh('m');
        const flushId = randomUUID();
        const batch = counterIncrements([key, { a: 3, b: -2 }, 60]);
        await store.incrementCounters(batch, flushId);
        await expect(store.incrementCounters(batch, flushId)).resolves.toBeUndefined();
        await expect(store.readCounters(cellsOf(batch))).resolves.toEqual([3, -2]);
      });

      it('applies distinct flush ids, and calls without an id, each time', async () => {
        const key = fresh('m');
        await store.incrementCounters(counterIncrements([key, { n: 1 }]), randomUUID());
        await store.incrementCounters(counterIncrements([key, { n: 1 }]), randomUUID());
        await store.incrementCounters(counterIncrements([key, { n: 1 }]));
        await store.incrementCounters(counterIncrements([key, { n: 1 }]));
        await expect(store.readCounters([{ key, field: 'n' }])).resolves.toEqual([4]);
      });

      it('counts a flush spread over many keys (hash slots on a Cluster) once, even when sent concurrently', async () => {
        const base = randomUUID();
        const increments: CounterIncrements = counterIncrements(...Array.from({ length: 50 }, (_, k) => [`${base}:${k}`, { f: k + 1 }] as const));
        const flushId = randomUUID();
        await Promise.all([1, 2, 3].map(() => store.incrementCounters(increments, flushId)));
        await store.incrementCounters(increments, flushId);
        await expect(store.readCounters(cellsOf(increments))).resolves.toEqual(amountsOf(increments));
      });

      it('rejects a flush id that is not a non-empty string, writing nothing', async () => {
        const key = fresh('m');
        for (const flushId of ['', 42, null]) {
          await expect(store.incrementCounters(counterIncrements([key, { n: 1 }]), flushId as string)).rejects.toThrow(InvalidStoreArgumentError);
        }
        await expect(store.readCounters([{ key, field: 'n' }])).resolves.toEqual([0]);
      });
    });

    describe('stored choices', () => {
      it('adds values and returns the members', async () => {
        const key = fresh('choices');
        await expect(store.addChoices(key, ['b', 'a'])).resolves.toBe(true);
        await expect(store.addChoices(key, ['c', 'a'])).resolves.toBe(true);
        expect(sorted(await store.getChoices(key))).toEqual(['a', 'b', 'c']);
        await expect(store.getChoices(fresh('none'))).resolves.toEqual([]);
      });

      it('does not count members already stored, or a value given twice, against maxChoices', async () => {
        const key = fresh('choices');
        await expect(store.addChoices(key, ['a', 'b', 'a'], 2)).resolves.toBe(true);
        await expect(store.addChoices(key, ['b', 'a', 'b'], 2)).resolves.toBe(true);
        expect(sorted(await store.getChoices(key))).toEqual(['a', 'b']);
      });

      it('adds nothing when the new values would go past maxChoices', async () => {
        const key = fresh('choices');
        await store.addChoices(key, ['a', 'b'], 3);
        await expect(store.addChoices(key, ['a', 'c', 'd'], 3)).resolves.toBe(false);
        expect(sorted(await store.getChoices(key))).toEqual(['a', 'b']);
        await expect(store.addChoices(key, ['c', 'a'], 3)).resolves.toBe(true);
        expect(sorted(await store.getChoices(key))).toEqual(['a', 'b', 'c']);
        await expect(store.addChoices(fresh('zero'), ['x'], 0)).resolves.toBe(false);
        await expect(store.addChoices(fresh('zero'), [], 0)).resolves.toBe(true);
      });

      it('accepts members already stored in a set past a lowered maxChoices, but no new value', async () => {
        const key = fresh('choices');
        await store.addChoices(key, ['a', 'b', 'c']);
        await expect(store.addChoices(key, ['c', 'a'], 2)).resolves.toBe(true);
        await expect(store.addChoices(key, ['a', 'd'], 2)).resolves.toBe(false);
        expect(sorted(await store.getChoices(key))).toEqual(['a', 'b', 'c']);
      });

      it('keeps values exactly: unicode, colons, braces, spaces and the empty string', async () => {
        const key = `{${randomUUID()}}:choices:{x}`;
        const values = ['', ' ', 'a:b:c', '{tag}', '}{', 'ü', '🙂 emoji', '日本語', 'line\nbreak', '*?[x]'];
        await expect(store.addChoices(key, values)).resolves.toBe(true);
        expect(sorted(await store.getChoices(key))).toEqual(sorted(values));
      });

      it('adds a large batch at once', async () => {
        const key = fresh('choices');
        const values = Array.from({ length: 2500 }, (_, i) => `v${i}`);
        await expect(store.addChoices(key, values, 2500)).resolves.toBe(true);
        expect(await store.getChoices(key)).toHaveLength(2500);
      });

      it('rejects values that are not strings and a negative maxChoices', async () => {
        const key = fresh('choices');
        await expect(store.addChoices(key, ['a', 3 as unknown as string])).rejects.toThrow(InvalidStoreArgumentError);
        await expect(store.addChoices(key, ['a'], -1)).rejects.toThrow(InvalidStoreArgumentError);
        await expect(store.getChoices(key)).resolves.toEqual([]);
      });
    });

    describe('counters of set members', () => {
      /** One hash tag for a test's set and counter keys, so they share a Cluster slot. */
      const tagged = (): string => `{${randomUUID()}}`;

      it('reads the members and the counters each template derives from them, together', async () => {
        const tag = tagged();
        const set = `${tag}:set`;
        await store.addChoices(set, ['a', 'b']);
        await store.incrementCounters(counterIncrements(
          [`${tag}:fixed`, { 'sa:*': 3, 'sb:*': 4 }],
          [`${tag}:v:a`, { all: 5 }],
          [`${tag}:v:b`, { all: 6 }],
        ));
        const templates: CounterTemplate[] = [
          { key: `${tag}:fixed`, field: { prefix: 's', suffix: ':*' } },
          { key: { prefix: `${tag}:v:`, suffix: '' }, field: 'all' },
        ];
        const answer = await store.readCountersOfMembers(set, templates);
        expect(sorted(answer.members)).toEqual(['a', 'b']);
        expect(byMember(answer)).toEqual({ a: [3, 5], b: [4, 6] });
      });

      it('reads 0 for a missing counter, key or field', async () => {
        const tag = tagged();
        const set = `${tag}:set`;
        await store.addChoices(set, ['here', 'gone']);
        await store.incrementCounters(counterIncrements([`${tag}:k:here`, { 'f:here': 7 }]));
        const answer = await store.readCountersOfMembers(set, [
          { key: { prefix: `${tag}:k:`, suffix: '' }, field: { prefix: 'f:', suffix: '' } },
          { key: { prefix: `${tag}:k:`, suffix: '' }, field: 'other' },
          { key: `${tag}:none`, field: { prefix: '', suffix: '' } },
        ]);
        expect(byMember(answer)).toEqual({ here: [7, 0, 0], gone: [0, 0, 0] });
      });

      it('answers no members for an empty or missing set, and empty rows for no templates', async () => {
        const tag = tagged();
        const template: CounterTemplate = { key: { prefix: `${tag}:v:`, suffix: '' }, field: 'n' };
        await expect(store.readCountersOfMembers(`${tag}:set`, [template])).resolves.toEqual({ members: [], counters: [] });
        await store.addChoices(`${tag}:set`, ['x', 'y']);
        const answer = await store.readCountersOfMembers(`${tag}:set`, []);
        expect(byMember(answer)).toEqual({ x: [], y: [] });
      });

      it('applies several templates per member, in template order, repeats and fixed cells included', async () => {
        const tag = tagged();
        const set = `${tag}:set`;
        const members = Array.from({ length: 30 }, (_, i) => `m${i}`);
        await store.addChoices(set, members);
        await store.incrementCounters(counterIncrements(
          [`${tag}:v:2024`, members.map((member, i) => [`p:${member}:*`, i + 1] as const)],
          [`${tag}:n:2024`, members.map((member, i) => [`p:${member}:*`, 100 + i] as const)],
          [`${tag}:v:2025`, members.map((member, i) => [`p:${member}:*`, 1000 * (i + 1)] as const)],
          [`${tag}:v:all`, { '*': 42 }],
        ));
        const field = { prefix: 'p:', suffix: ':*' };
        const answer = await store.readCountersOfMembers(set, [
          { key: `${tag}:v:2024`, field },
          { key: `${tag}:n:2024`, field },
          { key: `${tag}:v:2025`, field },
          { key: `${tag}:v:all`, field: '*' },
          { key: `${tag}:v:2024`, field },
        ]);
        expect(byMember(answer)).toEqual(
          Object.fromEntries(members.map((member, i) => [member, [i + 1, 100 + i, 1000 * (i + 1), 42, i + 1]])),
        );
      });

      it('keeps members with hash tags, braces, colons, unicode and the empty string exactly', async () => {
        const tag = tagged();
        const set = `${tag}:choices:{x}`;
        const members = ['', '{t}', '}{', 'a:b', 'ü🙂', ' ', '*?[x]'];
        await store.addChoices(set, members);
        await store.incrementCounters(counterIncrements(
          ...members.map((member, i) => [`${tag}:v:${member}:{k}`, { [`f{${member}}`]: i + 1 }] as const),
          [`${tag}:h`, members.map((member, i) => [`s${member}`, 10 * (i + 1)] as const)],
        ));
        const answer = await store.readCountersOfMembers(set, [
          { key: { prefix: `${tag}:v:`, suffix: ':{k}' }, field: { prefix: 'f{', suffix: '}' } },
          { key: `${tag}:h`, field: { prefix: 's', suffix: '' } },
        ]);
        expect(sorted(answer.members)).toEqual(sorted(members));
        expect(byMember(answer)).toEqual(Object.fromEntries(members.map((member, i) => [member, [i + 1, 10 * (i + 1)]])));
      });

      it('rejects a set key or template of the wrong shape', async () => {
        const tag = tagged();
        const bad: unknown[] = [
          [null],
          [{ key: 3, field: 'f' }],
          [{ key: `${tag}:k`, field: { prefix: 'p' } }],
          [{ key: { prefix: `${tag}:k`, suffix: 1 }, field: 'f' }],
        ];
        for (const templates of bad) {
          await expect(store.readCountersOfMembers(`${tag}:set`, templates as CounterTemplate[])).rejects.toThrow(InvalidStoreArgumentError);
        }
        await expect(store.readCountersOfMembers(`${tag}:set`, 'x' as unknown as CounterTemplate[])).rejects.toThrow(InvalidStoreArgumentError);
        await expect(store.readCountersOfMembers(7 as unknown as string, [])).rejects.toThrow(InvalidStoreArgumentError);
      });
    });
  });
}
