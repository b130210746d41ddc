import { Logger, type FactoryProvider } from '@nestjs/common';
import type { ResolvedSouvenirsOptions } from '../souvenirs-options.defaults.js';
import { SOUVENIRS_RESOLVED_OPTIONS } from '../souvenirs.internal-constants.js';
import { MemorySouvenirsStore } from './memory-souvenirs.store.js';
import { RedisSouvenirsStore } from './redis-souvenirs.store.js';
import { SouvenirsStore } from './souvenirs-store.interface.js';

/**
 * The store the module's options ask for: Redis when `redis` is given, else the
 * in-process memory store, with one log line saying it only suits one process.
 * Nest calls the store's `onApplicationShutdown` (after the metricas stored what was pending), which closes a client the store created.
 * @internal
 */
export const souvenirsStoreProvider: FactoryProvider<SouvenirsStore> = {
  provide: SouvenirsStore,
  inject: [SOUVENIRS_RESOLVED_OPTIONS],
  useFactory: ({ redis, keyPrefix }: ResolvedSouvenirsOptions) => {
    const logger = new Logger('Souvenirs');
    if (redis) return new RedisSouvenirsStore({ redis, keyPrefix, logger });
    logger.log(
      'No `redis` option: counters and activity rate limits live in this process memory. ' +
        'Fine for one process; give `redis` when several processes serve the app.',
    );
    return new MemorySouvenirsStore();
  },
};
