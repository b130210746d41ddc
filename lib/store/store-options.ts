import type { ResolvedStorageOptions, StorageOptions } from './store-options.interface.js';

/** The storage's documented defaults. @internal */
export const DEFAULT_STORAGE_OPTIONS = { keyPrefix: 'souvenirs' } as const;

/** Derives the storage's options from the validated module options, once, at boot. @internal */
export function resolveStorageOptions({ redis, store, keyPrefix }: StorageOptions): ResolvedStorageOptions {
  return { redis, store, keyPrefix: keyPrefix ?? DEFAULT_STORAGE_OPTIONS.keyPrefix };
}
