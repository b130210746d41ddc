import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { InvalidStoreArgumentError } from '../../../lib/errors/invalid-store-argument.error.js';
import type { ActiveDayMembers } from '../../../lib/store/active-day-members.interface.js';
import type { ActiveDayUnions } from '../../../lib/store/active-day-logs.interface.js';
import type { ActiveDayRef } from '../../../lib/store/active-days.interface.js';
import type { SouvenirsStore } from '../../../lib/store/souvenirs-store.interface.js';

const LATER = Date.now() + 3_600_000;
const START = Date.UTC(2024, 2, 30, 23);
const HOUR = 3_600_000;
/** How a day of the unions property is left: complete, written but never marked, never written, or invalidated after. */
const DAY_STATES = ['complete', 'unmarked', 'missing', 'invalidated'] as const;

/** A log of a reply as sorted `user@offset` strings, through the numbers of `users`; `null` when not complete. */
function logAsRows(reply: ActiveDayMembers, users: readonly string[], at = 0): string[] | null {
  const idOf = new Map<number, string>();
  reply.users.forEach((n, i) => n !== null && idOf.set(n, users[i]));
  const log = reply.logs![at];
  if (log === null) return null;
  const rows: string[] = [];
  for (let i = 0; i < log.rows.length; i += 2) rows.push(`${idOf.get(log.rows[i]) ?? `#${log.rows[i]}`}@${log.rows[i + 1]}`);
  return rows.sort();
}

/**
 * Day logs (`addActiveDayLog`, `readActiveDays`' logs): part of the store contract,
 * run by `describeSouvenirsStoreContract` on every store that keeps the index.
 */
export function describeActiveDayLogsContract(getStore: () => SouvenirsStore): void {
  describe('day logs', () => {
    const day = (): ActiveDayRef => ({ id: `UTC/${randomUUID()}`, expireAtMs: LATER, startMs: START });

    it('holds a build\'s rows once it is complete, numbered as the days of the reply; a later build replaces it', async () => {
      const store = getStore();
      const ref = day();
      const [a, b] = [randomUUID(), randomUUID()];
      await store.addActiveDayLog!({ day: ref, build: 7, users: [], whens: [], begin: true });
      await store.addActiveDayLog!({ day: ref, build: 7, users: [a, b], whens: [START, START + HOUR] });
      expect((await store.readActiveDays!([], [a, b], undefined, [ref.id])).logs).toEqual([null]);
      await store.addActiveDayLog!({ day: ref, build: 7, users: [a], whens: [START + 2 * HOUR], complete: true });
      await store.addActiveUsers!([{ day: ref, users: [a, b], complete: true }]);
      const reply = await store.readActiveDays!([ref.id], [a, b], undefined, [ref.id]);
      expect(logAsRows(reply, [a, b])).toEqual([`${a}@0`, `${a}@${2 * HOUR}`, `${b}@${HOUR}`].sort());
      expect(reply.days[0]!.toArray().sort()).toEqual(reply.users.map(Number).sort());
      // Another build begins: the first one's writes do nothing, the log is not complete until the new one is.
      await store.addActiveDayLog!({ day: ref, build: 8, users: [], whens: [], begin: true });
      await store.addActiveDayLog!({ day: ref, build: 7, users: [b], whens: [START + 5], complete: true });
      expect((await store.readActiveDays!([], [], undefined, [ref.id])).logs).toEqual([null]);
      await store.addActiveDayLog!({ day: ref, build: 8, users: [b], whens: [START + 9], complete: true });
      expect(logAsRows(await store.readActiveDays!([], [b], undefined, [ref.id]), [b])).toEqual([`${b}@9`]);
    });

    it('gets every row addActiveUsers adds to its day once the log exists, even while it is built; none before, none from a claim', async () => {
      const store = getStore();
      const ref = day();
      const [early, claimed, added, during] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      await store.addActiveUsers!([{ day: ref, users: [early], whens: [START + 1] }]);
      await store.addActiveDayLog!({ day: ref, build: 3, users: [], whens: [], begin: true });
      // A claim's row is not committed yet: it reaches the log by the add after its commit, not by the claim.
      expect(await store.claimRateLimit(during, START + 2, HOUR, ref)).not.toBeNull();
      await store.addActiveUsers!([{ day: ref, users: [during], whens: [START + 2] }]);
      await store.addActiveDayLog!({ day: ref, build: 3, users: [], whens: [], complete: true });
      expect(await store.claimRateLimit(claimed, START + 3 * HOUR, HOUR, ref)).not.toBeNull();
      const users = [early, claimed, added, during];
      expect(logAsRows(await store.readActiveDays!([], users, undefined, [ref.id]), users)).toEqual([`${during}@2`]);
      await store.addActiveUsers!([{ day: ref, users: [claimed], whens: [START + 3 * HOUR] }]);
      await store.addActiveUsers!([{ day: ref, users: [added, added], whens: [START + 4, START + 5] }]);
      // Without whens nothing is logged (a build of the day bitmap from SQL).
      await store.addActiveUsers!([{ day: ref, users: [early] }]);
      expect(logAsRows(await store.readActiveDays!([], users, undefined, [ref.id]), users)).toEqual(
        [`${during}@2`, `${claimed}@${3 * HOUR}`, `${added}@4`, `${added}@5`].sort(),
      );
    });

    it('drops a day\'s log when the day is invalidated or cleared', async () => {
      const store = getStore();
      const [one, two] = [day(), day()];
      const user = randomUUID();
      for (const ref of [one, two]) {
        await store.addActiveDayLog!({ day: ref, build: 2, users: [user], whens: [START], begin: true, complete: true });
      }
      expect((await store.readActiveDays!([], [], undefined, [one.id, two.id])).logs!.every((log) => log !== null)).toBe(true);
      await store.invalidateActiveDays!([one.id]);
      await store.addActiveUsers!([{ day: two, users: [user], clear: true, complete: true }]);
      expect((await store.readActiveDays!([], [], undefined, [one.id, two.id])).logs).toEqual([null, null]);
      // Gone, not just incomplete: an add appends nothing until a build begins again.
      await store.addActiveUsers!([{ day: one, users: [randomUUID()], whens: [START + 1] }]);
      await store.addActiveDayLog!({ day: one, build: 4, users: [], whens: [], begin: true, complete: true });
      expect((await store.readActiveDays!([], [], undefined, [one.id])).logs![0]!.rows).toHaveLength(0);
    });

    it('unites days in the store: each union holds the users of its days, or is null when one is not complete; logs as readActiveDays reads them', async () => {
      const store = getStore();
      // Brute-force model: the sets of ids written, mapped back from numbers through a witness log of the same reply.
      // 300 users numbered first: the property's users then have numbers past 255, so their days'
      // bitmaps are long ones (Redis ORs those 32 bytes at a step), empty days short ones.
      await store.addActiveUsers!([{ day: day(), users: Array.from({ length: 300 }, () => randomUUID()) }]);
      // Mostly complete days, so that many unions are complete too.
      const state = fc.oneof({ arbitrary: fc.constant(DAY_STATES[0]), weight: 5 }, fc.constantFrom(...DAY_STATES.slice(1)));
      const dayCase = fc.record({ state, users: fc.subarray([0, 1, 2, 3, 4, 5]), logged: fc.boolean() });
      await fc.assert(
        fc.asyncProperty(
          fc.array(dayCase, { minLength: 1, maxLength: 5 }),
          fc.array(fc.array(fc.nat(), { maxLength: 6 }), { maxLength: 4 }),
          async (cases, picks) => {
            const users = Array.from({ length: 6 }, () => randomUUID());
            const refs = cases.map(() => day());
            for (const [d, { state, users: held, logged }] of cases.entries()) {
              if (logged) await store.addActiveDayLog!({ day: refs[d], build: 2, users: [], whens: [], begin: true, complete: true });
              if (state !== 'missing') await store.addActiveUsers!([{ day: refs[d], users: held.map((u) => users[u]), whens: held.map((u) => START + u), complete: state !== 'unmarked' }]);
              if (state === 'invalidated') await store.invalidateActiveDays!([refs[d].id]);
            }
            const witness = day();
            await store.addActiveDayLog!({ day: witness, build: 2, users, whens: users.map((_, u) => START + u), begin: true, complete: true });
            const unions = picks.map((pick) => pick.map((at) => refs[at % refs.length].id));
            const reply: ActiveDayUnions = await store.readActiveDayUnions!(unions, [witness.id, ...refs.map(({ id }) => id)]);
            const idOf = new Map<number, string>();
            const rows = reply.logs[0]!.rows;
            for (let r = 0; r < rows.length; r += 2) idOf.set(rows[r], users[rows[r + 1]]);
            const complete = (id: string) => cases[refs.findIndex((ref) => ref.id === id)].state === 'complete';
            expect(reply.unions.map((union) => union && union.toArray().map((n) => idOf.get(n) ?? `#${n}`).sort())).toEqual(
              unions.map((days) => (days.every(complete) ? [...new Set(days.flatMap((id) => cases[refs.findIndex((ref) => ref.id === id)].users.map((u) => users[u])))].sort() : null)),
            );
            expect([...reply.incompleteDays].sort()).toEqual([...new Set(unions.flat().filter((id) => !complete(id)))].sort());
            // A log is dropped with its day's invalidation; else it holds the rows added since it began (none for a day never written).
            expect(reply.logs.slice(1).map((log) => log && [...log.rows].filter((_, r) => r % 2 === 0).map((n) => idOf.get(n)).sort())).toEqual(
              cases.map(({ state, users: held, logged }) => (!logged || state === 'invalidated' ? null : state === 'missing' ? [] : held.map((u) => users[u]).sort())),
            );
          },
        ),
        { numRuns: 30 },
      );
    });

    it('refuses day unions that are not arrays of day ids', async () => {
      const store = getStore();
      await expect(store.readActiveDayUnions!('x' as never, [])).rejects.toThrow(InvalidStoreArgumentError);
      await expect(store.readActiveDayUnions!([['UTC/x'], 'UTC/y' as never], [])).rejects.toThrow(InvalidStoreArgumentError);
      await expect(store.readActiveDayUnions!([[7 as never]], [])).rejects.toThrow(InvalidStoreArgumentError);
      await expect(store.readActiveDayUnions!([], [null as never])).rejects.toThrow(InvalidStoreArgumentError);
    });

    it('refuses a log write without the day\'s start, or with instants not one per user within the day', async () => {
      const store = getStore();
      const user = randomUUID();
      const { startMs: _, ...noStart } = day();
      await expect(store.addActiveDayLog!({ day: noStart, build: 2, users: [], whens: [], begin: true })).rejects.toThrow(InvalidStoreArgumentError);
      await expect(store.addActiveDayLog!({ day: day(), build: 1, users: [], whens: [] })).rejects.toThrow(InvalidStoreArgumentError);
      await expect(store.addActiveDayLog!({ day: day(), build: 2, users: [user], whens: [] })).rejects.toThrow(InvalidStoreArgumentError);
      await expect(store.addActiveDayLog!({ day: day(), build: 2, users: [user], whens: [START - 1] })).rejects.toThrow(InvalidStoreArgumentError);
      await expect(store.addActiveUsers!([{ day: noStart, users: [user], whens: [START] }])).rejects.toThrow(InvalidStoreArgumentError);
    });
  });
}
