import { Inject } from '@nestjs/common';
import { SouvenirsStore } from './souvenirs-store.interface.js';

/**
 * The injection token of the module's `SouvenirsStore`.
 *
 * @publicApi
 */
export function getSouvenirsStoreToken(): symbol {
  return SouvenirsStore;
}

/**
 * Injects the module's `SouvenirsStore` (Redis or memory, as configured).
 *
 * @example
 * ```ts
 * constructor(@InjectSouvenirsStore() private readonly store: SouvenirsStore) {}
 * ```
 * @publicApi
 */
export const InjectSouvenirsStore = (): ParameterDecorator & PropertyDecorator => Inject(getSouvenirsStoreToken());
