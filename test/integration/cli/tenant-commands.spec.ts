import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { ActivityService } from '../../../lib/activity/activity.service.js';
import { runCli } from '../../../lib/cli/run-cli.js';
import { SouvenirsModule } from '../../../lib/souvenirs.module.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { captureIo } from './cli-test-app.js';

// The commands only format what ReportsService answers (checked against a model on every
// database in test/integration/reports/tenant-reports.property.spec.ts): one database here.
const zone = 'Europe/Paris';
const at = (iso: string, hour = 12) => DateTime.fromISO(iso, { zone }).set({ hour }).toJSDate();
// A hostile tenant name: a spreadsheet formula, a comma and a quote.
const HOSTILE = '=HYPERLINK("x"),1';

// February 2024: acme has a, b, c (a also on two days); beta has a and d; the hostile one has e.
// January: acme has a only. z has no tenant (site-wide only).
const ACTIVITY: [string, string, string | null][] = [
  ['a', '2024-02-05', 'acme'], ['b', '2024-02-06', 'acme'], ['c', '2024-02-13', 'acme'], ['a', '2024-02-14', 'acme'],
  ['a', '2024-02-07', 'beta'], ['d', '2024-02-20', 'beta'],
  ['e', '2024-02-21', HOSTILE],
  ['z', '2024-02-21', null],
  ['a', '2024-01-10', 'acme'],
];

describe('souvenirs tenants and --tenant', () => {
  let database: TestDatabase;
  let app: INestApplicationContext;
  const cli = async (...argv: string[]) => {
    const io = captureIo();
    const code = await runCli(app, argv, io);
    return { code, stdout: io.stdout.text, stderr: io.stderr.text };
  };

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    @Module({
      imports: [
        TypeOrmModule.forRoot({ ...database.options } as never),
        SouvenirsModule.forRoot({ timeZone: zone, now: () => at('2024-02-26', 9), track: false }),
      ],
    })
    class TenantCliApp {}
    app = await NestFactory.createApplicationContext(TenantCliApp, { logger: false });
    await app.get(ActivityService).backfill(ACTIVITY.map(([user, day, tenant]) => ({ user, when: at(day), tenant })));
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('tenants prints the billing table of this calendar month by default, largest first, ties by tenant', async () => {
    const result = await cli('tenants');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      ['tenant               active', '-----------------  --------', 'acme                      3', 'beta                      2', `${HOSTILE}         1`, ''].join('\n'),
    );
  });

  it('tenants --after --before takes the range; --json keeps the numbers', async () => {
    const result = await cli('tenants', '--after=2024-01-01', '--before=2024-02-01', '--json');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual([{ tenant: 'acme', active: 1 }]);
  });

  it('tenants --csv neutralises a tenant written as a formula', async () => {
    const result = await cli('tenants', '--after=2024-02-01', '--csv');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`tenant,active\nacme,3\nbeta,2\n"'=HYPERLINK(""x""),1",1\n`);
  });

  it('tenants refuses a bad date, --csv with --json, and an unknown flag with exit 2 and nothing on stdout', async () => {
    for (const argv of [['--after=someday'], ['--csv', '--json'], ['--tenant=acme'], ['--after=2024-02-10', '--before=2024-02-01']]) {
      const result = await cli('tenants', ...argv);
      expect(result).toMatchObject({ code: 2, stdout: '' });
      expect(result.stderr).toMatch(/^souvenirs tenants: error: /);
    }
  });

  it('show-usage --tenant counts only that tenant', async () => {
    const site = await cli('show-usage', '--calendar', '--after=2024-02-01', '--before=2024-03-01', '--json');
    const acme = await cli('show-usage', '--calendar', '--after=2024-02-01', '--before=2024-03-01', '--json', '--tenant', 'acme');
    expect(JSON.parse(site.stdout)).toEqual([expect.objectContaining({ month: '2024-02', active: 6 })]);
    expect(JSON.parse(acme.stdout)).toEqual([expect.objectContaining({ month: '2024-02', active: 3 })]);
  });

  it('active-users --tenant counts only that tenant', async () => {
    const result = await cli('active-users', '--after=2024-02-20', '--before=2024-02-22', '--tenant=beta', '--json');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout).map((row: { dau: number; mau: number }) => [row.dau, row.mau])).toEqual([
      [1, 2],
      [0, 2],
    ]);
  });

  it.each(['retention', 'lifecycle', 'stickiness'])('%s --tenant counts only that tenant', async (command) => {
    const scoped = await cli(command, '--after=2024-02-05', '--before=2024-02-26', '--period=week', '--tenant=beta', '--json');
    const site = await cli(command, '--after=2024-02-05', '--before=2024-02-26', '--period=week', '--json');
    expect(scoped.code).toBe(0);
    expect(scoped.stdout).not.toBe(site.stdout);
    // Beta's two users: a (week of 5 Feb) and d (week of 19 Feb).
    const counted = JSON.stringify(JSON.parse(scoped.stdout));
    expect(counted).toMatch(/2024-02-19/);
  });

  it('--tenant refuses an empty tenant with exit 2', async () => {
    const result = await cli('active-users', '--tenant=');
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(/tenant/);
  });
});
