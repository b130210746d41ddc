import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActivityService } from '../../../lib/activity/activity.service.js';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { SOUVENIRS_ENTITIES } from '../../../lib/table/souvenirs-entities.js';
import { ActiveUsersIndex } from '../../../lib/active-users/active-users.index.js';
import { SouvenirsCalendar } from '../../../lib/calendar/souvenirs-calendar.js';
import { SOUVENIRS_OPTIONS } from '../../../lib/shared/souvenirs-options.token.js';
import { MemorySouvenirsStore } from '../../../lib/store/memory/memory-souvenirs.store.js';
import { SouvenirsStore } from '../../../lib/store/souvenirs-store.interface.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../support/databases.js';
import { resolvedOptions, storedRows, TestClock } from './activity-test-kit.js';

describe.each(DIALECTS)('ActivityService through Nest dependency injection on %s', (dialect) => {
  let db: TestDatabase;
  let moduleRef: TestingModule;
  const store = new MemorySouvenirsStore();
  const clock = new TestClock(new Date('2026-02-02T02:02:02.002Z'));
  const options = resolvedOptions({ now: clock.now });

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    moduleRef = await Test.createTestingModule({
      imports: [TypeOrmModule.forRoot({ ...db.options, retryAttempts: 0 }), TypeOrmModule.forFeature(SOUVENIRS_ENTITIES)],
      providers: [
        ActivityService,
        ActiveUsersIndex,
        { provide: SouvenirsStore, useValue: store },
        { provide: SOUVENIRS_OPTIONS, useValue: options },
        { provide: SouvenirsCalendar, useValue: new SouvenirsCalendar(options) },
      ],
    }).compile();
  });

  afterAll(async () => {
    await moduleRef?.close();
    store.onModuleDestroy();
    await db?.drop();
  });

  it('injects the Souvenir repository, the store and the options; writes reach the test database', async () => {
    const activity = moduleRef.get(ActivityService);
    expect(await activity.souvenez({ id: 5 })).toBe('added');
    expect(await activity.souvenez({ id: 5 })).toBe('rate-limited');
    expect(await activity.countActiveUsers()).toBe(1);
    // Read through the helper's own DataSource: the Nest connection used the same database.
    expect(await storedRows(db)).toEqual([{ userId: '5', when: '2026-02-02T02:02:02.002Z' }]);
    expect(await db.dataSource.getRepository(Souvenir).count()).toBe(1);
  });
});
