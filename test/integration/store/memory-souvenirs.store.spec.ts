import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { InvalidOptionError } from '../../../lib/errors/invalid-option.error.js';
import { MemorySouvenirsStore } from '../../../lib/store/memory/memory-souvenirs.store.js';
import { counterIncrements } from '../../support/counter-increments.js';
import { describeSouvenirsStoreContract } from './souvenirs-store.contract.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

describeSouvenirsStoreContract('MemorySouvenirsStore', async () => {
  const store = new MemorySouvenirsStore();
  return { store, teardown: async () => store.onModuleDestroy() };
});

describe('MemorySouvenirsStore', () => {
  it('sweeps expired counters and claims out without their being read', async () => {
    const store = new MemorySouvenirsStore({ sweepIntervalMs: 20 });
    try {
      await store.incrementCounters(counterIncrements(['short', { f: 1 }, 0.05], ['kept', { f: 1 }]));
      await store.claimRateLimit('user', 0, 50);
      await store.addChoices('set', ['a']);
      expect(store.keyCount).toBe(4);
      await sleep(200);
      expect(store.keyCount).toBe(2); // the permanent counter and the set remain
    } finally {
      store.onModuleDestroy();
    }
  });

  it('stops sweeping once destroyed', async () => {
    const store = new MemorySouvenirsStore({ sweepIntervalMs: 20 });
    await store.incrementCounters(counterIncrements(['short', { f: 1 }, 0.02]));
    store.onModuleDestroy();
    await sleep(150);
    expect(store.keyCount).toBe(1); // expired, but only a read or a sweep would drop it
    await expect(store.readCounters([{ key: 'short', field: 'f' }])).resolves.toEqual([0]);
    expect(store.keyCount).toBe(0);
  });

  it('never keeps the process alive, even when not destroyed', async () => {
    const started = Date.now();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', './scripts/register-ts.mjs', 'test/integration/store/fixtures/memory-store-left-open.ts'],
      { cwd: repoRoot, timeout: 20_000 },
    );
    expect(stdout).toBe('ready\n');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('refuses a sweep interval that is not a positive number', () => {
    expect(() => new MemorySouvenirsStore({ sweepIntervalMs: 0 })).toThrow(InvalidOptionError);
    expect(() => new MemorySouvenirsStore({ sweepIntervalMs: Number.NaN })).toThrow(InvalidOptionError);
  });
});
