/**
 * The machinery of the pack-and-consume tests: build and pack this repository once, make a
 * fresh application from a package.json, install its dependencies and the tarball with a
 * plain `npm install`, and run commands in it.
 *
 * An app's other dependencies come from a cache in the OS temp dir, keyed by the hash of its
 * package.json (so it survives `npm ci`): installed once, never modified, copied into each
 * fresh app. The tarball is installed fresh every run, by `npm install <tarball>`, which
 * resolves it against the app's dependencies as any user's install does: a peer range that
 * does not fit fails it (no `--force`, no `--legacy-peer-deps`).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CACHE = join(tmpdir(), 'nestjs-souvenirs-consumer-cache');

// Children get a clean environment: no jest VM flags, no settings of the npm running jest.
const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => key !== 'NODE_OPTIONS' && !key.toLowerCase().startsWith('npm_')),
);

/** The clean environment, with `env` over it: for children started by other means than {@link run}. */
export function childEnvironment(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...childEnv, ...env };
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; never throws, so a test can show its output. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: childEnvironment(env), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Runs a command that must succeed, failing loudly with its output otherwise. */
export async function mustRun(command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<Run> {
  const result = await run(command, args, cwd, env);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

const npm = (args: string[], cwd: string) => mustRun('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], cwd);

/** Builds this repository and packs it into `directory`; returns the tarball's path. */
export async function packThisPackage(directory: string): Promise<string> {
  await mustRun('npm', ['run', 'build'], ROOT);
  await mustRun('npm', ['pack', '--pack-destination', directory], ROOT);
  const tarball = (await readdir(directory)).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${directory}`);
  return join(directory, tarball);
}

/** An app's package.json, as far as installing it goes. */
export interface AppPackageJson {
  name: string;
  dependencies: Record<string, string>;
  devDependencies?: Record<string, string>;
  [field: string]: unknown;
}

/**
 * A fresh app in `directory` (created): its package.json, its dependencies (from the cache),
 * then the tarball, installed as a user installs a package.
 */
export async function installApp(directory: string, packageJson: AppPackageJson, tarball: string): Promise<void> {
  await mkdir(directory, { recursive: true });
  await writeFile(join(directory, 'package.json'), JSON.stringify(packageJson, null, 2));
  // The app's own dependencies come from the cache (a copy: the cache stays untouched) ...
  await cp(await cachedDependencies(packageJson), join(directory, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  // ... the package under test never does.
  await npm(['install', '--no-save', tarball], directory);
}

/**
 * The cached `node_modules` of an app's dependencies, installed on first use into a staging
 * folder then renamed into place, so a run never sees a half-done install.
 */
async function cachedDependencies(packageJson: AppPackageJson): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify(packageJson)).digest('hex').slice(0, 16);
  const cached = join(CACHE, hash);
  const modules = join(cached, 'node_modules');
  if (existsSync(modules)) return modules;
  await mkdir(CACHE, { recursive: true });
  const staging = await mkdtemp(`${cached}-staging-`);
  await writeFile(join(staging, 'package.json'), JSON.stringify(packageJson, null, 2));
  await npm(['install', '--ignore-scripts'], staging);
  if (existsSync(join(staging, 'node_modules', 'better-sqlite3'))) await buildBetterSqlite3(staging);
  try {
    await rename(staging, cached);
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
