import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { runCli } from '../../../lib/cli/run-cli.js';
import { createTestDatabase, type Dialect, type TestDatabase } from '../../support/databases.js';
import { TestUser } from '../../support/test-user.entity.js';
import { captureIo, cliTestAppModule, seedSouvenirs, tokens } from './cli-test-app.js';

// show-usage's flags beyond the original tests: outputs, ordering, --recent, --datefmt,
// --calendar, and the usage errors (exit 2, a message on stderr, nothing on stdout).

describe.each(['sqlite', 'postgres'] as Dialect[])('souvenirs show-usage options on %s', (dialect) => {
  let database: TestDatabase;
  let app: INestApplicationContext;
  let appWithoutUsers: INestApplicationContext;

  const run = async (context: INestApplicationContext, args: string[]) => {
    const io = captureIo();
    const code = await runCli(context, args, io);
    return { code, stdout: io.stdout.text, stderr: io.stderr.text };
  };
  const showUsage = (...args: string[]) => run(app, ['show-usage', ...args]);

  beforeAll(async () => {
    database = await createTestDatabase(dialect, { entities: [TestUser] });
    await seedSouvenirs(database.dataSource);
    app = await NestFactory.createApplicationContext(cliTestAppModule(database), { logger: false });
    appWithoutUsers = await NestFactory.createApplicationContext(cliTestAppModule(database, { users: false }), {
      logger: false,
    });
  });

  afterAll(async () => {
    await app?.close();
    await appWithoutUsers?.close();
    await database?.drop();
  });

  describe('outputs', () => {
    it('--csv prints the header row then the rows, newest first', async () => {
      const { code, stdout, stderr } = await showUsage('--yearly', '--subscription-start=01/24/2010', '--csv', '--recent=2');
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toBe(
        'year,start,end,registered,activated,active\n' +
          'Y08,2017-01-24,2017-04-04,9,9,1\n' +
          'Y07,2016-01-24,2017-01-24,8,8,1\n',
      );
    });

    it('--json prints an array of objects keyed by column, counts as numbers', async () => {
      const { code, stdout } = await showUsage('--quarterly', '--subscription-start=2010-01-24', '--json', '--recent', '2');
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual([
        { quarter: 'Y08 Q1', start: '2017-01-24', end: '2017-04-04', registered: 9, activated: 9, active: 1 },
        { quarter: 'Y07 Q4', start: '2016-10-24', end: '2017-01-24', registered: 8, activated: 8, active: 0 },
      ]);
    });

    it("--daily marks today's day, still running, partial: the two rows ending today are not a duplicate (table, CSV, JSON)", async () => {
      // Days from 10:00; now is 2017-04-04 16:00: yesterday's full day and today's partial one both end on the 4th.
      const args = ['--daily', '--subscription-start=2017-01-01T10:00', '--after=2017-04-03T12:00', '--datefmt=%Y-%m-%d %H:%M'];
      const json = JSON.parse((await showUsage(...args, '--json')).stdout) as Array<{ date: string; partial: boolean }>;
      expect(json.map(({ date, partial }) => [date, partial])).toEqual([['2017-04-04 16:00', true], ['2017-04-04 10:00', false]]);
      const day = (await showUsage(...args.slice(0, -1), '--csv')).stdout;
      expect(day).toBe('date,registered,activated,active,partial\n2017-04-04,9,9,0,true\n2017-04-04,9,9,0,false\n');
      const table = (await showUsage(...args.slice(0, -1))).stdout.split('\n');
      expect(table.slice(0, 4)).toEqual([
        'date          registered    activated    active  partial',
        '----------  ------------  -----------  --------  ---------',
        '2017-04-04             9            9         0  true',
        '2017-04-04             9            9         0  false',
      ]);
    });

    it('without a users source, registered and activated are null in JSON, empty in CSV and the table', async () => {
      const args = ['show-usage', '--yearly', '--subscription-start=01/24/2010', '--recent'];
      const json = await run(appWithoutUsers, [...args, '--json']);
      expect(JSON.parse(json.stdout)).toEqual([
        { year: 'Y08', start: '2017-01-24', end: '2017-04-04', registered: null, activated: null, active: 1 },
      ]);
      expect((await run(appWithoutUsers, [...args, '--csv'])).stdout).toBe(
        'year,start,end,registered,activated,active\nY08,2017-01-24,2017-04-04,,,1\n',
      );
      expect(tokens((await run(appWithoutUsers, args)).stdout).slice(-4)).toEqual(['Y08', '2017-01-24', '2017-04-04', '1']);
    });
  });

  describe('rows', () => {
    it('--recent alone keeps the most recent period; --recent N (either form) the N most recent', async () => {
      const one = await showUsage('--monthly', '--subscription-start=2010-01-24', '--recent', '--csv');
      expect(one.stdout.trim().split('\n')).toEqual([
        'month,start,end,registered,activated,active',
        'Y08 M03,2017-03-24,2017-04-04,9,9,0',
      ]);
      const spaced = await showUsage('--monthly', '--subscription-start', '2010-01-24', '--recent', '3', '--csv');
      const equals = await showUsage('--monthly', '--subscription-start=2010-01-24', '--recent=3', '--csv');
      expect(spaced.stdout).toBe(equals.stdout);
      expect(spaced.stdout.trim().split('\n').slice(1).map((line) => line.split(',')[0])).toEqual([
        'Y08 M03',
        'Y08 M02',
        'Y08 M01',
      ]);
    });

    it('--ascending with --recent keeps the most recent periods, oldest of them first', async () => {
      const { stdout } = await showUsage('--monthly', '--subscription-start=2010-01-24', '--recent=3', '--ascending', '--csv');
      expect(stdout.trim().split('\n').slice(1).map((line) => line.split(',')[0])).toEqual(['Y08 M01', 'Y08 M02', 'Y08 M03']);
    });

    it('--datefmt formats the dates with strftime in the module time zone', async () => {
      const { code, stdout } = await showUsage(
        '--daily',
        '--subscription-start=2010-01-24T22:00',
        '--after=2010-02-14',
        '--before=2010-02-16',
        '--datefmt=%a %d %b %Y %H:%M %Z',
        '--csv',
      );
      expect(code).toBe(0);
      // The day from Feb 15 22:00 is cut at --before (midnight): partial.
      expect(stdout).toBe(
        'date,registered,activated,active,partial\n' +
          'Tue 16 Feb 2010 00:00 EST,1,1,0,true\n' +
          'Mon 15 Feb 2010 22:00 EST,1,1,0,false\n' +
          'Sun 14 Feb 2010 22:00 EST,1,1,1,false\n',
      );
    });

    it('--calendar needs no --subscription-start: calendar months from --after, labelled YYYY-MM', async () => {
      const { code, stdout } = await showUsage('--calendar', '--after=2015-09-15', '--before=2016-01-01');
      expect(code).toBe(0);
      expect(tokens(stdout)).toEqual(
        tokens(`
          month    start       end           registered    activated    active
          -------  ----------  ----------  ------------  -----------  --------
          2015-12  2015-12-01  2016-01-01             7            7         0
          2015-11  2015-11-01  2015-12-01             7            7         0
          2015-10  2015-10-01  2015-11-01             7            7         1
          2015-09  2015-09-01  2015-10-01             6            6         0
        `),
      );
    });

    it('--calendar without --after shows the last 12 calendar months, up to now', async () => {
      const { stdout } = await showUsage('--calendar', '--csv');
      const rows = stdout.trim().split('\n').slice(1);
      expect(rows).toHaveLength(12);
      expect(rows[0]).toBe('2017-04,2017-04-01,2017-04-04,9,9,0');
      expect(rows[2]).toBe('2017-02,2017-02-01,2017-03-01,9,9,1');
      expect(rows[11]).toBe('2016-05,2016-05-01,2016-06-01,8,8,0');
    });

    it('reads --after given with an offset as that instant', async () => {
      // 2010-02-15T03:30Z is 22:30 on Feb 14 in New York: the day ending Feb 14 22:00 is before it.
      const { stdout } = await showUsage(
        '--daily',
        '--subscription-start=2010-01-24T22:00:00-05:00',
        '--after=2010-02-15T03:30:00Z',
        '--before=2010-02-16T03:00:00+00:00',
        '--datefmt=%Y-%m-%dT%H:%M%z',
        '--csv',
      );
      expect(stdout.trim().split('\n').slice(1)).toEqual(['2010-02-15T22:00-0500,1,1,0,false']);
    });
  });

  describe('usage errors: exit code 2, a message on stderr, nothing on stdout', () => {
    const cases: [string, string[], RegExp][] = [
      ['an unreadable date', ['--daily', '--subscription-start=yesterday'], /--subscription-start.*"yesterday"/],
      ['an impossible date', ['--monthly', '--subscription-start=2010-01-24', '--before=2010-02-30'], /--before.*2010-02-30/],
      ['an unknown flag', ['--weekly', '--subscription-start=2010-01-24'], /--weekly/],
      ['a flag without its value', ['--monthly', '--subscription-start'], /--subscription-start/],
      ['--daily without --subscription-start', ['--daily'], /daily report requires --subscription-start/],
      ['the default monthly report without --subscription-start', [], /monthly report requires --subscription-start/],
      ['two reports', ['--daily', '--yearly', '--subscription-start=2010-01-24'], /--daily and --yearly/],
      ['--csv with --json', ['--subscription-start=2010-01-24', '--csv', '--json'], /--csv or --json/],
      ['--recent 0', ['--subscription-start=2010-01-24', '--recent=0'], /--recent/],
      ['--recent abc', ['--subscription-start=2010-01-24', '--recent=abc'], /--recent/],
      ['--before earlier than --after', ['--subscription-start=2010-01-24', '--after=2012-01-01', '--before=2011-01-01'], /--before/],
      ['--before earlier than --subscription-start', ['--subscription-start=2010-01-24', '--before=2009-01-01'], /--before/],
      ['a positional argument', ['--subscription-start=2010-01-24', 'monthly'], /monthly/],
    ];

    it.each(cases)('%s', async (_name, args, message) => {
      const { code, stdout, stderr } = await showUsage(...args);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(message);
      expect(stderr).toMatch(/souvenirs show-usage --help/);
    });

    it('an unknown command', async () => {
      const { code, stdout, stderr } = await run(app, ['show-usages', '--daily']);
      expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
      expect(stderr).toMatch(/unknown command "show-usages"/);
    });
  });
});
