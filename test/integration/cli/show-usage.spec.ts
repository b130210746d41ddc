import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { runCli } from '../../../lib/cli/run-cli.js';
import { DIALECTS, createTestDatabase, type Dialect, type TestDatabase } from '../../support/databases.js';
import { TestUser } from '../../support/test-user.entity.js';
import { captureIo, cliTestAppModule, seedSouvenirs, tokens } from './cli-test-app.js';

// Ported from django-souvenirs' souvenirs/tests/test_commands.py (TestShowUsage), compared
// token-wise as the original does with `out.getvalue().split()`.

describe.each(DIALECTS)('souvenirs show-usage on %s (test_commands.py)', (dialect: Dialect) => {
  let database: TestDatabase;
  let app: INestApplicationContext;

  /** Runs `show-usage` with `args`; resolves to the exit code and both outputs. */
  const showUsage = async (...args: string[]) => {
    const io = captureIo();
    const code = await runCli(app, ['show-usage', ...args], io);
    return { code, stdout: io.stdout.text, stderr: io.stderr.text };
  };

  beforeAll(async () => {
    database = await createTestDatabase(dialect, { entities: [TestUser] });
    await seedSouvenirs(database.dataSource);
    app = await NestFactory.createApplicationContext(cliTestAppModule(database), { logger: false });
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('test_show_usage_daily: --daily --subscription-start=YYYY-MM-DD --before=M/D/YYYY', async () => {
    const { code, stdout, stderr } = await showUsage('--daily', '--subscription-start=2010-01-24', '--before=3/8/2010');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const rows: string[] = [];
    // 2010-03-08 back to 2010-02-16: one registered and activated user, nobody active.
    for (let day = 8; day >= 1; day -= 1) rows.push(`2010-03-0${day} 1 1 0`);
    for (let day = 28; day >= 16; day -= 1) rows.push(`2010-02-${day} 1 1 0`);
    rows.push('2010-02-15 1 1 1');
    for (let day = 14; day >= 1; day -= 1) rows.push(`2010-02-${String(day).padStart(2, '0')} 0 0 0`);
    for (let day = 31; day >= 25; day -= 1) rows.push(`2010-01-${day} 0 0 0`);
    expect(rows).toHaveLength(43);
    // django-souvenirs' columns, then `partial` (this package's): --before falls on a day
    // boundary (midnight, the subscription's time of day), so no day is cut short.
    expect(tokens(stdout)).toEqual(
      tokens(`
        date          registered    activated    active    partial
        ----------  ------------  -----------  --------  ---------
        ${rows.map((row) => `${row} false`).join('\n')}
      `),
    );
  });

  it('test_show_usage_monthly: --monthly --subscription-start=<isoformat> --after --before', async () => {
    const { code, stdout } = await showUsage(
      '--monthly',
      '--subscription-start=2010-01-24T22:00:00-05:00',
      '--after=6/8/2014',
      '--before=12/25/2015',
    );
    expect(code).toBe(0);
    expect(tokens(stdout)).toEqual(
      tokens(`
        month    start       end           registered    activated    active
        -------  ----------  ----------  ------------  -----------  --------
        Y06 M12  2015-12-24  2015-12-25             7            7         0
        Y06 M11  2015-11-24  2015-12-24             7            7         0
        Y06 M10  2015-10-24  2015-11-24             7            7         0
        Y06 M09  2015-09-24  2015-10-24             7            7         1
        Y06 M08  2015-08-24  2015-09-24             6            6         0
        Y06 M07  2015-07-24  2015-08-24             6            6         0
        Y06 M06  2015-06-24  2015-07-24             6            6         0
        Y06 M05  2015-05-24  2015-06-24             6            6         0
        Y06 M04  2015-04-24  2015-05-24             6            6         0
        Y06 M03  2015-03-24  2015-04-24             6            6         0
        Y06 M02  2015-02-24  2015-03-24             6            6         0
        Y06 M01  2015-01-24  2015-02-24             6            6         1
        Y05 M12  2014-12-24  2015-01-24             5            5         0
        Y05 M11  2014-11-24  2014-12-24             5            5         0
        Y05 M10  2014-10-24  2014-11-24             5            5         0
        Y05 M09  2014-09-24  2014-10-24             5            5         0
        Y05 M08  2014-08-24  2014-09-24             5            5         0
        Y05 M07  2014-07-24  2014-08-24             5            5         0
        Y05 M06  2014-06-24  2014-07-24             5            5         0
        Y05 M05  2014-05-24  2014-06-24             5            5         0
      `),
    );
  });

  it('test_show_usage_quarterly: --quarterly --subscription-start=M/D/YYYY, up to now', async () => {
    const { code, stdout } = await showUsage('--quarterly', '--subscription-start=01/24/2010');
    expect(code).toBe(0);
    expect(tokens(stdout)).toEqual(
      tokens(`
        quarter    start       end           registered    activated    active
        ---------  ----------  ----------  ------------  -----------  --------
        Y08 Q1     2017-01-24  2017-04-04             9            9         1
        Y07 Q4     2016-10-24  2017-01-24             8            8         0
        Y07 Q3     2016-07-24  2016-10-24             8            8         0
        Y07 Q2     2016-04-24  2016-07-24             8            8         0
        Y07 Q1     2016-01-24  2016-04-24             8            8         1
        Y06 Q4     2015-10-24  2016-01-24             7            7         0
        Y06 Q3     2015-07-24  2015-10-24             7            7         1
        Y06 Q2     2015-04-24  2015-07-24             6            6         0
        Y06 Q1     2015-01-24  2015-04-24             6            6         1
        Y05 Q4     2014-10-24  2015-01-24             5            5         0
        Y05 Q3     2014-07-24  2014-10-24             5            5         0
        Y05 Q2     2014-04-24  2014-07-24             5            5         0
        Y05 Q1     2014-01-24  2014-04-24             5            5         1
        Y04 Q4     2013-10-24  2014-01-24             4            4         0
        Y04 Q3     2013-07-24  2013-10-24             4            4         0
        Y04 Q2     2013-04-24  2013-07-24             4            4         0
        Y04 Q1     2013-01-24  2013-04-24             4            4         1
        Y03 Q4     2012-10-24  2013-01-24             3            3         0
        Y03 Q3     2012-07-24  2012-10-24             3            3         0
        Y03 Q2     2012-04-24  2012-07-24             3            3         0
        Y03 Q1     2012-01-24  2012-04-24             3            3         1
        Y02 Q4     2011-10-24  2012-01-24             2            2         0
        Y02 Q3     2011-07-24  2011-10-24             2            2         0
        Y02 Q2     2011-04-24  2011-07-24             2            2         0
        Y02 Q1     2011-01-24  2011-04-24             2            2         1
        Y01 Q4     2010-10-24  2011-01-24             1            1         0
        Y01 Q3     2010-07-24  2010-10-24             1            1         0
        Y01 Q2     2010-04-24  2010-07-24             1            1         0
        Y01 Q1     2010-01-24  2010-04-24             1            1         1
      `),
    );
  });

  it('test_show_usage_yearly: --yearly --subscription-start=M/D/YYYY --ascending', async () => {
    const { code, stdout } = await showUsage('--yearly', '--subscription-start=01/24/2010', '--ascending');
    expect(code).toBe(0);
    expect(tokens(stdout)).toEqual(
      tokens(`
        year    start       end           registered    activated    active
        ------  ----------  ----------  ------------  -----------  --------
        Y01     2010-01-24  2011-01-24             1            1         1
        Y02     2011-01-24  2012-01-24             2            2         1
        Y03     2012-01-24  2013-01-24             3            3         1
        Y04     2013-01-24  2014-01-24             4            4         1
        Y05     2014-01-24  2015-01-24             5            5         1
        Y06     2015-01-24  2016-01-24             7            7         2
        Y07     2016-01-24  2017-01-24             8            8         1
        Y08     2017-01-24  2017-04-04             9            9         1
      `),
    );
  });

  it('prints the plain table exactly as python-tabulate does (padding and alignment)', async () => {
    const { stdout } = await showUsage('--yearly', '--subscription-start=01/24/2010', '--recent=2');
    expect(stdout).toBe(
      [
        'year    start       end           registered    activated    active',
        '------  ----------  ----------  ------------  -----------  --------',
        'Y08     2017-01-24  2017-04-04             9            9         1',
        'Y07     2016-01-24  2017-01-24             8            8         1',
        '',
      ].join('\n'),
    );
  });
});
