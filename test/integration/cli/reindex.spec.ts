import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ActivityService } from '../../../lib/activity/activity.service.js';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { runCli } from '../../../lib/cli/run-cli.js';
import { DIALECTS, createTestDatabase, type Dialect, type TestDatabase } from '../../support/databases.js';
import { TestUser } from '../../support/test-user.entity.js';
import { captureIo, cliTestAppModule, local, seedSouvenirs } from './cli-test-app.js';

describe.each(DIALECTS)('souvenirs reindex on %s', (dialect: Dialect) => {
  let database: TestDatabase;
  let app: INestApplicationContext;
  const reindex = async (...args: string[]) => {
    const io = captureIo();
    const code = await runCli(app, ['reindex', ...args], io);
    return { code, stdout: io.stdout.text, stderr: io.stderr.text };
  };

  beforeAll(async () => {
    database = await createTestDatabase(dialect, { entities: [TestUser] });
    app = await NestFactory.createApplicationContext(cliTestAppModule(database), { logger: false });
    await seedSouvenirs(database.dataSource);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('rebuilds the days of the range from SQL, so rows written by plain SQL count', async () => {
    const activity = app.get(ActivityService);
    const day = { start: local(2015, 10, 17), end: local(2015, 10, 18) };
    await expect(activity.countActiveUsers(day)).resolves.toBe(1); // builds the day
    await database.dataSource.getRepository(Souvenir).insert({ userId: 'plain-sql', when: local(2015, 10, 17, 20) });
    await expect(activity.countActiveUsers(day)).resolves.toBe(1); // the index answers

    const { code, stdout, stderr } = await reindex('--after', '2015-10-17', '--before=2015-10-18');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe('reindexed 1 days\n');
    await expect(activity.countActiveUsers(day)).resolves.toBe(2);
  });

  it('without a range, rebuilds every day from the first souvenir to the last', async () => {
    const { code, stdout } = await reindex();
    expect(code).toBe(0);
    // 14 February 2010 (the first souvenir) to 14 February 2017 (the last), both included.
    expect(stdout).toBe(`reindexed ${Math.round((local(2017, 2, 15).getTime() - local(2010, 2, 14).getTime()) / 86_400_000)} days\n`);
  });

  it('refuses a bad date or an inverted range with exit code 2, printing nothing on stdout', async () => {
    for (const args of [['--after', 'yesterday'], ['--after', '2016-01-02', '--before', '2016-01-01'], ['extra']]) {
      const { code, stdout, stderr } = await reindex(...args);
      expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
      expect(stderr).toMatch(/souvenirs reindex: error: /);
    }
  });
});
