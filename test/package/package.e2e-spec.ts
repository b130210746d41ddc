/**
 * Pack and consume: the package as a new user gets it. Builds and packs this
 * repository, installs the tarball (fresh every run) into a fresh application whose
 * other dependencies are copied from a cache in the OS temp dir (keyed by the hash of
 * their package.json, so it survives `npm ci`), compiles the README's first example with
 * the newest TypeScript and `skipLibCheck: false`, boots the app on SQLite and the
 * memory store, and runs the installed `souvenirs` bin.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BOOT_MODULE,
  CONSUMER_DEPENDENCIES_HASH,
  CONSUMER_PACKAGE_JSON,
  CONSUMER_TSCONFIG,
  MAIN,
  USER_ENTITY,
  readmeFirstExample,
} from './consumer-app.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The consumer's installed dependencies, never modified once complete: each run copies them. */
const DEPENDENCIES_CACHE = join(tmpdir(), 'nestjs-souvenirs-consumer-cache', CONSUMER_DEPENDENCIES_HASH);

// Children get a clean environment: no jest VM flags, no settings of the npm running jest.
const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => key !== 'NODE_OPTIONS' && !key.toLowerCase().startsWith('npm_')),
);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; never throws, so a test can show its output. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: { ...childEnv, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Runs a command that must succeed, failing loudly with its output otherwise. */
async function mustRun(command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<Run> {
  const result = await run(command, args, cwd, env);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

const npm = (args: string[], cwd: string) => mustRun('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], cwd);

/**
 * The cached `node_modules` of the consumer's dependencies, installed on first use into a
 * staging folder then renamed into place, so a run never sees a half-done install.
 */
async function cachedDependencies(): Promise<string> {
  const modules = join(DEPENDENCIES_CACHE, 'node_modules');
  if (existsSync(modules)) return modules;
  await mkdir(join(DEPENDENCIES_CACHE, '..'), { recursive: true });
  const staging = await mkdtemp(`${DEPENDENCIES_CACHE}-staging-`);
  await writeFile(join(staging, 'package.json'), JSON.stringify(CONSUMER_PACKAGE_JSON, null, 2));
  await npm(['install', '--ignore-scripts'], staging);
  await buildBetterSqlite3(staging);
  try {
    await rename(staging, DEPENDENCIES_CACHE);
  } catch {
    // Another run finished first: keep its copy.
    await rm(staging, { recursive: true, force: true });
  }
  return modules;
}

/**
 * better-sqlite3's native addon: copied from this repository's own install when it is the
 * same version for the same Node (compiling it takes minutes on a busy machine), else built.
 */
async function buildBetterSqlite3(app: string): Promise<void> {
  const ours = join(ROOT, 'node_modules', 'better-sqlite3');
  const theirs = join(app, 'node_modules', 'better-sqlite3');
  const version = async (dir: string) => (JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  if (existsSync(join(ours, 'build', 'Release', 'better_sqlite3.node')) && (await version(ours)) === (await version(theirs))) {
    await cp(join(ours, 'build'), join(theirs, 'build'), { recursive: true });
  } else {
    await npm(['rebuild', 'better-sqlite3'], app);
  }
}

describe('the packed package, installed into a fresh app', () => {
  let packDir: string;
  let database: string;
  let appDir: string;

  beforeAll(async () => {
    packDir = await mkdtemp(join(tmpdir(), 'souvenirs-pack-'));
    database = join(packDir, 'consumer.sqlite');
    await mustRun('npm', ['run', 'build'], ROOT);
    await mustRun('npm', ['pack', '--pack-destination', packDir], ROOT);
    const tarball = (await readdir(packDir)).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack wrote no tarball into ${packDir}`);

    appDir = join(packDir, 'app');
    await mkdir(appDir);
    await writeFile(join(appDir, 'package.json'), JSON.stringify(CONSUMER_PACKAGE_JSON, null, 2));
    // The app's own dependencies come from the cache (a copy: the cache stays untouched) ...
    await cp(await cachedDependencies(), join(appDir, 'node_modules'), { recursive: true, verbatimSymlinks: true });
    // ... the package under test never does.
    await npm(['install', '--no-save', join(packDir, tarball)], appDir);

    await mkdir(join(appDir, 'src'));
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    await writeFile(join(appDir, 'tsconfig.json'), JSON.stringify(CONSUMER_TSCONFIG, null, 2));
    await writeFile(join(appDir, 'src', 'app.module.ts'), readmeFirstExample(readme));
    await writeFile(join(appDir, 'src', 'user.entity.ts'), USER_ENTITY);
    await writeFile(join(appDir, 'src', 'boot.module.ts'), BOOT_MODULE);
    await writeFile(join(appDir, 'src', 'main.ts'), MAIN);
  }, 600_000); // a first run installs the cached dependencies: minutes; later runs: about a minute

  afterAll(async () => {
    if (packDir) await rm(packDir, { recursive: true, force: true });
  });

  it('ships a LICENSE, and no source map comment pointing at a file it does not ship', async () => {
    const installed = join(appDir, 'node_modules', 'nestjs-souvenirs');
    expect(existsSync(join(installed, 'LICENSE'))).toBe(true);
    const index = await readFile(join(installed, 'dist', 'index.js'), 'utf8');
    expect(index).not.toContain('sourceMappingURL');
  });

  it('compiles, README example included, with the newest TypeScript and skipLibCheck false', async () => {
    const version = await mustRun(join(appDir, 'node_modules', '.bin', 'tsc'), ['--version'], appDir);
    expect(version.stdout).toMatch(/Version [7-9]\./);
    const compiled = await run(join(appDir, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], appDir);
    expect(compiled.stdout + compiled.stderr).toBe('');
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
