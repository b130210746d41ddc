import { SouvenirsCalendar } from '../../../../lib/calendar/souvenirs-calendar.js';
import { MetricaRegistry } from '../../../../lib/metricas/metrica.registry.js';
import type { SouvenirsStore } from '../../../../lib/store/souvenirs-store.interface.js';
import { resolveSouvenirsOptions, type ResolvedSouvenirsOptions, type SouvenirsModuleOptions } from '../../../../lib/souvenirs.options.js';

/** The module options a registry reads. */
export type MetricasOptions = Pick<SouvenirsModuleOptions, 'timeZone' | 'now' | 'metricas' | 'kickBuffer'>;

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
  registry(options?: MetricasOptions, store?: SouvenirsStore): Promise<MetricaRegistry>;
}

/**
 * What the registry is built from after its store, as the module derives it from the
 * given module options (the resolved options, then the calendar): spread it after the store.
 */
export function metricaOptions(given: MetricasOptions = {}): [ResolvedSouvenirsOptions, SouvenirsCalendar] {
  // Not validated first, so a test can reach the service's own checks with a value the boot would refuse.
  const options = resolveSouvenirsOptions(given);
  return [options, new SouvenirsCalendar(options)];
}

/** A context over a factory that is opened later (in `beforeAll`). */
export function contractContext(factory: () => StoreFactory): ContractContext {
  return {
    store: () => factory().create(),
    async registry(options = {}, store) {
      const registry = new MetricaRegistry(store ?? (await factory().create()), ...metricaOptions(options));
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
