import { describe, expect, it } from '@jest/globals';
import { MemorySouvenirsStore, RedisSouvenirsStore } from 'nestjs-souvenirs';
import {
  keepsActiveDayLogs,
  keepsActiveDays,
  keepsFirstActivity,
  readsActiveDayMembers,
  readsActiveDayUnions,
  readsActiveDaysAmong,
  type SouvenirsStore,
} from 'nestjs-souvenirs/store';
import { MapSouvenirsStore } from '../../support/map-souvenirs.store.js';

/** The memory store with some of its methods hidden, as a store that lacks them would be. */
function without(...methods: string[]): SouvenirsStore {
  const store = new MemorySouvenirsStore();
  for (const method of methods) Object.defineProperty(store, method, { value: undefined });
  return store;
}

describe('the optional parts of a store', () => {
  const parts = (store: SouvenirsStore): boolean[] => [keepsActiveDays(store), readsActiveDayMembers(store), keepsFirstActivity(store), keepsActiveDayLogs(store), readsActiveDayUnions(store), readsActiveDaysAmong(store)];

  it('are all kept by both built-in stores', async () => {
    expect(parts(new MemorySouvenirsStore())).toEqual([true, true, true, true, true, true]);
    // Never connected: the parts are read from the store's methods, not from Redis.
    const redis = new RedisSouvenirsStore({ redis: { lazyConnect: true }, keyPrefix: 'souvenirs-parts' });
    expect(parts(redis)).toEqual([true, true, true, true, true, true]);
    await redis.close();
  });

  it('are none of a store that only counts (the Map-backed one, as a third party would write it)', () => {
    expect(parts(new MapSouvenirsStore())).toEqual([false, false, false, false, false, false]);
  });

  it.each(['addActiveUsers', 'invalidateActiveDays', 'countActiveUsers', 'beginActiveDayBuilds', 'writeActiveDayBuilds'])('are not the index when %s is missing', (method) => {
    const store = without(method);
    expect(keepsActiveDays(store)).toBe(false);
    expect(keepsFirstActivity(store)).toBe(true);
  });

  it.each(['addFirstActivity', 'invalidateFirstActivity', 'beginFirstActivityBuild', 'writeFirstActivityBuild'])('are not first activity when %s is missing', (method) => {
    const store = without(method);
    expect(keepsFirstActivity(store)).toBe(false);
    expect(keepsActiveDays(store)).toBe(true);
  });

  it.each(['addActiveDayLog', 'readActiveDays'])('are not day logs when %s is missing', (method) => {
    expect(keepsActiveDayLogs(without(method))).toBe(false);
    expect(keepsActiveDays(without(method))).toBe(true);
  });

  it.each(['readActiveDayUnions', 'addActiveDayLog', 'readActiveDays'])('unite days in the store only with day logs and readActiveDayUnions (not when %s is missing)', (method) => {
    expect(readsActiveDayUnions(without(method))).toBe(false);
    expect(keepsActiveDays(without(method))).toBe(true);
  });

  it('read the days back only with readActiveDays', () => {
    expect(readsActiveDayMembers(without('readActiveDays'))).toBe(false);
  });

  it('intersect a subset in the store only with readActiveDaysAmong', () => {
    expect(readsActiveDaysAmong(without('readActiveDaysAmong'))).toBe(false);
    expect(readsActiveDayMembers(without('readActiveDaysAmong'))).toBe(true);
  });
});
