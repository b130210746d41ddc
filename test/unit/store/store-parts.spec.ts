import { describe, expect, it } from '@jest/globals';
import { MemorySouvenirsStore } from 'nestjs-souvenirs';
import { keepsActiveDays, keepsFirstActivity, readsActiveDayMembers, type SouvenirsStore } from 'nestjs-souvenirs/store';

/** The memory store with some of its methods hidden, as a store that lacks them would be. */
function without(...methods: string[]): SouvenirsStore {
  const store = new MemorySouvenirsStore();
  for (const method of methods) Object.defineProperty(store, method, { value: undefined });
  return store;
}

describe('the optional parts of a store', () => {
  it('are kept by a store with every method of each (the memory store)', () => {
    const store = new MemorySouvenirsStore();
    expect([keepsActiveDays(store), readsActiveDayMembers(store), keepsFirstActivity(store)]).toEqual([true, true, true]);
  });

  it.each(['addActiveUsers', 'invalidateActiveDays', 'countActiveUsers'])('are not the index when %s is missing', (method) => {
    const store = without(method);
    expect(keepsActiveDays(store)).toBe(false);
    expect(keepsFirstActivity(store)).toBe(true);
  });

  it.each(['addFirstActivity', 'invalidateFirstActivity'])('are not first activity when %s is missing', (method) => {
    const store = without(method);
    expect(keepsFirstActivity(store)).toBe(false);
    expect(keepsActiveDays(store)).toBe(true);
  });

  it('read the days back only with readActiveDays', () => {
    expect(readsActiveDayMembers(without('readActiveDays'))).toBe(false);
  });
});
