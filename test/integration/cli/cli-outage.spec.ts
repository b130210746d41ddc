import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import { SOUVENIRS_ENTITIES } from '../../../lib/table/souvenirs-entities.js';
import { abandonedBoots } from '../../../lib/cli/boot-app-context.js';
import { runCli } from '../../../lib/cli/run-cli.js';
import { SouvenirsModule } from '../../../lib/souvenirs.module.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { freePorts } from '../../support/free-ports.js';
import { startStandaloneRedis, type StandaloneRedis } from '../../support/standalone-redis.js';

// The CLI against a database or a Redis that cannot be reached: it must print why, on one
// line, and end by itself (nothing it opened may keep the process alive).

const ROOT = resolve(import.meta.dirname, '../../..');
const APP = 'test/integration/cli/fixtures/cli-outage-app.module.ts';
/** The fixture's TypeORM retries (2 × 300 ms), plus Node and SWC starting on a busy machine. */
const BIN_DEADLINE_MS = 25_000;

/** Runs the bin; resolves to its exit code, outputs and how long it took (killed past the deadline). */
function bin(args: string[], env: Record<string, string>, deadlineMs = BIN_DEADLINE_MS) {
  const started = performance.now();
  return new Promise<{ code: number | string; stdout: string; stderr: string; ms: number }>((done) => {
    execFile(
      process.execPath,
      ['--import', './scripts/register-ts.mjs', 'lib/cli/main.ts', '--app', APP, ...args],
      { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '', ...env }, timeout: deadlineMs, killSignal: 'SIGKILL' },
      (error, stdout, stderr) =>
        done({ code: error ? (error.killed ? 'killed' : Number(error.code)) : 0, stdout, stderr, ms: performance.now() - started }),
    );
  });
}

/** Clients connected to `redis`, the asking one excluded. */
async function otherClients(redis: StandaloneRedis): Promise<number> {
  const checker = new Redis({ port: redis.port, host: '127.0.0.1', lazyConnect: true, disconnectTimeout: 50 });
  try {
    const info = await checker.info('clients');
    return Number(/connected_clients:(\d+)/.exec(info)?.[1]) - 1;
  } finally {
    checker.disconnect();
  }
}

