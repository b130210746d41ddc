import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, Module, type INestApplicationContext, type OnApplicationShutdown } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { runCli } from '../../../lib/cli/run-cli.js';
import { ReportsService } from '../../../lib/reports/reports.service.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { TestUser } from '../../support/test-user.entity.js';
import { captureIo, cliTestAppModule, seedSouvenirs, tokens } from './cli-test-app.js';

/** Counts boots and shutdowns of the module it is provided in. */
const lifecycle = { boots: 0, shutdowns: 0 };
@Injectable()
class LifecycleProbe implements OnApplicationShutdown {
  constructor() {
    lifecycle.boots += 1;
  }
  onApplicationShutdown(): void {
    lifecycle.shutdowns += 1;
  }
}

const YEARLY = ['show-usage', '--yearly', '--subscription-start=01/24/2010', '--recent'];
const LAST_YEAR = ['Y08', '2017-01-24', '2017-04-04', '9', '9', '1'];

describe('runCli', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite', { entities: [TestUser] });
    await seedSouvenirs(database.dataSource);
  });

  afterAll(async () => {
    await database?.drop();
  });

  const reset = () => Object.assign(lifecycle, { boots: 0, shutdowns: 0 });

  it('given a dynamic module, boots it, runs the command and closes it', async () => {
    reset();
    const io = captureIo();
    const code = await runCli(cliTestAppModule(database, { providers: [LifecycleProbe] }), YEARLY, io);
    expect({ code, stderr: io.stderr.text }).toEqual({ code: 0, stderr: '' });
    expect(tokens(io.stdout.text).slice(-6)).toEqual(LAST_YEAR);
    expect(lifecycle).toEqual({ boots: 1, shutdowns: 1 });
  });

  it('given a module class, boots and closes it the same way', async () => {
    reset();
    @Module({ imports: [cliTestAppModule(database, { providers: [LifecycleProbe] })] })
    class AppModule {}
    const io = captureIo();
    expect(await runCli(AppModule, YEARLY, io)).toBe(0);
    expect(tokens(io.stdout.text).slice(-6)).toEqual(LAST_YEAR);
    expect(lifecycle).toEqual({ boots: 1, shutdowns: 1 });
  });

  it('given an application context, uses it and leaves it open', async () => {
    reset();
    const context: INestApplicationContext = await NestFactory.createApplicationContext(
      cliTestAppModule(database, { providers: [LifecycleProbe] }),
      { logger: false },
    );
    try {
      const first = captureIo();
      expect(await runCli(context, YEARLY, first)).toBe(0);
      const second = captureIo();
      expect(await runCli(context, [...YEARLY, '--csv'], second)).toBe(0);
      expect(second.stdout.text).toMatch(/^Y08,2017-01-24,2017-04-04,9,9,1$/m);
      expect(lifecycle).toEqual({ boots: 1, shutdowns: 0 });
      // Still usable by its owner.
      expect(await context.get(ReportsService).customerYearlyUsage(new Date('2010-01-25T03:00:00Z'))).toHaveLength(8);
    } finally {
      await context.close();
    }
    expect(lifecycle.shutdowns).toBe(1);
  });

  it('checks the arguments before booting: a usage error never boots the module', async () => {
    reset();
    const io = captureIo();
    const code = await runCli(cliTestAppModule(database, { providers: [LifecycleProbe] }), ['show-usage', '--daily'], io);
    expect({ code, stdout: io.stdout.text }).toEqual({ code: 2, stdout: '' });
    expect(io.stderr.text).toMatch(/requires --subscription-start/);
    expect(lifecycle.boots).toBe(0);
  });

  it('a module that fails to boot is a failure (exit 1) reported on stderr, not a process exit', async () => {
    @Injectable()
    class Broken {
      constructor() {
        throw new Error('the database is on fire');
      }
    }
    @Module({ providers: [Broken] })
    class BrokenModule {}
    const io = captureIo();
    const code = await runCli(BrokenModule, YEARLY, io);
    expect({ code, stdout: io.stdout.text }).toEqual({ code: 1, stdout: '' });
    expect(io.stderr.text).toMatch(/the database is on fire/);
  });

  it('--help lists the commands on stdout; no command is a usage error', async () => {
    const help = captureIo();
    expect(await runCli(LifecycleProbe, ['--help'], help)).toBe(0);
    expect(help.stdout.text).toMatch(/show-usage/);
    expect(help.stdout.text).toMatch(/backfill/);
    const none = captureIo();
    expect(await runCli(LifecycleProbe, [], none)).toBe(2);
    expect(none.stdout.text).toBe('');
    expect(none.stderr.text).toMatch(/Usage: souvenirs/);
  });

  it('--help aligns the command list: each summary starts in one column, at least two spaces after the longest name', async () => {
    const help = captureIo();
    await runCli(LifecycleProbe, ['--help'], help);
    const lines = help.stdout.text.split('\n');
    const list = lines.slice(lines.indexOf('Commands:') + 1, lines.indexOf('', lines.indexOf('Commands:')));
    const names = ['show-usage', 'backfill', 'reindex', 'active-users', 'retention', 'lifecycle', 'stickiness', 'tenants', 'inactive-users', 'forget', 'export-user', 'prune'];
    expect(list.map((line) => /^ {2}(\S+)/.exec(line)?.[1])).toEqual(names);
    // Two spaces of indent, the longest name (inactive-users), two spaces of gap.
    const column = 2 + Math.max(...names.map((name) => name.length)) + 2;
    expect(list.map((line) => [line, /^ {2}\S+ +/.exec(line)?.[0].length])).toEqual(list.map((line) => [line, column]));
  });

  it("a command's --help prints its flags on stdout without booting", async () => {
    reset();
    const io = captureIo();
    expect(await runCli(cliTestAppModule(database, { providers: [LifecycleProbe] }), ['show-usage', '--help'], io)).toBe(0);
    for (const flag of ['--daily', '--monthly', '--quarterly', '--yearly', '--calendar', '--subscription-start', '--after', '--before', '--recent', '--ascending', '--datefmt', '--csv', '--json']) {
      expect(io.stdout.text).toContain(flag);
    }
    const backfill = captureIo();
    expect(await runCli(LifecycleProbe, ['backfill', '-h'], backfill)).toBe(0);
    expect(backfill.stdout.text).toMatch(/--check-duplicate/);
    expect(lifecycle.boots).toBe(0);
  });
});
