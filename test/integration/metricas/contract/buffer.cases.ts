import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ConsoleLogger, Logger, type LoggerService } from '@nestjs/common';
import { InvalidStoreArgumentError, KickDroppedError, StoreUnavailableError } from '../../../../lib/errors/index.js';
import { Axis } from '../../../../lib/metricas/axes/axis.js';
import { HierarchicalAxis } from '../../../../lib/metricas/axes/hierarchical-axis.js';
import { StoredChoiceAxis } from '../../../../lib/metricas/axes/stored-choice-axis.js';
import { CountingStore, FailingStore, FlakyChoicesStore, FlakyStore, WithholdingStore } from '../../../support/store-delegates.js';
import { sleep, times, type ContractContext } from './harness.js';

/** Collects the warnings the library logs. */
class WarningCollector implements LoggerService {
  readonly warnings: string[] = [];
  log(): void {}
  error(): void {}
  warn(message: unknown): void {
    this.warnings.push(String(message));
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Coalescing, flush, bounds and store failures of the kick buffer. */
export function bufferCases(ctx: ContractContext): void {
  describe('kick buffer', () => {
    let logs: WarningCollector;
    beforeEach(() => {
      logs = new WarningCollector();
      Logger.overrideLogger(logs);
    });
    afterEach(() => {
      Logger.overrideLogger(new ConsoleLogger());
    });

    it('coalesces 500 concurrent kicks into one store write, with exact totals', async () => {
      const store = new CountingStore(await ctx.store());
      const registry = await ctx.registry({}, store);
      const hits = registry.define({
        name: 'hits',
        axes: { route: new Axis({ choices: ['/a', '/b', '/c', '/d', '/e'] }), method: new Axis({ choices: ['GET', 'POST'] }) },
      });
      const routes = ['/a', '/b', '/c', '/d', '/e'] as const;
      await Promise.all(Array.from({ length: 500 }, (_, index) => hits.kick({ route: routes[index % 5], method: index % 4 === 0 ? 'POST' : 'GET' })));
      expect(store.calls.incrementCounters).toBe(1);
      // 500 kicks × 4 combinations × 6 buckets, merged into the distinct cells.
      expect(store.incrementSizes[0]).toBeLessThanOrEqual(6 * (1 + 5 + 2 + 10));
      expect(await hits.total()).toBe(500);
      expect(await hits.values().iterate('route')).toEqual(routes.map((route) => [route, 100]));
      expect(await hits.values().iterate('method')).toEqual([['GET', 375], ['POST', 125]]);
      expect(await hits.filter({ route: '/a', method: 'POST' }).total()).toBe(25);
    });

    it('stores each new choice once, then kicks with known values cost no extra call', async () => {
      const store = new CountingStore(await ctx.store());
      const registry = await ctx.registry({}, store);
      const ages = registry.define({ name: 'ages', axes: { age: new StoredChoiceAxis() } });
      await times(500, () => ages.kick({ age: Math.floor(Math.random() * 5) + 20 }));
      expect(store.calls.addChoices).toBeLessThanOrEqual(6); // 5 ages + the year
      expect(store.calls.incrementCounters).toBeLessThanOrEqual(3);
      const calls = { ...store.calls };
      await times(100, () => ages.kick({ age: 21 }));
      expect(store.calls.addChoices).toBe(calls.addChoices);
      expect(store.calls.incrementCounters).toBe(calls.incrementCounters + 1);
      expect(await ages.total()).toBe(600);
      expect((await ages.values().iterate('age')).reduce((sum, [, count]) => sum + count, 0)).toBe(600);
    });

    it('writes no cell whose kicks cancel out in a batch, and no call when all of them do', async () => {
      const store = new CountingStore(await ctx.store());
      const registry = await ctx.registry({}, store);
      const axes = { side: new Axis({ choices: ['a', 'b'] }) };
      const balance = registry.define({ name: 'balance', axes });
      await Promise.all([balance.kick({ side: 'a' }, { value: 3 }), balance.kick({ side: 'a' }, { value: -3 })]);
      expect(store.calls.incrementCounters).toBe(0);
      await Promise.all([
        balance.kick({ side: 'a' }, { value: 3 }),
        balance.kick({ side: 'a' }, { value: -3 }),
        balance.kick({ side: 'b' }, { value: 2 }),
      ]);
      // The same cells as a lone kick on side b: side a's cells summed to 0 and were left out.
      const reference = registry.define({ name: 'reference', axes });
      await reference.kick({ side: 'b' }, { value: 2 });
      expect(store.incrementSizes).toHaveLength(2);
      expect(store.incrementSizes[0]).toBe(store.incrementSizes[1]);
      expect(await balance.values().iterate('side')).toEqual([['a', 0], ['b', 2]]);
      expect(await balance.total()).toBe(2);
    });

    it('refuses kicks whose sum in a batch passes what a counter holds exactly, writing none of them', async () => {
      const registry = await ctx.registry();
      const big = registry.define({ name: 'big' });
      // Each value alone is a counter's exact maximum; their batch's sum is not.
      const kicks = [big.kick({}, { value: Number.MAX_SAFE_INTEGER }), big.kick({}, { value: 1 })];
      for (const kick of kicks) await expect(kick).rejects.toBeInstanceOf(InvalidStoreArgumentError);
      expect(registry.droppedKicks).toBe(2);
      expect(await big.total()).toBe(0);
    });

    it('flush() stores every kick issued so far, without waiting for the flush interval', async () => {
      const store = new CountingStore(await ctx.store());
      const registry = await ctx.registry({ kickBuffer: { maxCells: 100_000, flushIntervalMs: 60_000, trackingFlushIntervalMs: 1000, retryForMs: 10_000 } }, store);
      const clicks = registry.define({ name: 'clicks' });
      const kicks = Array.from({ length: 20 }, () => clicks.kick());
      await nextTurn();
      expect(store.calls.incrementCounters).toBe(0);
      await registry.flush();
      expect(store.calls.incrementCounters).toBe(1);
      await Promise.all(kicks);
      expect(await clicks.total()).toBe(20);
      await registry.onApplicationShutdown();
    });

    it('is bounded: with the store withholding, kicks past maxCells are dropped, counted and logged once', async () => {
      const store = new WithholdingStore(await ctx.store());
      const registry = await ctx.registry({ kickBuffer: { maxCells: 100, flushIntervalMs: 0, trackingFlushIntervalMs: 1000, retryForMs: 10_000 } }, store);
      const choices = Array.from({ length: 50 }, (_, index) => `k${index}`);
      const bounded = registry.define({ name: 'bounded', axes: { k: new Axis({ choices }) } });
      const first = bounded.kick({ k: 'k0' });
      // Its year is stored first (one addChoices), then its write goes out and is held.
      for (const deadline = Date.now() + 5_000; store.heldWrites === 0 && Date.now() < deadline; ) await sleep(2);
      expect(store.heldWrites).toBe(1);
      const kicks = choices.slice(1).map((k) => bounded.kick({ k }).then(() => 'stored', (error: unknown) => error));
      await nextTurn();
      // Each kick needs 12 cells (2 combinations × 6 buckets), 6 of them shared: 12 + 14 × 6 = 96 ≤ 100,
      // so 15 kicks wait and the other 34 are dropped at once.
      expect(registry.droppedKicks).toBe(34);
      expect(logs.warnings).toHaveLength(1);
      expect(logs.warnings[0]).toMatch(/Dropped a kick of metrica "bounded": \d+ counters already wait for the store \(kickBuffer.maxCells 100\)/);
      store.release();
      const outcomes = await Promise.all(kicks);
      await first;
      const dropped = outcomes.filter((outcome) => outcome instanceof KickDroppedError);
      expect(dropped).toHaveLength(34);
      expect((dropped[0] as Error).message).toMatch(/dropped: 100 counters are already waiting for the store \(kickBuffer.maxCells\)/);
      expect(outcomes.filter((outcome) => outcome === 'stored')).toHaveLength(15);
      expect(await bounded.total()).toBe(16);
      const perValue = await bounded.values().iterate('k');
      expect(perValue.filter(([, count]) => count === 1).map(([k]) => k)).toEqual(choices.slice(0, 16));
    });

    it('rejects the kicks of a batch the store refuses, counts them as dropped and logs at a bounded rate', async () => {
      const store = new FailingStore(await ctx.store());
      // No retries: the failure is final at once (retries have their own cases).
      const registry = await ctx.registry({ kickBuffer: { maxCells: 100_000, flushIntervalMs: 0, trackingFlushIntervalMs: 1000, retryForMs: 0 } }, store);
      const fragile = registry.define({ name: 'fragile' });
      const outcomes = await Promise.all(Array.from({ length: 5 }, () => fragile.kick().catch((error: unknown) => error)));
      // Typed, the store's own error as the cause.
      expect(outcomes.every((outcome) => outcome instanceof StoreUnavailableError && outcome.cause === store.error)).toBe(true);
      expect(registry.droppedKicks).toBe(5);
      await Promise.all(Array.from({ length: 3 }, () => fragile.kick().catch(() => undefined)));
      expect(registry.droppedKicks).toBe(8);
      expect(logs.warnings).toHaveLength(1);
      expect(logs.warnings[0]).toMatch(/5 metrica kicks could not be stored and were dropped: StoreUnavailableError: .*Error: store unreachable \(test\)/);
      // A kick nobody awaits does not crash the process: its failure is already logged.
      void fragile.kick();
      await registry.flush();
      store.failing = false;
      await fragile.kick();
      expect(await fragile.total()).toBe(1);
      expect(registry.droppedKicks).toBe(9);
    });

    it.each(['before', 'after'] as const)(
      'retries a write whose connection failed %s the store applied it, with the same flush id: every kick resolves, counted once',
      async (when) => {
        const store = new FlakyStore(await ctx.store(), 2, when);
        const registry = await ctx.registry({}, store);
        const blips = registry.define({ name: 'blips', axes: { side: new Axis({ choices: ['l', 'r'] }) } });
        await Promise.all(Array.from({ length: 100 }, (_, index) => blips.kick({ side: index % 2 ? 'l' : 'r' })));
        expect(store.flushIds).toHaveLength(3);
        expect(new Set(store.flushIds).size).toBe(1);
        expect(store.flushIds[0]).toEqual(expect.any(String));
        expect(await blips.total()).toBe(100);
        expect(await blips.filter({ side: 'l' }).total()).toBe(50);
        expect(registry.droppedKicks).toBe(0);
        await blips.kick();
        expect(new Set(store.flushIds).size).toBe(2);
        expect(await blips.total()).toBe(101);
      },
    );

    it('retries storing a new stored choice like a write: kicks waiting for it are summed, resolve, and count once', async () => {
      // The first 6 calls storing choices fail as a lost connection does; the kicks must not be lost.
      const store = new FlakyChoicesStore(await ctx.store(), 6);
      const registry = await ctx.registry({ kickBuffer: { maxCells: 100_000, flushIntervalMs: 0, trackingFlushIntervalMs: 1000, retryForMs: 5_000 } }, store);
      const pages = registry.define({ name: 'first-pages', axes: { page: new StoredChoiceAxis() } });
      const kicks = Array.from({ length: 200 }, (_, index) => pages.kick({ page: index % 2 ? '/new' : '/newer' }));
      await nextTurn();
      // Waiting, summed: far fewer cells than 200 kicks' worth, and counted against maxCells.
      expect(registry.waitingCells).toBeGreaterThan(0);
      expect(registry.waitingCells).toBeLessThan(100);
      await Promise.all(kicks);
      expect(await pages.total()).toBe(200);
      expect(await pages.values().iterate('page')).toEqual([['/new', 100], ['/newer', 100]]);
      expect(registry.droppedKicks).toBe(0);
      expect(registry.waitingCells).toBe(0);
      // One call per member per attempt, shared by the waiting kicks, not one per kick.
      expect(store.calls.addChoices).toBeLessThan(20);
      expect(logs.warnings.some((line) => /Axis choices of metrica "first-pages" were stored after \d+ retries/.test(line))).toBe(true);
    });

    it('logs lost kicks at once, even right after a line saying a retry went through', async () => {
      // The choices go through after lost connections (a line), then the write fails past its retries (a loss).
      const store = new FailingStore(new FlakyChoicesStore(await ctx.store(), 2));
      const registry = await ctx.registry({ kickBuffer: { maxCells: 100_000, flushIntervalMs: 0, trackingFlushIntervalMs: 1000, retryForMs: 300 } }, store);
      const pages = registry.define({ name: 'late-pages', axes: { page: new StoredChoiceAxis() } });
      const failure = await pages.kick({ page: '/late' }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect(registry.droppedKicks).toBe(1);
      expect(logs.warnings).toEqual([
        expect.stringMatching(/Axis choices of metrica "late-pages" were stored after \d+ retries/),
        expect.stringMatching(/^1 metrica kicks could not be stored and were dropped/),
      ]);
    });

    it('drops a batch whose store stays unreachable past kickBuffer.retryForMs, counted and logged', async () => {
      const store = new FailingStore(await ctx.store());
      const registry = await ctx.registry({ kickBuffer: { maxCells: 100_000, flushIntervalMs: 0, trackingFlushIntervalMs: 1000, retryForMs: 400 } }, store);
      const lost = registry.define({ name: 'lost' });
      const started = Date.now();
      const failure = await lost.kick().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect((failure as StoreUnavailableError).cause).toBe(store.error);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect(Date.now() - started).toBeLessThan(5000); // bounded, with room for a loaded machine
      expect(store.calls.incrementCounters).toBeGreaterThan(2);
      expect(registry.droppedKicks).toBe(1);
      expect(logs.warnings.some((line) => /1 metrica kicks could not be stored and were dropped/.test(line))).toBe(true);
    });

    it('counts the cells of kicks in different minutes exactly: the hashes they share count once', async () => {
      const registry = await ctx.registry({ kickBuffer: { maxCells: 3, flushIntervalMs: 60_000, trackingFlushIntervalMs: 60_000, retryForMs: 0 } });
      const ticks = registry.define({ name: 'ticks', scales: ['minute'] });
      const at = (minute: number) => ({ date: new Date(Date.UTC(2024, 0, 1, 12, minute, 30)) });
      const kicks = [ticks.kick({}, at(0)), ticks.kick({}, at(1))]; // all-time + 12:00, then only 12:01 is new: 3 cells
      // Back to 12:00 (its cells wait already): nothing new. 12:02 would be a fourth cell.
      kicks.push(ticks.kick({}, at(0)));
      const refused = ticks.kick({}, at(2)).catch((error: unknown) => error);
      await expect(refused).resolves.toBeInstanceOf(KickDroppedError);
      expect(registry.waitingCells).toBe(3);
      await registry.flush();
      await Promise.all(kicks);
      expect(await ticks.total()).toBe(3);
      expect(await ticks.timespan({ year: 2024, month: 1, day: 1, hour: 12, minute: 0 }).total()).toBe(2);
      expect(await ticks.timespan({ year: 2024, month: 1, day: 1, hour: 12, minute: 1 }).total()).toBe(1);
    });

    it('sums 12,000 kicks of paths in one batch exactly, past the rows it keeps per combination, and counts their cells once', async () => {
      const registry = await ctx.registry();
      const reads = registry.define({ name: 'reads', axes: { category: new HierarchicalAxis() }, averaged: true });
      const paths = [['books', 'crime'], ['books', 'poetry'], ['music']];
      // One instant for every kick: on the clock, a minute turning mid-batch (a loaded machine) would add cells.
      const date = new Date(Date.UTC(2024, 0, 1, 12, 0, 30));
      for (const path of paths) await reads.kick({ category: path }, { value: 0, date }); // their choices stored: later kicks go straight to the batch
      // A path is encoded anew each kick (a new array), so each kick is a combination of its own: 12,000 of them pass the 10,000 kept before folding.
      const kick = (index: number) => reads.kick({ category: [...paths[index % 3]] }, { value: index % 7, date });
      const kicks = Array.from({ length: 300 }, (_, index) => kick(index));
      const cells = registry.waitingCells; // every distinct cell of the batch, its later kicks repeating them
      for (let index = 300; index < 12_000; index++) kicks.push(kick(index));
      kicks.push(reads.kick({ category: [...paths[0]] }, { value: 1, date }));
      expect(registry.waitingCells).toBe(cells);
      await Promise.all(kicks);
      const sum = (path: number) => Array.from({ length: 12_000 }, (_, index) => index).filter((index) => index % 3 === path).reduce((total, index) => total + (index % 7), 0);
      expect(await reads.count()).toBe(12_004);
      expect(await reads.total()).toBe(sum(0) + sum(1) + sum(2) + 1);
      expect(await reads.filter({ category: ['books'] }).total()).toBe(sum(0) + sum(1) + 1);
      expect(await reads.filter({ category: ['books', 'poetry'] }).count()).toBe(4_001);
      expect(await reads.filter({ category: ['music'] }).total()).toBe(sum(2));
    });

    it('bounds every lane together by one maxCells', async () => {
      const registry = await ctx.registry({ kickBuffer: { maxCells: 6, flushIntervalMs: 60_000, trackingFlushIntervalMs: 60_000, retryForMs: 0 } });
      const letters = registry.define({ name: 'letters', scales: [], axes: { letter: new Axis({ choices: ['a', 'b', 'c', 'd', 'e'] }) } });
      const other = registry.lane(30_000);
      // Each kick bumps two cells (all letters, its letter); "all" is shared within a lane.
      const plain = (['a', 'b', 'c'] as const).map((letter) => letters.kick({ letter })); // 4 cells wait
      const first = other.kick(letters, { letter: 'd' }); // 2 more: 6, the bound
      const refused = other.kick(letters, { letter: 'e' }).catch((error: unknown) => error);
      await expect(refused).resolves.toBeInstanceOf(KickDroppedError);
      expect(registry.droppedKicks).toBe(1);
      await registry.flush();
      await Promise.all([...plain, first]);
      expect(await letters.total()).toBe(4);
    });
  });
}
