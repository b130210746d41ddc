import { Inject, Injectable, Optional } from '@nestjs/common';
// Only the package's public entry points, as a third party's store would import them.
import {
  applyTemplatePart,
  checkCells,
  checkChoices,
  checkClaimArguments,
  checkFlushId,
  checkIncrements,
  checkReleasedClaim,
  checkString,
  checkTemplates,
  FLUSH_ID_TTL_MS,
  type CounterCell,
  type CounterIncrements,
  type CounterTemplate,
  type MemberCounters,
  type RateLimitClaim,
  type SouvenirsStore,
  withinRateLimit,
} from 'nestjs-souvenirs/store';

/** A token the application may provide, to show that Nest builds the store with its dependencies. */
export const MAP_STORE_LABEL = Symbol('MAP_STORE_LABEL');

interface Expiring<T> {
  value: T;
  /** Epoch ms after which the entry is gone; `null`: never. */
  expiresAt: number | null;
}

/**
 * A third store, as a user would write one: one `Map` per kind of state, expiry checked
 * on read, every method synchronous inside (so atomic in one process). It exists to
 * prove the `store` option and the contract suite are all a new store needs.
 */
@Injectable()
export class MapSouvenirsStore implements SouvenirsStore {
  readonly counters = new Map<string, Expiring<Map<string, number>>>();
  readonly sets = new Map<string, Set<string>>();
  readonly claims = new Map<string, Expiring<number>>();
  readonly flushIds = new Map<string, Expiring<true>>();

  constructor(@Optional() @Inject(MAP_STORE_LABEL) readonly label: string = 'unlabelled') {}

  async claimRateLimit(subject: string, whenMs: number, limitMs: number): Promise<RateLimitClaim | null> {
    checkClaimArguments(subject, whenMs, limitMs);
    const last = live(this.claims, subject);
    if (last !== undefined && withinRateLimit(whenMs, last, limitMs)) return null;
    this.claims.set(subject, { value: whenMs, expiresAt: Date.now() + limitMs });
    return { subject, whenMs, limitMs, previousMs: last ?? null };
  }

  async releaseRateLimit(claim: RateLimitClaim): Promise<void> {
    checkReleasedClaim(claim);
    if (live(this.claims, claim.subject) !== claim.whenMs) return;
    if (claim.previousMs === null) this.claims.delete(claim.subject);
    else this.claims.set(claim.subject, { value: claim.previousMs, expiresAt: Date.now() + claim.limitMs });
  }

  async incrementCounters(increments: CounterIncrements, flushId?: string): Promise<void> {
    const writes = checkIncrements(increments);
    checkFlushId(flushId);
    if (flushId !== undefined) {
      // A retried write carries the id of the first try: apply it once.
      if (live(this.flushIds, flushId)) return;
      this.flushIds.set(flushId, { value: true, expiresAt: Date.now() + FLUSH_ID_TTL_MS });
    }
    for (const { key, fields, ttlMs } of writes) {
      const hash = live(this.counters, key) ?? new Map<string, number>();
      for (const [field, by] of fields) hash.set(field, (hash.get(field) ?? 0) + by);
      this.counters.set(key, { value: hash, expiresAt: ttlMs === null ? null : Date.now() + ttlMs });
    }
  }

  async readCounters(cells: readonly CounterCell[]): Promise<number[]> {
    checkCells(cells);
    return cells.map(({ key, field }) => live(this.counters, key)?.get(field) ?? 0);
  }

  async readHash(key: string): Promise<Array<[string, number]>> {
    checkString('readHash', 'key', key);
    return [...(live(this.counters, key) ?? [])];
  }

  async addChoices(key: string, values: readonly string[], maxChoices?: number): Promise<boolean> {
    const set = this.sets.get(key) ?? new Set<string>();
    const fresh = checkChoices(key, values, maxChoices).filter((value) => !set.has(value));
    if (fresh.length === 0) return true;
    if (maxChoices !== undefined && set.size + fresh.length > maxChoices) return false;
    for (const value of fresh) set.add(value);
    this.sets.set(key, set);
    return true;
  }

  async getChoices(key: string): Promise<string[]> {
    checkString('getChoices', 'key', key);
    return [...(this.sets.get(key) ?? [])];
  }

  async readCountersOfMembers(setKey: string, templates: readonly CounterTemplate[]): Promise<MemberCounters> {
    checkTemplates(setKey, templates);
    const members = [...(this.sets.get(setKey) ?? [])];
    const counters = members.map((member) =>
      templates.map(({ key, field }) => live(this.counters, applyTemplatePart(key, member))?.get(applyTemplatePart(field, member)) ?? 0),
    );
    return { members, counters };
  }
}

/** The entry's value, or `undefined` once expired (and then dropped). */
function live<T>(map: Map<string, Expiring<T>>, key: string): T | undefined {
  const entry = map.get(key);
  if (entry && entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
    map.delete(key);
    return undefined;
  }
  return entry?.value;
}
