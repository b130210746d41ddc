import type { ResolvedSouvenirsOptions } from '../../../../lib/souvenirs-options.defaults.js';
import { resolveSouvenirsOptions } from '../../../../lib/souvenirs-options.validation.js';
import { MetricaRegistry } from '../../../../lib/metricas/metrica.registry.js';
import type { SouvenirsStore } from '../../../../lib/storage/souvenirs-store.interface.js';

/** Opens isolated stores of one kind (memory, Redis, Redis Cluster) for the contract suite. */
export interface StoreFactory {
  /** A store whose keys no other test sees (a fresh memory store, or a fresh key prefix). */
  create(): Promise<SouvenirsStore>;
  /** Removes everything the factory created. */
  close(): Promise<void>;
}

/** What each group of contract cases gets. */
export interface ContractContext {
  /** A fresh, isolated store. */
  store(): Promise<SouvenirsStore>;
  /** A registry with the given options, on `store` or a fresh one. */
  registry(options?: Partial<ResolvedSouvenirsOptions>, store?: SouvenirsStore): Promise<MetricaRegistry>;
}

/** Resolved module options as the module builds them (no tracking), with overrides. */
export function metricaOptions(overrides: Partial<ResolvedSouvenirsOptions> = {}): ResolvedSouvenirsOptions {
  return { ...resolveSouvenirsOptions({ track: false }), ...overrides };
}

/** A context over a factory that is opened later (in `beforeAll`). */
export function contractContext(factory: () => StoreFactory): ContractContext {
  return {
    store: () => factory().create(),
    async registry(options = {}, store) {
      const registry = new MetricaRegistry(store ?? (await factory().create()), metricaOptions(options));
      registry.onModuleInit();
      return registry;
    },
  };
}

/** `count` kicks of `kick`, concurrently. */
export async function times(count: number, kick: () => Promise<void>): Promise<void> {
  await Promise.all(Array.from({ length: count }, kick));
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
