import { describe, expect, it } from '@jest/globals';
import { InvalidStoreArgumentError } from '../../../lib/errors/invalid-store-argument.error.js';
import { StoreRefusedError } from '../../../lib/errors/store-refused.error.js';
import { StoreUnavailableError } from '../../../lib/errors/store-unavailable.error.js';
import { MemorySouvenirsStore } from '../../../lib/store/memory/memory-souvenirs.store.js';
import { RedisSouvenirsStore } from '../../../lib/store/redis/redis-souvenirs.store.js';
import { keepsActiveDays, keepsFirstActivity, readsActiveDayMembers } from '../../../lib/store/store-parts.js';
import { isTransientStoreError } from '../../../lib/store/transient-store-error.js';
import { STORE_OPERATIONS, SYNCHRONOUS_STORE_METHODS, typedStoreFailure, withTypedFailures } from '../../../lib/store/typed-store-failures.js';
import { CountingStore, FailingStore } from '../../support/store-delegates.js';

/** A Redis error reply as ioredis raises it (`ReplyError`). */
function replyError(message: string): Error {
  const error = new Error(message);
  error.name = 'ReplyError';
  return error;
}

describe('typedStoreFailure', () => {
  it('makes a lost connection a StoreUnavailableError, still transient, the driver error as cause', () => {
    const cause = new Error("Stream isn't writeable and enableOfflineQueue options is false");
    const typed = typedStoreFailure(cause, 'reading metrica counters');
    expect(typed).toBeInstanceOf(StoreUnavailableError);
    expect(typed.cause).toBe(cause);
    expect((typed as StoreUnavailableError).operation).toBe('reading metrica counters');
    expect(isTransientStoreError(typed)).toBe(true);
  });

  it('makes a refusal a StoreRefusedError, not transient, saying what to do about OOM', () => {
    const cause = replyError("OOM command not allowed when used memory > 'maxmemory'.");
    const typed = typedStoreFailure(cause, 'writing the active-users index');
    expect(typed).toBeInstanceOf(StoreRefusedError);
    expect(typed.cause).toBe(cause);
    expect(typed.message).toMatch(/refused writing the active-users index .*raise `maxmemory`/);
    expect(isTransientStoreError(typed)).toBe(false);
    expect(typedStoreFailure(replyError('CLUSTERDOWN The cluster is down'), 'x')).toBeInstanceOf(StoreUnavailableError);
  });

  it('keeps our own errors as they are', () => {
    const own = new InvalidStoreArgumentError('readHash', 'key', 'a string', 1);
    expect(typedStoreFailure(own, 'x')).toBe(own);
  });
});

describe('withTypedFailures', () => {
  it('keeps the store itself: its class, its parts, its answers', async () => {
    const store = new MemorySouvenirsStore();
    const typed = withTypedFailures(store);
    expect(typed).toBeInstanceOf(MemorySouvenirsStore);
    expect([keepsActiveDays(typed), readsActiveDayMembers(typed), keepsFirstActivity(typed)]).toEqual([true, true, true]);
    await typed.addChoices('k', ['a']);
    expect(await store.getChoices('k')).toEqual(['a']);
    expect(withTypedFailures(typed)).toBe(typed);
    // A store without a part is read as one without it through the wrapper too.
    expect(keepsActiveDays(withTypedFailures(new CountingStore(store)))).toBe(false);
  });

  it('rejects only with SouvenirsErrors, the store error as cause', async () => {
    const failing = new FailingStore(new MemorySouvenirsStore());
    const typed = withTypedFailures(failing);
    const error = await typed.incrementCounters(new Map([['k', { fields: new Map([['f', 1]]) }]])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).cause).toBe(failing.error);
    await expect(typed.readHash(1 as unknown as string)).rejects.toBeInstanceOf(InvalidStoreArgumentError);
  });
});

describe('withTypedFailures', () => {
  it('types every method the built-in stores implement, so a method added later cannot leak a raw driver error', () => {
    // Nest's lifecycle hooks are not store calls made by the services.
    const lifecycle = new Set(['constructor', 'onModuleInit', 'onModuleDestroy', 'onApplicationShutdown', 'onApplicationBootstrap', 'beforeApplicationShutdown']);
    const methods = (prototype: object) =>
      Object.getOwnPropertyNames(prototype).filter(
        (name) => !lifecycle.has(name) && !name.startsWith('_') && typeof Object.getOwnPropertyDescriptor(prototype, name)?.value === 'function',
      );
    const publicOf = (prototype: object) => methods(prototype).filter((name) => !/^(private|#)/.test(name));
    const shared = publicOf(MemorySouvenirsStore.prototype).filter((name) => publicOf(RedisSouvenirsStore.prototype).includes(name));
    expect(shared.filter((name) => !(name in STORE_OPERATIONS) && !SYNCHRONOUS_STORE_METHODS.has(name))).toEqual([]);
  });
});
