import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ActivityService } from '../../../lib/activity/activity.service.js';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { runCli } from '../../../lib/cli/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { TestUser } from '../../support/test-user.entity.js';
import { captureIo, cliTestAppModule } from './cli-test-app.js';
import { clearSouvenirs, REDIS_URL } from '../activity/activity-test-kit.js';
import { BeforeRetentionHorizonError } from '../../../lib/errors/before-retention-horizon.error.js';
import { ActiveUsersIndex } from '../../../lib/active-users/active-users.index.js';
import { randomKeyPrefix, deleteKeysWithPrefix } from '../../support/redis-test-keys.js';
import { Redis } from 'ioredis';

const HOSTILE = '=HYPERLINK("x")';

describe('souvenirs forget, export-user and prune', () => {
  let database: TestDatabase;
  let app: INestApplicationContext;
  let dir: string;
  const cli = async (...args: string[]) => {
    const io = captureIo();
    const code = await runCli(app, args, io);
    return { code, stdout: io.stdout.text, stderr: io.stderr.text };
  };

  beforeAll(async () => {
    database = await createTestDatabase('sqlite', { entities: [TestUser] });
    app = await NestFactory.createApplicationContext(cliTestAppModule(database), { logger: false });
    dir = await mkdtemp(join(tmpdir(), 'souvenirs-privacy-'));
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await clearSouvenirs(database);
    await app.get(ActivityService).backfill(
      ['alice', 'bob', 'carol', HOSTILE].flatMap((user) => [1, 2, 3].map((d) => ({ user, when: new Date(Date.UTC(2024, 0, d, 12)) }))),
    );
  });

  it('forget erases the named users and those of --from-file, and prints the rows erased', async () => {
    const file = join(dir, 'users.txt');
    await writeFile(file, 'bob\r\n\ncarol\n');
    expect(await cli('forget', 'alice', '--from-file', file)).toEqual({ code: 0, stdout: 'erased 9 rows of 3 users\n', stderr: '' });
    const left = await database.dataSource.getRepository(Souvenir).find();
    expect(new Set(left.map(({ userId }) => userId))).toEqual(new Set([HOSTILE]));
    expect((await cli('forget', 'alice')).stdout).toBe('erased 0 rows of 1 users\n');
    expect((await cli('forget')).code).toBe(2);
  });

  it('export-user prints the rows of one user as a table, CSV or JSON', async () => {
    const csv = await cli('export-user', 'bob', '--csv');
    expect(csv).toEqual({
      code: 0,
      stdout: 'when,tenant\n2024-01-01T12:00:00.000Z,\n2024-01-02T12:00:00.000Z,\n2024-01-03T12:00:00.000Z,\n',
      stderr: '',
    });
    const json = await cli('export-user', 'bob', '--json');
    expect(JSON.parse(json.stdout)).toEqual([1, 2, 3].map((d) => ({ when: new Date(Date.UTC(2024, 0, d, 12)).toISOString(), tenant: null })));
    expect(JSON.parse((await cli('export-user', 'nobody', '--json')).stdout)).toEqual([]);
    const table = await cli('export-user', 'bob');
    expect(table.stdout.split('\n')[0].trim().split(/\s+/)).toEqual(['when', 'tenant']);
    expect((await cli('export-user', 'a', 'b')).code).toBe(2);
    // A tenant is a value from a request: neutralised in CSV.
    await app.get(ActivityService).souvenez('dave', { when: new Date(Date.UTC(2024, 0, 5)), tenant: HOSTILE, ratelimit: false });
    expect((await cli('export-user', 'dave', '--csv')).stdout).toBe(`when,tenant\n2024-01-05T00:00:00.000Z,"'=HYPERLINK(""x"")"\n`);
  });

  it('prune --before deletes the rows before the date and prints how many', async () => {
    expect(await cli('prune', '--before', '2024-01-02T00:00:00Z')).toEqual({ code: 0, stdout: 'pruned 4 rows\n', stderr: '' });
    expect(await database.dataSource.getRepository(Souvenir).count()).toBe(8);
    expect((await cli('prune')).code).toBe(2);
  });

  it('a prune by the CLI (another app on the same Redis) is refused by an app booted before it, and by one booted after', async () => {
    const redis = { url: REDIS_URL, keyPrefix: randomKeyPrefix('cli-prune') };
    const serving = await NestFactory.createApplicationContext(cliTestAppModule(database, { redis }), { logger: false });
    const shell = await NestFactory.createApplicationContext(cliTestAppModule(database, { redis }), { logger: false });
    try {
      const range = { start: new Date(Date.UTC(2024, 0, 1)), end: new Date(Date.UTC(2024, 0, 4)) };
      expect(await serving.get(ActivityService).countActiveUsers(range)).toBe(4);
      expect(await runCli(shell, ['prune', '--before', '2024-01-02T00:00:00Z'], captureIo())).toBe(0);
      // The serving app's last read of the horizon is older than its window (shortened here).
      serving.get(ActiveUsersIndex).horizonRefreshMs = 0;
      await expect(serving.get(ActivityService).countActiveUsers(range)).rejects.toBeInstanceOf(BeforeRetentionHorizonError);
      const later = await NestFactory.createApplicationContext(cliTestAppModule(database, { redis }), { logger: false });
      await expect(later.get(ActivityService).countActiveUsers(range)).rejects.toBeInstanceOf(BeforeRetentionHorizonError);
      expect(later.get(ActivityService).retentionHorizon()).toEqual(new Date(Date.UTC(2024, 0, 2)));
      await later.close();
    } finally {
      await serving.close();
      await shell.close();
      const raw = new Redis(REDIS_URL);
      await deleteKeysWithPrefix(raw, redis.keyPrefix);
      await raw.quit();
    }
  });
});
