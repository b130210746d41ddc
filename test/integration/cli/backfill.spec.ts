import 'reflect-metadata';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Like } from 'typeorm';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { runCli } from '../../../lib/cli/run-cli.js';
import { DIALECTS, createTestDatabase, type Dialect, type TestDatabase } from '../../support/databases.js';
import { TestUser } from '../../support/test-user.entity.js';
import { captureIo, cliTestAppModule } from './cli-test-app.js';

describe.each(DIALECTS)('souvenirs backfill on %s', (dialect: Dialect) => {
  let database: TestDatabase;
  let app: INestApplicationContext;
  let directory: string;
  let files = 0;

  /** Writes `lines` to a fresh temporary file named `name`; resolves to its path. */
  const file = async (name: string, lines: string[]) => {
    files += 1;
    const path = join(directory, `${files}-${name}`);
    await writeFile(path, lines.join('\n'));
    return path;
  };
  const backfill = async (...args: string[]) => {
    const io = captureIo();
    const code = await runCli(app, ['backfill', ...args], io);
    return { code, stdout: io.stdout.text, stderr: io.stderr.text };
  };
  /** The stored souvenirs of users starting with `prefix`, as `user@ISO`, sorted. */
  const stored = async (prefix: string) => {
    const rows = await database.dataSource.getRepository(Souvenir).find({ where: { userId: Like(`${prefix}%`) } });
    return rows.map((row) => `${row.userId}@${new Date(row.when).toISOString()}`).sort();
  };

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'souvenirs-cli-'));
    database = await createTestDatabase(dialect, { entities: [TestUser] });
    app = await NestFactory.createApplicationContext(cliTestAppModule(database), { logger: false });
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('imports a CSV file with a user,when header and prints the counts', async () => {
    const path = await file('activity.csv', [
      'user,when',
      'csv-1,2020-01-01T10:00:00Z',
      '',
      '"csv-2",2020-01-02T10:00:00+01:00',
      'csv-3,2020-01-03 10:00',
    ]);
    const { code, stdout, stderr } = await backfill(path);
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: 'added 3, duplicated 0\n', stderr: '' });
    // Without an offset, `when` is wall-clock time in the module's zone (New York, EST).
    expect(await stored('csv-')).toEqual([
      'csv-1@2020-01-01T10:00:00.000Z',
      'csv-2@2020-01-02T09:00:00.000Z',
      'csv-3@2020-01-03T15:00:00.000Z',
    ]);
  });

  it('draws a progress bar on stderr when it is a terminal, the counts still on stdout', async () => {
    const path = await file('tty.csv', ['user,when', 'tty-1,2020-01-05T00:00:00Z', 'tty-2,2020-01-06T00:00:00Z']);
    const io = captureIo();
    Object.assign(io.stderr, { isTTY: true, columns: 80 });
    const code = await runCli(app, ['backfill', path, '--batch-size=1'], io);
    expect({ code, stdout: io.stdout.text }).toEqual({ code: 0, stdout: 'added 2, duplicated 0\n' });
    expect(io.stderr.text).toMatch(/backfill \|.*\| 100% \| 2 records/);
  });

  it('reads the columns by their header names, in any order, ignoring others', async () => {
    const path = await file('reordered.csv', ['when,source,user', '2020-02-01T00:00:00Z,"web, mobile",order-1']);
    expect((await backfill(path)).stdout).toBe('added 1, duplicated 0\n');
    expect(await stored('order-')).toEqual(['order-1@2020-02-01T00:00:00.000Z']);
  });

  it('imports JSON lines; --check-duplicate skips what is already stored', async () => {
    const lines = [
      '{"user": "json-1", "when": "2020-03-01T10:00:00Z"}',
      '{"user": 4242, "when": "2020-03-02T10:00:00Z"}',
    ];
    expect((await backfill(await file('activity.jsonl', lines))).stdout).toBe('added 2, duplicated 0\n');
    const again = await file('again.ndjson', [...lines, '{"user": "json-2", "when": "2020-03-03T10:00:00Z"}']);
    const { code, stdout } = await backfill(again, '--check-duplicate');
    expect({ code, stdout }).toEqual({ code: 0, stdout: 'added 1, duplicated 2\n' });
    expect(await stored('json-')).toEqual([
      'json-1@2020-03-01T10:00:00.000Z',
      'json-2@2020-03-03T10:00:00.000Z',
    ]);
    expect(await stored('4242')).toEqual(['4242@2020-03-02T10:00:00.000Z']);
  });

  it('reads an optional tenant: a CSV `tenant` column (blank: none) and a JSON `tenant` field (null or absent: none)', async () => {
    const tenantsOf = async (prefix: string) =>
      (await database.dataSource.getRepository(Souvenir).find({ where: { userId: Like(`${prefix}%`) } }))
        .map((row) => `${row.userId}:${row.tenant}`)
        .sort();
    const csv = await file('tenants.csv', ['user,tenant,when', 'ten-1,acme,2020-08-01T00:00:00Z', 'ten-2,,2020-08-01T00:00:00Z', 'ten-3,"globex, inc",2020-08-01T00:00:00Z']);
    expect((await backfill(csv)).stdout).toBe('added 3, duplicated 0\n');
    const json = await file('tenants.jsonl', [
      '{"user": "tenj-1", "when": "2020-08-01T00:00:00Z", "tenant": "acme"}',
      '{"user": "tenj-2", "when": "2020-08-01T00:00:00Z", "tenant": null}',
      '{"user": "tenj-3", "when": "2020-08-01T00:00:00Z"}',
    ]);
    expect((await backfill(json)).stdout).toBe('added 3, duplicated 0\n');
    expect(await tenantsOf('ten-')).toEqual(['ten-1:acme', 'ten-2:null', 'ten-3:globex, inc']);
    expect(await tenantsOf('tenj-')).toEqual(['tenj-1:acme', 'tenj-2:null', 'tenj-3:null']);
    const bad = await file('bad-tenant.jsonl', ['{"user": "tenb-1", "when": "2020-08-01T00:00:00Z", "tenant": 7}']);
    const badResult = await backfill(bad);
    expect(badResult.code).toBe(1);
    expect(badResult.stderr).toMatch(/line 1: "tenant" must be a string, or null for no tenant/);
    const long = await file('long-tenant.csv', ['user,tenant,when', `tenl-1,${'x'.repeat(256)},2020-08-01T00:00:00Z`]);
    const longResult = await backfill(long);
    expect(longResult.code).toBe(1);
    expect(longResult.stderr).toMatch(/line 2: .*longer than 255 characters/);
    expect(await tenantsOf('ten')).toHaveLength(6);
  });

  it('without --check-duplicate, stores the same record again', async () => {
    const path = await file('twice.csv', ['user,when', 'twice-1,2020-04-01T00:00:00Z', 'twice-1,2020-04-01T00:00:00Z']);
    expect((await backfill(path)).stdout).toBe('added 2, duplicated 0\n');
    expect(await stored('twice-')).toHaveLength(2);
  });

  it('tells JSON lines from CSV by the first character when the extension says nothing', async () => {
    const json = await file('activity.txt', ['', '{"user": "sniff-1", "when": "2020-05-01T00:00:00Z"}']);
    const csv = await file('activity.log', ['user,when', 'sniff-2,2020-05-02T00:00:00Z']);
    expect((await backfill(json)).stdout).toBe('added 1, duplicated 0\n');
    expect((await backfill(csv, '--batch-size', '1')).stdout).toBe('added 1, duplicated 0\n');
    expect(await stored('sniff-')).toEqual(['sniff-1@2020-05-01T00:00:00.000Z', 'sniff-2@2020-05-02T00:00:00.000Z']);
  });

  it('a malformed CSV record stops the import with its line number; earlier batches stay written', async () => {
    const path = await file('broken.csv', [
      'user,when',
      'broken-1,2020-06-01T00:00:00Z',
      'broken-2,2020-06-02T00:00:00Z',
      'broken-3,2020-06-03T00:00:00Z',
      'broken-4,2020-06-04T00:00:00Z',
      'broken-5,2020-06-05T00:00:00Z',
      'broken-6,not a date',
      'broken-7,2020-06-07T00:00:00Z',
    ]);
    const { code, stdout, stderr } = await backfill(path, '--batch-size=2');
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toMatch(/line 7: cannot read "when" "not a date"/);
    expect(stderr).toMatch(/the 4 records before its batch were imported/);
    // Two full batches (lines 2-5) were written; line 6, in the broken batch, was not.
    expect(await stored('broken-')).toHaveLength(4);
  });

  it('a line that is not JSON, or lacks a field, stops a JSON-lines import at its line', async () => {
    const bad = await file('bad.jsonl', ['{"user": "badjson-1", "when": "2020-07-01T00:00:00Z"}', '{"user": "badjson-2",']);
    const badResult = await backfill(bad, '--batch-size=1');
    expect(badResult.code).toBe(1);
    expect(badResult.stderr).toMatch(/line 2: not valid JSON/);
    expect(await stored('badjson-')).toEqual(['badjson-1@2020-07-01T00:00:00.000Z']);

    const missing = await file('missing.jsonl', ['{"user": "nowhen-1"}']);
    const missingResult = await backfill(missing);
    expect(missingResult.code).toBe(1);
    expect(missingResult.stderr).toMatch(/line 1: "when" must be a date string/);
  });

  it('a record the service rejects (a user id too long) is reported at its line', async () => {
    const path = await file('long.csv', ['user,when', 'long-1,2020-08-01T00:00:00Z', `long-${'x'.repeat(200)},2020-08-02T00:00:00Z`]);
    const { code, stderr } = await backfill(path, '--batch-size=1');
    expect(code).toBe(1);
    expect(stderr).toMatch(/line 3: .*191/);
    expect(await stored('long-')).toEqual(['long-1@2020-08-01T00:00:00.000Z']);
  });

  it('a CSV record with a field more (or fewer) than the header is refused at its line', async () => {
    const extra = await file('extra.csv', ['user,when', 'extra-1,2020-10-01T00:00:00Z', 'extra-2,2020-10-02T00:00:00Z,oops']);
    const extraResult = await backfill(extra, '--batch-size=1');
    expect(extraResult.code).toBe(1);
    expect(extraResult.stderr).toMatch(/line 3: 3 fields where the header has 2 \(user,when\)/);
    expect(await stored('extra-')).toEqual(['extra-1@2020-10-01T00:00:00.000Z']);

    const fewer = await file('fewer.csv', ['user,when,plan', 'fewer-1,2020-10-01T00:00:00Z']);
    const fewerResult = await backfill(fewer);
    expect(fewerResult.code).toBe(1);
    expect(fewerResult.stderr).toMatch(/line 2: 2 fields where the header has 3/);
  });

  it('a CSV file without a user,when header is refused at line 1', async () => {
    const path = await file('headless.csv', ['noheader-1,2020-09-01T00:00:00Z']);
    const { code, stderr } = await backfill(path);
    expect(code).toBe(1);
    expect(stderr).toMatch(/line 1: expected a CSV header naming "user" and "when"/);
    expect(await stored('noheader-')).toEqual([]);
  });

  it.each([
    ['no FILE', [], /expected one FILE/],
    ['a missing file', ['/nonexistent/souvenirs.csv'], /cannot read \/nonexistent\/souvenirs.csv: no such file/],
    ['--batch-size 0', ['x.csv', '--batch-size=0'], /--batch-size/],
    ['an unknown flag', ['x.csv', '--dry-run'], /--dry-run/],
  ] as [string, string[], RegExp][])('usage error: %s (exit 2, nothing on stdout)', async (_name, args, message) => {
    const { code, stdout, stderr } = await backfill(...args);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(message);
  });
});