describe('the CLI when a server cannot be reached', () => {
  let redis: StandaloneRedis;
  let closedPort: number;
  let database: TestDatabase;

  beforeAll(async () => {
    redis = await startStandaloneRedis();
    [closedPort] = await freePorts(1);
    database = await createTestDatabase('postgres');
  });

  afterAll(async () => {
    await redis?.kill();
    await database?.drop();
  });

  it('closes the Redis connection it opened when the boot fails, and names the database on one line', async () => {
    @Module({
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          host: '127.0.0.1',
          port: closedPort,
          entities: [...SOUVENIRS_ENTITIES],
          retryAttempts: 1,
          retryDelay: 100,
        }),
        SouvenirsModule.forRoot({ redis: redis.url, track: false }),
      ],
    })
    class UnreachableDatabaseModule {}
    let stderr = '';
    const sink = new Writable({ write: (chunk: Buffer, _encoding, next) => ((stderr += chunk.toString()), next()) });

    const code = await runCli(UnreachableDatabaseModule, ['show-usage', '--calendar', '--after=2024-01-01'], { stderr: sink, stdout: sink });

    expect(code).toBe(1);
    expect(stderr).toBe(
      `souvenirs: waiting for the database: attempt 1 failed (connect ECONNREFUSED 127.0.0.1:${closedPort}); TypeORM retries; --connect-timeout SECONDS gives up sooner\n` +
        `souvenirs show-usage: the database is unreachable (connect ECONNREFUSED 127.0.0.1:${closedPort}); ` +
        `check TypeOrmModule's connection options and that the database is up.\n`,
    );
    // The store had connected to Redis during the boot; the failed boot closed it.
    const deadline = Date.now() + 2_000;
    while ((await otherClients(redis)) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await otherClients(redis)).toBe(0);
  });

  it('the bin says what it waits for at each failed attempt, then exits by itself with code 1 and the cause', async () => {
    const result = await bin(['show-usage', '--calendar', '--after=2024-01-01'], {
      SOUVENIRS_CLI_TEST_PG_PORT: String(closedPort),
      SOUVENIRS_CLI_TEST_REDIS: redis.url,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      `souvenirs: waiting for the database: attempt 1 failed (connect ECONNREFUSED 127.0.0.1:${closedPort}); TypeORM retries; --connect-timeout SECONDS gives up sooner`,
      `souvenirs: waiting for the database: attempt 2 failed (connect ECONNREFUSED 127.0.0.1:${closedPort}); TypeORM retries; --connect-timeout SECONDS gives up sooner`,
      expect.stringMatching(/^souvenirs show-usage: the database is unreachable \(/),
    ]);
  }, 60_000);

  it('runCli gives up past --connect-timeout with the last cause, and closes what the boot opened once it settles', async () => {
    @Module({
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          host: '127.0.0.1',
          port: closedPort,
          entities: [...SOUVENIRS_ENTITIES],
          // 25 attempts 100 ms apart: TypeORM alone would wait 2.5 s.
          retryAttempts: 25,
          retryDelay: 100,
        }),
        SouvenirsModule.forRoot({ redis: redis.url, track: false }),
      ],
    })
    class SlowlyRetriedModule {}
    let stderr = '';
    const sink = new Writable({ write: (chunk: Buffer, _encoding, next) => ((stderr += chunk.toString()), next()) });

    const started = performance.now();
    const code = await runCli(SlowlyRetriedModule, ['show-usage', '--connect-timeout=0.5', '--calendar', '--after=2024-01-01'], { stderr: sink, stdout: sink });
    const ms = performance.now() - started;

    expect(code).toBe(1);
    expect(ms).toBeLessThan(3_000);
    const lines = stderr.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines.slice(0, -1)) {
      expect(line).toMatch(new RegExp(`^souvenirs: waiting for the database: attempt \\d+ failed \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${closedPort}\\); retrying for up to 0\\.5 s \\(--connect-timeout\\)$`));
    }
    expect(lines.at(-1)).toMatch(
      new RegExp(`^souvenirs show-usage: the database did not answer within 0\\.5 s \\(--connect-timeout; \\d+ attempts? failed, the last: connect ECONNREFUSED 127\\.0\\.0\\.1:${closedPort}\\); check TypeOrmModule`),
    );
    // The boot given up on still retries; once TypeORM stops, its Redis connection is closed, and nothing more is written.
    expect(abandonedBoots()).toBe(1);
    const written = stderr;
    const deadline = Date.now() + 10_000;
    while (abandonedBoots() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(abandonedBoots()).toBe(0);
    expect(await otherClients(redis)).toBe(0);
    expect(stderr).toBe(written);
  });

  it.each([
    ['the flag', ['--connect-timeout', '1'], {}],
    ['SOUVENIRS_CONNECT_TIMEOUT', [], { SOUVENIRS_CONNECT_TIMEOUT: '1' }],
  ])('the bin gives up past %s and exits at once, though TypeORM would retry for 90 s', async (_, flag, env) => {
    const result = await bin(
      [...flag, 'show-usage', '--calendar', '--after=2024-01-01'],
      { SOUVENIRS_CLI_TEST_PG_PORT: String(closedPort), SOUVENIRS_CLI_TEST_PG_RETRIES: '300', SOUVENIRS_CLI_TEST_REDIS: redis.url, ...env },
      80_000,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    // TypeORM's 300 attempts 300 ms apart would take 90 s; Node and SWC starting on a loaded
    // 2-core machine have taken up to 20 s.
    expect(result.ms).toBeLessThan(45_000);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`souvenirs: waiting for the database: attempt 1 failed (connect ECONNREFUSED 127.0.0.1:${closedPort}); retrying for up to 1 s (--connect-timeout)`);
    expect(lines.at(-1)).toMatch(/^souvenirs show-usage: the database did not answer within 1 s \(--connect-timeout; \d+ attempts? failed, the last: connect ECONNREFUSED/);
  }, 120_000);

  it.each([['0'], ['-1'], ['soon']])('--connect-timeout %s is a usage error, before anything boots', async (value) => {
    let stderr = '';
    const sink = new Writable({ write: (chunk: Buffer, _encoding, next) => ((stderr += chunk.toString()), next()) });
    @Module({})
    class NeverBooted {
      constructor() {
        throw new Error('booted');
      }
    }
    expect(await runCli(NeverBooted, ['show-usage', `--connect-timeout=${value}`, '--calendar'], { stderr: sink, stdout: sink })).toBe(2);
    expect(stderr).toMatch(/--connect-timeout must be a positive number of seconds/);
  });

  it('the bin runs and exits by itself when Redis is unreachable (reports need only the database)', async () => {
    const result = await bin(['show-usage', '--calendar', '--after=2024-01-01', '--before=2024-02-01', '--csv'], {
      SOUVENIRS_CLI_TEST_PG_SCHEMA: (database.options as { schema: string }).schema,
      SOUVENIRS_CLI_TEST_REDIS: `redis://127.0.0.1:${closedPort}`,
    });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toBe('month,start,end,registered,activated,active\n2024-01,2024-01-01,2024-02-01,,,0\n');
  }, 60_000);
});
