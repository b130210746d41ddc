import type { CounterCell, CounterIncrements, KeyIncrements } from '../../lib/store/souvenirs-store.interface.js';

/** One key of a test's write: its key, its fields' amounts, and its lifetime in seconds. */
export type KeyWriteOfTest = readonly [key: string, fields: Record<string, number> | Iterable<readonly [string, number]>, ttlSeconds?: number];

/**
 * The argument of `incrementCounters`, written compactly:
 * `counterIncrements([key, { a: 3, b: -4 }, 60], [other, { n: 1 }])`. Each key once,
 * as a store takes it (a test giving a key twice is a mistake in the test).
 */
export function counterIncrements(...writes: readonly KeyWriteOfTest[]): CounterIncrements {
  const increments = new Map<string, KeyIncrements>();
  for (const [key, fields, ttlSeconds] of writes) {
    if (increments.has(key)) throw new Error(`counterIncrements: key ${key} given twice`);
    const entries = Symbol.iterator in fields ? [...(fields as Iterable<readonly [string, number]>)] : Object.entries(fields);
    increments.set(key, ttlSeconds === undefined ? { fields: new Map(entries) } : { fields: new Map(entries), ttlSeconds });
  }
  return increments;
}

/** Every cell an `incrementCounters` argument writes, in its order. */
export function cellsOf(increments: CounterIncrements): CounterCell[] {
  return [...increments].flatMap(([key, { fields }]) => [...fields.keys()].map((field) => ({ key, field })));
}

/** The amount of each cell of {@link cellsOf}, in the same order. */
export function amountsOf(increments: CounterIncrements): number[] {
  return [...increments.values()].flatMap(({ fields }) => [...fields.values()]);
}

/** How many cells an `incrementCounters` argument writes. */
export function cellCount(increments: CounterIncrements): number {
  let cells = 0;
  for (const { fields } of increments.values()) cells += fields.size;
  return cells;
}
