import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { runCli } from '../../../lib/cli/run-cli.js';
import { SouvenirsModule } from '../../../lib/souvenirs.module.js';
import { ActivityService } from '../../../lib/activity/activity.service.js';
import { ReportsService } from '../../../lib/reports/reports.service.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { TestAccount } from '../../support/test-account.entity.js';
import { captureIo } from './cli-test-app.js';

// The command only prints what ReportsService.inactiveUsers streams (checked against a model on
// every database in test/integration/subsets/inactive-users.property.spec.ts): one database here.
const JOINED = new Date('2024-01-01T00:00:00Z');
/** Accounts with text ids an app chose, one of them a spreadsheet formula. */
const ACCOUNTS = ['ann', '=HYPERLINK("http://evil")', 'bob', 'carl'];
const ACTIVITY: [string, string][] = [
  ['ann', '2024-03-10T12:00:00Z'],
  ['bob', '2024-02-01T12:00:00Z'],
];

describe('souvenirs inactive-users', () => {
  let database: TestDatabase;
  let app: INestApplicationContext;
  let withoutUsers: INestApplicationContext;
  let withoutTenant: INestApplicationContext;
  const cli = async (context: INestApplicationContext, ...argv: string[]) => {
    const io = captureIo();
    const code = await runCli(context, argv, io);
    return { code, stdout: io.stdout.text, stderr: io.stderr.text };
  };

  beforeAll(async () => {
    database = await createTestDatabase('sqlite', { entities: [TestAccount] });
    const appWith = (users: 'with tenant' | 'without tenant' | 'none') => {
      @Module({
        imports: [
          TypeOrmModule.forRoot({ ...database.options } as never),
          SouvenirsModule.forRoot({
            timeZone: 'UTC',
            track: false,
            users: users === 'none' ? undefined : { entity: TestAccount, joinedAt: 'joinedAt', ...(users === 'with tenant' && { tenant: 'org' }) },
          }),
        ],
      })
      class InactiveUsersCliApp {}
      return NestFactory.createApplicationContext(InactiveUsersCliApp, { logger: false });
    };
    [app, withoutUsers, withoutTenant] = await Promise.all([appWith('with tenant'), appWith('none'), appWith('without tenant')]);
    // ann and bob in acme, the others in no organisation.
    await database.dataSource.getRepository(TestAccount).insert(ACCOUNTS.map((id) => ({ id, joinedAt: JOINED, org: id === 'ann' || id === 'bob' ? 'acme' : null })));
    await database.dataSource.getRepository(Souvenir).insert(ACTIVITY.map(([userId, when]) => ({ userId, when: new Date(when) })));
  });
  afterAll(async () => {
    await app?.close();
    await withoutUsers?.close();
    await withoutTenant?.close();
    await database?.drop();
  });

  it('prints the users idle since the date as a table, by primary key', async () => {
    const { code, stdout, stderr } = await cli(app, 'inactive-users', '--since', '2024-03-01');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0].trim()).toBe('user');
    expect(lines[1]).toMatch(/^-+$/);
    expect(lines.slice(2).map((line) => line.trim()).sort()).toEqual(['=HYPERLINK("http://evil")', 'bob', 'carl'].sort());
  });

  it('writes CSV with formula cells neutralised, and JSON', async () => {
    const csv = await cli(app, 'inactive-users', '--since=2024-03-01', '--csv');
    expect(csv.code).toBe(0);
    const rows = csv.stdout.trimEnd().split('\n');
    expect(rows[0]).toBe('user');
    expect(rows.slice(1).sort()).toEqual(['"\'=HYPERLINK(""http://evil"")"', 'bob', 'carl'].sort());
    const json = await cli(app, 'inactive-users', '--since=2024-01-15', '--json');
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { user: string }[]).map((row) => row.user).sort()).toEqual(['=HYPERLINK("http://evil")', 'carl'].sort());
  });

  it.each([
    ['no --since', ['inactive-users'], /--since DATE is required/],
    ['a bad date', ['inactive-users', '--since', 'yesterday'], /yesterday/],
    ['an unknown flag', ['inactive-users', '--since', '2024-03-01', '--idle'], /idle/],
    ['both --csv and --json', ['inactive-users', '--since', '2024-03-01', '--csv', '--json'], /--csv or --json/],
  ])('exits 2 with a message on stderr and nothing on stdout for %s', async (_, argv, message) => {
    const { code, stdout, stderr } = await cli(app, ...argv);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(message);
  });

  it('the module hands the users entity to both services: among { where } counts and reports its rows', async () => {
    const among = { where: [{ id: 'ann' }, { id: 'bob' }] };
    const range = { start: new Date('2024-02-01T00:00:00Z'), end: new Date('2024-04-01T00:00:00Z') };
    expect(await app.get(ActivityService).countActiveUsers({ ...range, among })).toBe(2);
    const [row] = await app.get(ReportsService).usageForPeriods([[range.start, range.end]], { among });
    expect(row.usage).toEqual({ registeredUsers: 2, activatedUsers: 2, activeUsers: 2 });
  });

  it("--tenant lists that tenant's users idle in it, and exits 2 without users.tenant", async () => {
    // ann and bob were active outside any tenant: idle in acme since 2024-01-15.
    const { code, stdout } = await cli(app, 'inactive-users', '--since=2024-01-15', '--tenant', 'acme', '--csv');
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n').slice(1).sort()).toEqual(['ann', 'bob']);
    const refused = await cli(withoutTenant, 'inactive-users', '--since=2024-01-15', '--tenant', 'acme', '--csv');
    expect({ code: refused.code, stdout: refused.stdout }).toEqual({ code: 2, stdout: '' });
    expect(refused.stderr).toMatch(/users\.tenant/);
  });

  it('exits 2 without a users option, saying what to configure', async () => {
    const { code, stdout, stderr } = await cli(withoutUsers, 'inactive-users', '--since', '2024-03-01', '--csv');
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(/users/);
  });
});
