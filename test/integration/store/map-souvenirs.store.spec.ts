import 'reflect-metadata';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Global, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActivityService } from '../../../lib/activity/activity.service.js';
import { InvalidOptionError } from '../../../lib/errors/invalid-option.error.js';
import { MetricaRegistry } from '../../../lib/metricas/metrica.registry.js';
import { SouvenirsStore } from '../../../lib/store/souvenirs-store.interface.js';
import type { SouvenirsModuleOptions } from '../../../lib/souvenirs.options.js';
import { SouvenirsModule } from '../../../lib/souvenirs.module.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { MAP_STORE_LABEL, MapSouvenirsStore } from '../../support/map-souvenirs.store.js';
import { describeSouvenirsStoreContract } from './souvenirs-store.contract.js';

// The active-users index is optional: this store keeps none, so its counts come from SQL.
describeSouvenirsStoreContract(
  'MapSouvenirsStore (a third-party store)',
  async () => {
    const store = new MapSouvenirsStore();
    return { store, teardown: async () => undefined };
  },
  { activeDays: false },
);

/** Provides the store's dependency app-wide, as an application's own config module would. */
@Global()
@Module({ providers: [{ provide: MAP_STORE_LABEL, useValue: 'from the app' }], exports: [MAP_STORE_LABEL] })
class StoreConfigModule {}

describe('the `store` option', () => {
  let database: TestDatabase;
  let moduleRef: TestingModule | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });
  afterAll(async () => {
    await database?.drop();
  });

  const boot = async (options: SouvenirsModuleOptions) => {
    moduleRef = await Test.createTestingModule({
      imports: [StoreConfigModule, TypeOrmModule.forRoot(database.options), SouvenirsModule.forRoot({ track: false, ...options })],
    }).compile();
    await moduleRef.init();
    return moduleRef;
  };

  it('takes a class, built by Nest with its dependencies, and keeps counters and rate limits in it', async () => {
    const app = await boot({ store: MapSouvenirsStore, metricas: [{ name: 'orders' }] });
    const store = app.get<MapSouvenirsStore>(SouvenirsStore);
    expect(store).toBeInstanceOf(MapSouvenirsStore);
    expect(store.label).toBe('from the app');

    const orders = app.get(MetricaRegistry).get('orders');
    await orders.kick({}, { value: 3 });
    await expect(orders.total()).resolves.toBe(3);
    expect(store.counters.size).toBeGreaterThan(0);

    const activity = app.get(ActivityService);
    await expect(activity.souvenez('map-user')).resolves.toBe('added');
    await expect(activity.souvenez('map-user')).resolves.toBe('rate-limited');
    expect(store.claims.size).toBe(1);
  });

  it('takes an instance as is', async () => {
    const mine = new MapSouvenirsStore('mine');
    const app = await boot({ store: mine });
    expect(app.get(SouvenirsStore)).toBe(mine);
  });

  it.each([
    ['with `redis` beside it', { store: MapSouvenirsStore, redis: 'redis://127.0.0.1:6379' }, /store.*redis/],
    ['when it is not a store', { store: { claimRateLimit: () => null } as never }, /releaseRateLimit/],
  ])('fails the boot %s', async (_case, options, message) => {
    const booted = boot(options as SouvenirsModuleOptions);
    await expect(booted).rejects.toThrow(InvalidOptionError);
    await expect(booted).rejects.toThrow(message);
  });
});
