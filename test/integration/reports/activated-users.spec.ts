import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ReportsService } from '../../../lib/reports/reports.service.js';
import type { UsersEntityOptions } from '../../../lib/reports/users-source.interface.js';
import { SouvenirsModule } from '../../../lib/souvenirs.module.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { TestUser } from '../../support/test-user.entity.js';

// What `users: { entity, joinedAt }` without `isActive` means, as docs/reports.md and the
// option's TSDoc say: every registered user is activated (activated = registered).

describe('activated users with and without users.isActive (SQLite)', () => {
  let database: TestDatabase;
  const modules: TestingModule[] = [];
  const reportsWith = async (users: UsersEntityOptions) => {
    const moduleRef = await Test.createTestingModule({
      imports: [TypeOrmModule.forRoot({ ...database.options } as never), SouvenirsModule.forRoot({ users, track: false })],
    }).compile();
    modules.push(moduleRef);
    await moduleRef.init();
    return moduleRef.get(ReportsService);
  };

  beforeAll(async () => {
    database = await createTestDatabase('sqlite', { entities: [TestUser] });
    // Three users joined in January; one of them has not activated their account.
    await database.dataSource.getRepository(TestUser).save([
      { dateJoined: new Date('2026-01-05T10:00:00Z'), isActive: true },
      { dateJoined: new Date('2026-01-10T10:00:00Z'), isActive: false },
      { dateJoined: new Date('2026-01-20T10:00:00Z'), isActive: true },
    ]);
  });
  afterAll(async () => {
    for (const moduleRef of modules) await moduleRef.close();
    await database?.drop();
  });

  it('counts as activated only the users whose isActive property is true, when it is given', async () => {
    const reports = await reportsWith({ entity: TestUser, joinedAt: 'dateJoined', isActive: 'isActive' });
    expect(await reports.registeredUsersAsOf(new Date('2026-02-01T00:00:00Z'))).toEqual({ registered: 3, activated: 2 });
  });

  it('counts every registered user as activated without isActive, in every report', async () => {
    const reports = await reportsWith({ entity: TestUser, joinedAt: 'dateJoined' });
    expect(await reports.registeredUsersAsOf(new Date('2026-02-01T00:00:00Z'))).toEqual({ registered: 3, activated: 3 });
    const [january] = await reports.calendarMonthlyUsage({ start: new Date('2026-01-01T00:00:00Z'), end: new Date('2026-02-01T00:00:00Z') });
    expect(january.usage).toEqual({ registeredUsers: 3, activatedUsers: 3, activeUsers: 0 });
  });
});
