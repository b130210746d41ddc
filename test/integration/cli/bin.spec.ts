import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { TestUser } from '../../support/test-user.entity.js';
import { seedSouvenirs, tokens } from './cli-test-app.js';

// The `souvenirs` bin (lib/cli/main.ts) in a child process, run from the sources through the
// repository's SWC loader, against fixtures/cli-bin-app.module.ts on a seeded SQLite file.

const ROOT = resolve(import.meta.dirname, '../../..');
const MAIN = 'lib/cli/main.ts';
const APP = 'test/integration/cli/fixtures/cli-bin-app.module.ts';

describe('the souvenirs bin', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite', { entities: [TestUser] });
    await seedSouvenirs(database.dataSource);
  });

  afterAll(async () => {
    await database?.drop();
  });

  /** Runs the bin with `args`; resolves to its exit code and outputs (never rejects on a non-zero exit). */
  const bin = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(
        process.execPath,
        ['--import', './scripts/register-ts.mjs', MAIN, ...args],
        {
          cwd: ROOT,
          env: { ...process.env, NODE_OPTIONS: '', SOUVENIRS_CLI_TEST_SQLITE: String(database.options.database), ...env },
        },
        (error, stdout, stderr) => done({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });

  it('runs show-usage against the module given by --app (default export AppModule)', async () => {
    const { code, stdout, stderr } = await bin(['--app', APP, 'show-usage', '--yearly', '--subscription-start=01/24/2010', '--ascending']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(tokens(stdout).slice(0, 6)).toEqual(['year', 'start', 'end', 'registered', 'activated', 'active']);
    expect(tokens(stdout).slice(-6)).toEqual(['Y08', '2017-01-24', '2017-04-04', '9', '9', '1']);
  });

  it('takes a named export after #, and the module from SOUVENIRS_APP', async () => {
    const { code, stdout } = await bin(['show-usage', '--calendar', '--after=2015-10-01', '--before=2015-11-01', '--csv'], {
      SOUVENIRS_APP: `${APP}#ReportingModule`,
    });
    expect({ code, stdout }).toEqual({
      code: 0,
      stdout: 'month,start,end,registered,activated,active\n2015-10,2015-10-01,2015-11-01,7,7,1\n',
    });
  });

  it('exits 2 with nothing on stdout for a usage error, a missing --app or a missing export', async () => {
    const badFlag = await bin(['--app', APP, 'show-usage', '--weekly']);
    expect({ code: badFlag.code, stdout: badFlag.stdout }).toEqual({ code: 2, stdout: '' });
    expect(badFlag.stderr).toMatch(/--weekly/);

    const noApp = await bin(['show-usage', '--calendar'], { SOUVENIRS_APP: '' });
    expect({ code: noApp.code, stdout: noApp.stdout }).toEqual({ code: 2, stdout: '' });
    expect(noApp.stderr).toMatch(/--app path\/to\/module\.js/);

    const noExport = await bin([`--app=${APP}#Missing`, 'show-usage', '--calendar']);
    expect({ code: noExport.code, stdout: noExport.stdout }).toEqual({ code: 2, stdout: '' });
    expect(noExport.stderr).toMatch(/no Nest module exported as Missing \(it exports AppModule, ReportingModule\)/);
  }, 90_000); // three bins in a row: Node + SWC start three times on a busy machine
});
