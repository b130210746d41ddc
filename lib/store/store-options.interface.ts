import type { Type } from '@nestjs/common';
import type { Cluster, Redis, RedisOptions } from 'ioredis';
import type { SouvenirsStore } from './souvenirs-store.interface.js';

/**
 * The `redis` option: an ioredis client or Cluster, `RedisOptions`, or a `redis://`,
 * `rediss://`, `valkey://` or `valkeys://` URL. Its home is here so only the storage
 * folder knows ioredis.
 *
 * @publicApi
 */
export type SouvenirsRedisOption = Redis | Cluster | RedisOptions | string;

/** The `store` option: a `SouvenirsStore` instance or class. @publicApi */
export type SouvenirsStoreOption = SouvenirsStore | Type<SouvenirsStore>;

/** The module options the storage reads. @internal */
export interface StorageOptions {
  redis?: SouvenirsRedisOption;
  store?: SouvenirsStoreOption;
  keyPrefix?: string;
}

/** What the store provider injects (`SOUVENIRS_STORAGE_OPTIONS`): defaults filled in. @internal */
export interface ResolvedStorageOptions {
  redis: SouvenirsRedisOption | undefined;
  store: SouvenirsStoreOption | undefined;
  keyPrefix: string;
}
