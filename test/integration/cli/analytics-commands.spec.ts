import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { runCli } from '../../../lib/cli/run-cli.js';
import { ReportsService } from '../../../lib/reports/reports.service.js';
import { SouvenirsModule } from '../../../lib/souvenirs.module.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { captureIo, tokens } from './cli-test-app.js';

// The commands only format what ReportsService answers (checked on every database in
// test/integration/reports/analytics*.spec.ts), so one database is enough here.
const zone = 'Europe/Paris';
const at = (iso: string, hour = 12) => DateTime.fromISO(iso, { zone }).set({ hour }).toJSDate();

// Week cohorts (weeks start on Monday): a, b first active in the week of 5 February;
// c in the week of 12 February. a comes back each week, b only in the third.
const ACTIVITY: [string, string][] = [
  ['a', '2024-02-05'], ['b', '2024-02-06'], ['a', '2024-02-13'], ['c', '2024-02-14'],
  ['a', '2024-02-20'], ['b', '2024-02-21'], ['c', '2024-02-22'], ['a', '2024-02-22'],
];

describe('souvenirs active-users, retention, lifecycle, stickiness', () => {
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
    class AnalyticsCliApp {}
    app = await NestFactory.createApplicationContext(AnalyticsCliApp, { logger: false });
    await database.dataSource.getRepository(Souvenir).insert(ACTIVITY.map(([userId, day]) => ({ userId, when: at(day) })));
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('retention prints a triangle of percentages, or of counts under --counts', async () => {
    const percentages = await cli('retention', '--after=2024-02-05', '--before=2024-02-26');
    expect(percentages).toMatchObject({ code: 0, stderr: '' });
    expect(percentages.stdout).toBe(
      [
        'cohort        size  +0      +1      +2',
        '----------  ------  ------  ------  ------',
        '2024-02-05       2  100.0%  50.0%   100.0%',
        '2024-02-12       1  100.0%  100.0%',
        '2024-02-19       0',
        '',
      ].join('\n'),
    );
    const counts = await cli('retention', '--after=2024-02-05', '--before=2024-02-26', '--counts');
    expect(tokens(counts.stdout)).toEqual(tokens('cohort size +0 +1 +2 ---------- ------ ---- ---- ---- 2024-02-05 2 2 1 2 2024-02-12 1 1 1 2024-02-19 0 0'));
  });

  it('every report prints --json as the service answers it, and --csv with the same columns', async () => {
    const reports = app.get(ReportsService);
    const start = at('2024-02-05', 0);
    const end = at('2024-02-26', 0);
    const day = (date: Date) => DateTime.fromJSDate(date, { zone }).toISODate();

    const active = JSON.parse((await cli('active-users', '--after=2024-02-05', '--before=2024-02-26', '--json')).stdout);
    const activeRows = await reports.activeUsers({ start, end });
    expect(active).toEqual(activeRows.map((row) => ({ date: day(row.period.start), dau: row.dau, wau: row.wau, mau: row.mau, stickiness: row.stickiness === null ? null : Math.round(row.stickiness * 1000) / 1000 })));

    const lifecycle = JSON.parse((await cli('lifecycle', '--after=2024-02-05', '--before=2024-02-26', '--period=week', '--json')).stdout);
    expect(lifecycle).toEqual(
      (await reports.lifecycle({ start, end, period: 'week' })).map((row) => ({
        start: day(row.period.start), end: day(row.period.end), new: row.new, returning: row.returning, resurrecting: row.resurrecting, dormant: row.dormant,
      })),
    );

    const sticky = await cli('stickiness', '--after=2024-02-05', '--before=2024-02-26', '--csv');
    const weeks = await reports.stickiness({ start, end, period: 'week' });
    expect(sticky.stdout).toBe(
      ['start,end,1d,2d,3d,4d,5d,6d,7d', ...weeks.map((row) => [day(row.period.start), day(row.period.end), ...row.days].join(','))].join('\n') + '\n',
    );
    expect(weeks.map((row) => row.days.slice(0, 2))).toEqual([[2, 0], [2, 0], [2, 1]]);

    const retention = await cli('retention', '--after=2024-02-05', '--before=2024-02-26', '--csv', '--counts', '--mode=unbounded');
    // `+0` starts with a formula character: neutralised like any other cell (docs/cli.md).
    expect(retention.stdout).toBe(`cohort,size,"'+0","'+1","'+2"\n2024-02-05,2,2,2,2\n2024-02-12,1,1,1,\n2024-02-19,0,0,,\n`);
  });

  it('retention --json and --csv hold shares as numbers (fractions of the cohort), the table percentages', async () => {
    const json = JSON.parse((await cli('retention', '--after=2024-02-05', '--before=2024-02-26', '--json')).stdout);
    expect(json).toEqual([
      { cohort: '2024-02-05', size: 2, '+0': 1, '+1': 0.5, '+2': 1 },
      { cohort: '2024-02-12', size: 1, '+0': 1, '+1': 1, '+2': null },
      { cohort: '2024-02-19', size: 0, '+0': null, '+1': null, '+2': null },
    ]);
    const csv = await cli('retention', '--after=2024-02-05', '--before=2024-02-26', '--csv');
    expect(csv.stdout).toBe(`cohort,size,"'+0","'+1","'+2"\n2024-02-05,2,1,0.5,1\n2024-02-12,1,1,1,\n2024-02-19,0,,,\n`);
  });

  it('--recent keeps the most recent periods', async () => {
    const { stdout } = await cli('lifecycle', '--after=2024-02-05', '--before=2024-02-26', '--period=week', '--recent=1', '--csv');
    expect(stdout).toBe('start,end,new,returning,resurrecting,dormant\n2024-02-19,2024-02-26,0,2,1,0\n');
  });

  it.each([
    [['retention', '--period=year'], "--period must be one of 'week', 'day', 'month'"],
    [['stickiness', '--period=day'], "--period must be one of 'week', 'month'"],
    [['lifecycle', '--mode=unbounded'], 'lifecycle has no --mode'],
    [['active-users', '--counts'], '--counts is for retention only'],
    [['active-users', '--after=yesterday'], '--after'],
    [['active-users', '--after=2000-01-01', '--before=2024-01-01'], 'more than the 1200'],
    [['retention', '--csv', '--json'], 'choose --csv or --json'],
  ])('%j is a usage error: exit 2, a message on stderr, nothing on stdout', async (argv, message) => {
    const { code, stdout, stderr } = await cli(...argv);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain(message);
  });

  it('lists the commands and prints their help', async () => {
    const { stdout } = await cli('--help');
    for (const name of ['active-users', 'retention', 'lifecycle', 'stickiness']) expect(stdout).toContain(name);
    expect((await cli('retention', '--help')).stdout).toContain('--counts');
  });

  it('draws the reindex progress bar on a terminal while a first call builds the days, the report still on stdout', async () => {
    // A fresh module (a fresh memory store): the days of the rows were never built.
    @Module({
      imports: [
        TypeOrmModule.forRoot({ ...database.options } as never),
        SouvenirsModule.forRoot({ timeZone: zone, now: () => at('2024-02-26', 9), track: false }),
      ],
    })
    class FreshCliApp {}
    const fresh = await NestFactory.createApplicationContext(FreshCliApp, { logger: false });
    try {
      const io = captureIo();
      Object.assign(io.stderr, { isTTY: true, columns: 80 });
      const code = await runCli(fresh, ['active-users', '--after=2024-02-05', '--before=2024-02-26', '--json'], io);
      expect(code).toBe(0);
      expect(JSON.parse(io.stdout.text)).toHaveLength(21);
      expect(io.stderr.text).toMatch(/reindex \|.*\| 100% \| (\d+)\/\1 days/);
      // Built: the next call draws nothing.
      const again = captureIo();
      Object.assign(again.stderr, { isTTY: true, columns: 80 });
      await runCli(fresh, ['active-users', '--after=2024-02-05', '--before=2024-02-26', '--json'], again);
      expect(again.stderr.text).toBe('');
    } finally {
      await fresh.close();
    }
  });
});
