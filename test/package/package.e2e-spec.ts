/**
 * Pack and consume: the package as a new user gets it. Builds and packs this repository
 * once, then installs the tarball (fresh every run) into fresh applications (see
 * packed-package.ts for how their dependencies are installed), each compiled with the
 * newest TypeScript and `skipLibCheck: false`:
 * - an ES module app on SQLite and the memory store whose module is the README's first
 *   example, booted as an application context; it runs the installed `souvenirs` bin;
 * - the consumer matrix (consumer-matrix.ts): a CommonJS NestJS 11 app (Express, TypeORM
 *   0.3, MariaDB) and an ES module NestJS 12 app (Fastify, TypeORM 1, PostgreSQL, Redis),
 *   each booted as an HTTP server, visited by two users, asked for a count, a usage report,
 *   the dashboard and a Prometheus scrape over HTTP, then `souvenirs show-usage` from its bin.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { deleteKeysWithPrefix, randomKeyPrefix } from '../support/redis-test-keys.js';
import { BOOT_MODULE, CONSUMER_PACKAGE_JSON, CONSUMER_TSCONFIG, MAIN, USER_ENTITY, readmeFirstExample } from './consumer-app.js';
import { CONSUMER_APPS, consumerPackageJson, usersTable, writeConsumerSources, type ConsumerApp } from './consumer-matrix.js';
import { blockModule, documentationBlocks, rootExports, type CodeBlock } from './readme-blocks.js';
import { ROOT, childEnvironment, installApp, mustRun, packThisPackage, run } from './packed-package.js';

let packDir: string;
let tarball: string;

beforeAll(async () => {
  packDir = await mkdtemp(join(tmpdir(), 'souvenirs-pack-'));
  tarball = await packThisPackage(packDir);
}, 600_000);

afterAll(async () => {
  if (packDir) await rm(packDir, { recursive: true, force: true });
});

describe('the packed package, installed into a fresh app', () => {
  let database: string;
  let appDir: string;
  /** Every ```ts block of the README and docs/*.md, by the app file it is compiled as. */
  const blocks = new Map<string, CodeBlock>();

  beforeAll(async () => {
    database = join(packDir, 'consumer.sqlite');
    appDir = join(packDir, 'app');
    await installApp(appDir, CONSUMER_PACKAGE_JSON, tarball);
    await mkdir(join(appDir, 'src'));
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    await writeFile(join(appDir, 'tsconfig.json'), JSON.stringify(CONSUMER_TSCONFIG, null, 2));
    await writeFile(join(appDir, 'src', 'app.module.ts'), readmeFirstExample(readme));
    await writeFile(join(appDir, 'src', 'user.entity.ts'), USER_ENTITY);
    await writeFile(join(appDir, 'src', 'boot.module.ts'), BOOT_MODULE);
    await writeFile(join(appDir, 'src', 'main.ts'), MAIN);
    const exports = rootExports(ROOT);
    for (const [index, block] of documentationBlocks(ROOT).entries()) {
      const file = `src/doc-block-${String(index + 1).padStart(2, '0')}.ts`;
      blocks.set(file, block);
      await writeFile(join(appDir, file), blockModule(block, exports));
    }
  }, 600_000); // a first run installs the cached dependencies: minutes; later runs: seconds

  it('ships a LICENSE, and no source map comment pointing at a file it does not ship', async () => {
    const installed = join(appDir, 'node_modules', 'nestjs-souvenirs');
    expect(existsSync(join(installed, 'LICENSE'))).toBe(true);
    for (const build of ['esm', 'cjs']) {
      const index = await readFile(join(installed, 'dist', build, 'index.js'), 'utf8');
      expect(index).not.toContain('sourceMappingURL');
    }
  });

  it('compiles, with every ts block of the README and docs/*.md, with the newest TypeScript and skipLibCheck false', async () => {
    const version = await mustRun(join(appDir, 'node_modules', '.bin', 'tsc'), ['--version'], appDir);
    expect(version.stdout).toMatch(/Version [7-9]\./);
    expect([...blocks.values()].filter((block) => block.file === 'README.md').length).toBeGreaterThan(0);
    const compiled = await run(join(appDir, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], appDir);
    // An error in a block names the Markdown it came from.
    const output = (compiled.stdout + compiled.stderr).replace(/src\/doc-block-\d+\.ts/g, (file) => `${file} [${blocks.get(file)!.file}:${blocks.get(file)!.line}]`);
    expect(output).toBe('');
    expect(compiled.code).toBe(0);
  }, 120_000);

  it('boots on SQLite and the memory store, counts activity and registered users, serves Chart.js, and resolves its subpaths', async () => {
    const result = await mustRun('node', ['dist/main.js'], appDir, { SOUVENIRS_DB: database });
    const counted = JSON.parse(result.stdout.trim().split('\n').pop()!);
    expect(counted.added).toEqual(['added', 'added', 'rate-limited']);
    expect(counted.activeUsers).toBe(2);
    expect(counted.registered).toEqual({ registered: 2, activated: 1 });
    expect(counted.chartJsBytes).toBeGreaterThan(100_000);
    expect(counted.subpaths).toEqual({ store: true, errors: 'function', dashboardType: true });
  }, 60_000);

  it('runs the installed bin: --help, and show-usage with --app after the command', async () => {
    const bin = join(appDir, 'node_modules', '.bin', 'souvenirs');
    const help = await mustRun(bin, ['--help'], appDir);
    expect(help.stdout).toContain('Usage: souvenirs');
    const usage = await mustRun(
      bin,
      ['show-usage', '--calendar', '--after', '2026-03-01', '--before', '2026-05-01', '--csv', '--app', 'dist/boot.module.js#BootModule'],
      appDir,
      { SOUVENIRS_DB: database },
    );
    expect(usage.stdout.trim().split('\n')).toEqual([
      'month,start,end,registered,activated,active',
      '2026-04,2026-04-01,2026-05-01,2,1,1',
      '2026-03,2026-03-01,2026-04-01,2,1,1',
    ]);
  }, 60_000);
});

