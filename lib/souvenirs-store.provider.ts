import { Logger, type FactoryProvider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { SOUVENIRS_OPTIONS } from './shared/souvenirs-options.token.js';
import type { ResolvedSouvenirsOptions } from './souvenirs.options.js';
import { MemorySouvenirsStore } from './store/memory/memory-souvenirs.store.js';
import { providedOrCreated } from './shared/provided-or-created.js';
import { RedisSouvenirsStore } from './store/redis/redis-souvenirs.store.js';
import { SouvenirsStore } from './store/souvenirs-store.interface.js';

/**
 * The store the module's options ask for: the `store` option (an instance as is; a
 * class taken from the application when it provides it, else instantiated by Nest
 * with its dependencies), Redis when `redis` is given, else the in-process memory
 * store, with one log line saying it only suits one process. Nest calls the store's
 * shutdown hook (after the metricas stored what was pending), which closes a client the
 * store created.
 * @internal
 */
export const souvenirsStoreProvider: FactoryProvider<SouvenirsStore> = {
  provide: SouvenirsStore,
  inject: [SOUVENIRS_OPTIONS, ModuleRef],
  useFactory: async ({ store, redis, keyPrefix }: ResolvedSouvenirsOptions, moduleRef: ModuleRef) => {
    if (typeof store === 'function') return providedOrCreated(moduleRef, store);
    if (store) return store;
    const logger = new Logger('Souvenirs');
    if (redis) return new RedisSouvenirsStore({ redis, keyPrefix, logger });
    logger.log(
      'No `redis` option: counters and activity rate limits live in this process memory. ' +
        'Fine for one process; give `redis` when several processes serve the app.',
    );
    return new MemorySouvenirsStore();
  },
};
