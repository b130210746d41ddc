import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { InvalidStoreArgumentError } from '../../../lib/errors/invalid-store-argument.error.js';
import type { ActiveDayRef } from '../../../lib/store/active-days.interface.js';
import type { ActiveUsersPerTenant } from '../../../lib/store/active-users-per-tenant.interface.js';
import { rateLimitSubject } from '../../../lib/store/rate-limit-subject.js';
import type { SouvenirsStore } from '../../../lib/store/souvenirs-store.interface.js';

const LATER = Date.now() + 3_600_000;
/** How a day of the property is left: complete, built from "SQL", written but never marked, never written, or invalidated after. */
const DAY_STATES = ['complete', 'built', 'unmarked', 'missing', 'invalidated'] as const;
// Tenants of hostile names: braces (a hash tag), a comma and a quote, an emoji, a near-twin.
const TENANTS = ['acme', 'Acme', '{t}', '=1,"x"', '\u{1F600}'];

/** The reply sorted by tenant, to compare with a model. */
function sorted(reply: ActiveUsersPerTenant): ActiveUsersPerTenant {
  return 'tenants' in reply ? { tenants: [...reply.tenants].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) } : { incompleteDays: [...reply.incompleteDays].sort() };
}

/**
 * The billing run's store call on a pairs index (`countActiveUsersPerTenant`): part of
 * the store contract, run by `describeSouvenirsStoreContract` on every store that keeps it.
 */
export function describeActiveUsersPerTenantContract(getStore: () => SouvenirsStore): void {
  describe('active users per tenant (the pairs index)', () => {
    const day = (): ActiveDayRef => ({ id: `UTC/${randomUUID()}`, expireAtMs: LATER });
    /** A fresh pairs index: a namespace of its own, its numbering empty. */
    const pairsIndex = (): SouvenirsStore => getStore().activeDaysIn!(`pairs-${randomUUID()}`);

    it('counts each tenant’s distinct pairs over the union of the days and the pairs given, or names the days not complete', async () => {
      await fc.assert(
        fc.asyncProperty(
          // 200 users, so a tenant's pairs fill several blocks of 64, interleaved with the other tenants'.
          fc.array(fc.record({ state: fc.oneof({ arbitrary: fc.constant(DAY_STATES[0]), weight: 4 }, fc.constantFrom(...DAY_STATES.slice(1))), pairs: fc.array(fc.tuple(fc.nat({ max: 199 }), fc.nat({ max: TENANTS.length - 1 })), { maxLength: 400 }) }), {
            minLength: 0,
            maxLength: 4,
          }),
          fc.array(fc.nat(), { maxLength: 6 }),
          // Pairs of the edges: some in the days, some in none (never numbered), repeats.
          fc.array(fc.tuple(fc.nat({ max: 249 }), fc.nat({ max: TENANTS.length - 1 })), { maxLength: 30 }),
          async (cases, picks, edges) => {
            const store = pairsIndex();
            const run = randomUUID().slice(0, 8);
            const pair = ([user, tenant]: readonly [number, number]) => rateLimitSubject(`${run}-u${user}`, TENANTS[tenant]);
            const refs = cases.map(() => day());
            for (const [d, { state, pairs }] of cases.entries()) {
              const ids = pairs.map(pair);
              if (state === 'built') {
                const [build] = await store.beginActiveDayBuilds!([refs[d]]);
                await store.writeActiveDayBuilds!([{ day: refs[d], build, users: ids.slice(0, 150) }]);
                await store.writeActiveDayBuilds!([{ day: refs[d], build, users: ids.slice(150), finish: true }]);
              } else if (state !== 'missing') {
                // In two writes, so numbers are given by both the one-by-one and the bulk path.
                await store.addActiveUsers!([{ day: refs[d], users: ids.slice(0, 1) }]);
                await store.addActiveUsers!([{ day: refs[d], users: ids.slice(1), complete: state !== 'unmarked' }]);
              }
              if (state === 'invalidated') await store.invalidateActiveDays!([refs[d].id]);
            }
            const days = picks.flatMap((at) => (refs.length === 0 ? [] : [refs[at % refs.length].id]));
            const reply = await store.countActiveUsersPerTenant!({ days, users: edges.map(pair) });
            const caseOf = (id: string) => cases[refs.findIndex((ref) => ref.id === id)];
            const incomplete = [...new Set(days.filter((id) => !['complete', 'built'].includes(caseOf(id).state)))];
            if (incomplete.length > 0) {
              expect(sorted(reply)).toEqual({ incompleteDays: incomplete.sort() });
              return;
            }
            const active = new Set([...days.flatMap((id) => caseOf(id).pairs.map(pair)), ...edges.map(pair)]);
            const counts = new Map<string, number>();
            for (const id of active) {
              const tenant = id.slice(id.indexOf('\0') + 1);
              counts.set(tenant, (counts.get(tenant) ?? 0) + 1);
            }
            expect(sorted(reply)).toEqual(sorted({ tenants: [...counts] }));
          },
        ),
        { numRuns: 40 },
      );
    });

    it('counts a forgotten pair nowhere, and its tenant’s other pairs still', async () => {
      const store = pairsIndex();
      const ref = day();
      const pairs = Array.from({ length: 130 }, (_, i) => rateLimitSubject(`u${i}`, i % 2 === 0 ? 'even' : 'odd'));
      await store.addActiveUsers!([{ day: ref, users: pairs, complete: true }]);
      await store.forgetActiveUser!({ user: pairs[0], pendingBeforeMs: Date.now(), dropPending: true });
      expect(sorted(await store.countActiveUsersPerTenant!({ days: [ref.id], users: [] }))).toEqual({ tenants: [['even', 64], ['odd', 65]] });
      // Given again as an edge pair, it counts once more: it has no number, so it is in no day.
      expect(sorted(await store.countActiveUsersPerTenant!({ days: [ref.id], users: [pairs[0]] }))).toEqual({ tenants: [['even', 65], ['odd', 65]] });
    });

    it('refuses an id that is no (user, tenant) pair, before reading anything', async () => {
      const store = pairsIndex();
      await expect(store.countActiveUsersPerTenant!({ days: [], users: ['bare-user'] })).rejects.toBeInstanceOf(InvalidStoreArgumentError);
      await expect(store.countActiveUsersPerTenant!({ days: 'x' as never, users: [] })).rejects.toBeInstanceOf(InvalidStoreArgumentError);
    });
  });
}