/** The app's HTTP server, started by its own `main.ts`, which prints `{"url": …}` once listening. */
interface Server {
  url: string;
  child: ChildProcess;
  output: () => string;
}

function startServer(directory: string, env: NodeJS.ProcessEnv): Promise<Server> {
  const child = spawn('node', ['dist/main.js'], { cwd: directory, env: childEnvironment(env) });
  let stdout = '';
  let stderr = '';
  const output = () => `${stdout}\n${stderr}`;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the app did not listen within 60 s\n${output()}`)), 60_000);
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = /^\{"url":.*\}$/m.exec(stdout);
      if (line) {
        clearTimeout(timer);
        resolve({ url: (JSON.parse(line[0]) as { url: string }).url, child, output });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the app exited ${code} before listening\n${output()}`));
    });
  });
}

/** SIGTERM (the app enables shutdown hooks), then its exit code. */
function stopServer(server: Server): Promise<number | null> {
  if (server.child.exitCode !== null) return Promise.resolve(server.child.exitCode);
  return new Promise((resolve) => {
    server.child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGTERM' ? 0 : null)));
    server.child.kill('SIGTERM');
  });
}

/** Asks until `accept` takes the answer (tracking is written off the request path), for up to 10 s. */
async function eventually<T>(ask: () => Promise<T>, accept: (answer: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const answer = await ask();
    if (accept(answer) || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Another Node binary for the consumer apps' processes (the app, its tsc, the bin), when
 * `SOUVENIRS_TEST_CONSUMER_NODE` names one: how the `engines` minimum is checked.
 */
const consumerNode = process.env.SOUVENIRS_TEST_CONSUMER_NODE;

describe.each(CONSUMER_APPS)('the packed package in the $moduleFormat app $folder', (app: ConsumerApp) => {
  let db: TestDatabase;
  let appDir: string;
  let env: NodeJS.ProcessEnv;
  const prefix = randomKeyPrefix('test-souvenirs-consumer');
  const redisUrl = 'redis://127.0.0.1:6379';

  beforeAll(async () => {
    db = await createTestDatabase(app.dialect, { runMigrations: false });
    const { type, host, port, username, password, database, schema } = db.options as unknown as Record<string, unknown>;
    for (const statement of usersTable(app.dialect, schema as string | undefined)) await db.dataSource.query(statement);
    // The app's own connection: its TypeORM runs the package's migrations at boot.
    await db.dataSource.destroy();
    env = {
      APP_DATABASE: JSON.stringify({ type, host, port, username, password, database, schema }),
      ...(app.redis ? { APP_REDIS_URL: redisUrl, APP_REDIS_PREFIX: prefix } : {}),
      // (A Node older than 20.19 has no require(esm) to turn off, nor the flag.)
      NODE_OPTIONS: consumerNode ? '' : app.nodeOptions,
      ...(consumerNode ? { PATH: `${dirname(consumerNode)}:${process.env.PATH}` } : {}),
    };
    appDir = join(packDir, app.folder);
    await installApp(appDir, await consumerPackageJson(app), tarball);
    await writeConsumerSources(app, appDir);
  }, 600_000);

  afterAll(async () => {
    await db?.drop();
    if (app.redis) {
      const redis = new Redis(redisUrl);
      await deleteKeysWithPrefix(redis, prefix);
      await redis.quit();
    }
  });

  it(`loads the package's ${app.moduleFormat} build, and only that one`, async () => {
    // CommonJS files of the package Node loaded sit in require.cache; an ES module app must load none.
    const loaded = `JSON.stringify({ module: typeof souvenirs.SouvenirsModule, commonjs: Object.keys(cache).filter((file) => file.includes('/nestjs-souvenirs/dist/cjs/')).length })`;
    const result =
      app.moduleFormat === 'commonjs'
        ? await mustRun('node', ['-e', `const souvenirs = require('nestjs-souvenirs'); const cache = require.cache; console.log(${loaded})`], appDir, env)
        : await mustRun(
            'node',
            ['--input-type=module', '-e', `import * as souvenirs from 'nestjs-souvenirs'; import { createRequire } from 'node:module'; const cache = createRequire(process.cwd() + '/').cache; console.log(${loaded})`],
            appDir,
            env,
          );
    const { module, commonjs } = JSON.parse(result.stdout) as { module: string; commonjs: number };
    expect(module).toBe('function');
    if (app.moduleFormat === 'commonjs') expect(commonjs).toBeGreaterThan(10);
    else expect(commonjs).toBe(0);
  });

  it('shares its tokens and error classes between its two builds, should the app load both', async () => {
    // A CommonJS script, as a dependency of the app would `require` the package, beside the app's own `import`.
    const script = `
      const cjs = require('nestjs-souvenirs');
      import('nestjs-souvenirs').then((esm) => {
        const fromCjs = new cjs.UnknownMetricaError('visits', []);
        const fromEsm = new esm.UnknownMetricaError('visits', []);
        console.log(JSON.stringify({
          twoCopies: cjs.SouvenirsModule !== esm.SouvenirsModule,
          storeToken: cjs.SouvenirsStore === esm.SouvenirsStore,
          errors: [fromCjs instanceof esm.UnknownMetricaError, fromEsm instanceof cjs.UnknownMetricaError, fromCjs instanceof esm.SouvenirsError, fromCjs instanceof esm.InvalidOptionError],
        }));
      });`;
    const result = await run('node', ['-e', script], appDir, env);
    const requireEsm = (await mustRun('node', ['-p', 'Boolean(process.features.require_module)'], appDir, env)).stdout.trim() === 'true';
    if (app.moduleFormat === 'esm' && !requireEsm) {
      // Before Node 20.19 nothing CommonJS can load NestJS 12 (ES modules only): no app can hold both copies.
      expect(result.stderr).toContain('ERR_REQUIRE_ESM');
      return;
    }
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ twoCopies: true, storeToken: true, errors: [true, true, true, false] });
  });

  it('compiles with the newest TypeScript and skipLibCheck false', async () => {
    const tsc = join(appDir, 'node_modules', '.bin', 'tsc');
    expect((await mustRun(tsc, ['--version'], appDir)).stdout).toMatch(/Version [7-9]\./);
    const compiled = await run(tsc, ['-p', 'tsconfig.json'], appDir);
    expect(compiled.stdout + compiled.stderr).toBe('');
    expect(compiled.code).toBe(0);
    expect(existsSync(join(appDir, 'dist', 'main.js'))).toBe(true);
  }, 120_000);

  it('boots, tracks two users, and answers a count, a usage report, retention, the dashboard, a Prometheus scrape and a duplicate check over HTTP', async () => {
    const server = await startServer(appDir, env);
    try {
      const get = (path: string, user?: number) => fetch(server.url + path, { headers: user === undefined ? {} : { 'x-user': String(user) } });
      const visits = [await get('/hello', 1), await get('/hello', 2), await get('/hello', 1), await get('/hello')];
      expect(visits.map((response) => response.status)).toEqual([200, 200, 200, 200]);
      const requested = new Date();

      const count = await eventually(
        async () => (await (await get('/stats/count')).json()) as { active: number },
        (answer) => answer.active === 2,
      );
      expect(count).toEqual({ active: 2 });

      const monthStart = `${requested.toISOString().slice(0, 7)}-01`;
      const usage = (await (await get(`/stats/usage?start=${monthStart}`)).json()) as { labels: { calendarYearMonth: string }; usage: unknown }[];
      const month = usage.find((row) => row.labels.calendarYearMonth === monthStart.slice(0, 7));
      expect(month?.usage).toEqual({ registeredUsers: 3, activatedUsers: 2, activeUsers: 2 });
      const cohorts = (await (await get(`/stats/retention?start=${monthStart}`)).json()) as { size: number }[];
      expect(cohorts.reduce((sum, cohort) => sum + cohort.size, 0)).toBe(2);

      const dashboard = await get('/souvenirs');
      expect(dashboard.status).toBe(200);
      expect(dashboard.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await dashboard.text()).toContain('</html>');
      const chartJs = await get('/souvenirs/assets/chart.umd.js');
      expect(chartJs.status).toBe(200);
      expect((await chartJs.text()).length).toBeGreaterThan(100_000);
      const activeUsers = await get('/souvenirs/api/active-users');
      expect(activeUsers.status).toBe(200);

      const scrape = await eventually(
        async () => (await get('/metrics')).text(),
        (text) => text.includes('souvenirs_response_time_seconds_count{view="AppController.hello",exception="",status="2xx"} 4'),
      );
      expect(scrape).toContain('# TYPE souvenirs_response_time_seconds histogram');
      expect(scrape).toContain('souvenirs_response_time_seconds_count{view="AppController.hello",exception="",status="2xx"} 4');

      // Last, as it adds a third user's activity (in January: no other answer above changes).
      expect(await (await get('/stats/import')).json()).toEqual(['added', 'duplicated']);
    } finally {
      const code = await stopServer(server);
      if (code !== 0) throw new Error(`the app exited ${code} on SIGTERM\n${server.output()}`);
    }
  }, 120_000);

  it("runs show-usage from the installed bin against the app's module", async () => {
    const monthStart = `${new Date().toISOString().slice(0, 7)}-01`;
    const bin = join(appDir, 'node_modules', '.bin', 'souvenirs');
    const usage = await mustRun(bin, ['--app', 'dist/app.module.js', 'show-usage', '--calendar', '--after', monthStart, '--csv'], appDir, env);
    const lines = usage.stdout.trim().split('\n');
    expect(lines[0]).toBe('month,start,end,registered,activated,active');
    expect(lines.find((line) => line.startsWith(`${monthStart.slice(0, 7)},`))).toMatch(/,3,2,2$/);
  }, 60_000);
});
