/**
 * The consumer matrix: the NestJS apps this package promises to work in, each a folder of
 * test/package/apps/ (its pinned package.json and its `main.ts`) plus the sources they share
 * (apps/src/: a module with TypeORM, the souvenirs module with users, dashboard and
 * Prometheus, a guard signing requests in from an `x-user` header, and a controller).
 * The shared sources import with `.js` specifiers and use no ES-only syntax, so the same
 * text compiles as CommonJS or as ES modules, as each app's package.json says.
 */
import { copyFile, mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppPackageJson } from './packed-package.js';

const APPS = new URL('./apps/', import.meta.url);

export interface ConsumerApp {
  /** Its folder under test/package/apps/. */
  folder: string;
  moduleFormat: 'commonjs' | 'esm';
  dialect: 'mariadb' | 'postgres';
  /** The Redis store (a key prefix of its own), or the memory store. */
  redis: boolean;
  /**
   * Node options of every process of the app. The CommonJS app runs without `require(esm)`
   * (as on Node before 20.19): the package's CommonJS build must load with no ES module.
   */
  nodeOptions: string;
}

export const CONSUMER_APPS: ConsumerApp[] = [
  { folder: 'commonjs-nest11', moduleFormat: 'commonjs', dialect: 'mariadb', redis: false, nodeOptions: '--no-experimental-require-module' },
  { folder: 'esm-nest12', moduleFormat: 'esm', dialect: 'postgres', redis: true, nodeOptions: '' },
];

/** The app's pinned package.json; `installApp` adds the tarball. */
export async function consumerPackageJson(app: ConsumerApp): Promise<AppPackageJson> {
  return JSON.parse(await readFile(new URL(`${app.folder}/package.json`, APPS), 'utf8')) as AppPackageJson;
}

/** Writes the app's sources and tsconfig.json into `directory` (its package.json is written by `installApp`). */
export async function writeConsumerSources(app: ConsumerApp, directory: string): Promise<void> {
  const src = join(directory, 'src');
  await mkdir(src, { recursive: true });
  const shared = new URL('src/', APPS);
  for (const file of await readdir(shared)) await copyFile(new URL(file, shared), join(src, file));
  await copyFile(new URL(`${app.folder}/main.ts`, APPS), join(src, 'main.ts'));
  await copyFile(new URL('tsconfig.json', APPS), join(directory, 'tsconfig.json'));
}

/** The users table, as the app's own migrations would make it: three users, two of them activated. */
export function usersTable(dialect: ConsumerApp['dialect'], schema?: string): string[] {
  const timestamp = dialect === 'postgres' ? 'timestamptz' : 'datetime';
  const users = schema ? `"${schema}".users` : 'users';
  return [
    `CREATE TABLE ${users} (id integer PRIMARY KEY, created_at ${timestamp} NOT NULL, is_active boolean NOT NULL)`,
    `INSERT INTO ${users} (id, created_at, is_active) VALUES (1, '2026-01-01 00:00:00', true), (2, '2026-01-02 00:00:00', true), (3, '2026-01-03 00:00:00', false)`,
  ];
}
