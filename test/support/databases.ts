import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { SOUVENIRS_MIGRATIONS } from '../../lib/table/migrations/index.js';
import { SOUVENIRS_ENTITIES } from '../../lib/table/souvenirs-entities.js';

/**
 * Isolated test databases on the real services of this machine (or CI): one fresh
 * SQLite file, PostgreSQL schema or MariaDB database per call, dropped by `drop()`.
 * Integration spec files run in parallel, so nothing here is shared between calls.
 *
 * Servers default to 127.0.0.1 with the local trust setup; override with
 * SOUVENIRS_TEST_POSTGRES_{HOST,PORT,USER,PASSWORD,DATABASE} and
 * SOUVENIRS_TEST_MARIADB_{HOST,PORT,USER,PASSWORD}.
 */

/** The databases every database test runs on. */
export type Dialect = 'sqlite' | 'postgres' | 'mariadb';

/** Every {@link Dialect}, for `describe.each(DIALECTS)`. */
export const DIALECTS: Dialect[] = ['sqlite', 'postgres', 'mariadb'];

/** What {@link createTestDatabase} returns. */
export interface TestDatabase {
  readonly dialect: Dialect;
  /** Initialised, with the migrations run (unless `runMigrations: false`). */
  readonly dataSource: DataSource;
  /**
   * The options `dataSource` was built from, reusable for a second connection to the
   * same database, e.g. `TypeOrmModule.forRoot({ ...options })` in a Nest test.
   * Migrations are listed but not run on initialisation (`migrationsRun` is false).
   */
  readonly options: DataSourceOptions;
  /** Destroys `dataSource` and drops the schema, database or file. Safe to call twice. */
  drop(): Promise<void>;
}

/** Options of {@link createTestDatabase}. */
export interface TestDatabaseOptions {
  /**
   * Extra entities (a test `User`, …), added to the DataSource. Their tables are
   * created by synchronising a separate DataSource that knows only them, so the
   * souvenirs table stays exactly as the migrations made it.
   */
  entities?: Function[];
  /** Run `SOUVENIRS_MIGRATIONS` (default `true`); `false` leaves the souvenirs table uncreated. */
  runMigrations?: boolean;
}

const env = process.env;

/** The PostgreSQL server the tests use, connected to its default database (no schema chosen). */
export const POSTGRES_SERVER = {
  type: 'postgres' as const,
  host: env.SOUVENIRS_TEST_POSTGRES_HOST ?? '127.0.0.1',
  port: Number(env.SOUVENIRS_TEST_POSTGRES_PORT ?? 5432),
  username: env.SOUVENIRS_TEST_POSTGRES_USER ?? 'postgres',
  password: env.SOUVENIRS_TEST_POSTGRES_PASSWORD ?? '',
  database: env.SOUVENIRS_TEST_POSTGRES_DATABASE ?? 'test',
};

/** The MariaDB server the tests use (no database chosen). */
export const MARIADB_SERVER = {
  type: 'mariadb' as const,
  host: env.SOUVENIRS_TEST_MARIADB_HOST ?? '127.0.0.1',
  port: Number(env.SOUVENIRS_TEST_MARIADB_PORT ?? 3306),
  username: env.SOUVENIRS_TEST_MARIADB_USER ?? 'root',
  password: env.SOUVENIRS_TEST_MARIADB_PASSWORD ?? '',
};

/** A name no other test run uses: `souvenirs_t_` and 12 random hex digits. */
function uniqueName(): string {
  return `souvenirs_t_${randomBytes(6).toString('hex')}`;
}

/** What one dialect needs: connection options for a fresh database, and how to remove it. */
interface Provisioned {
  readonly connection: DataSourceOptions;
  readonly remove: () => Promise<void>;
}

/** Runs `statements` on a short-lived connection (the server's admin database), then closes it. */
async function runAdmin(options: DataSourceOptions, statements: string[]): Promise<void> {
  const admin = new DataSource(options);
  await admin.initialize();
  try {
    for (const statement of statements) await admin.query(statement);
  } finally {
    await admin.destroy();
  }
}

async function provision(dialect: Dialect): Promise<Provisioned> {
  switch (dialect) {
    case 'sqlite': {
      // A file, not `:memory:`, so a second DataSource built from `options` sees the same data.
      const directory = await mkdtemp(join(tmpdir(), 'souvenirs-t-'));
      return {
        connection: { type: 'better-sqlite3', database: join(directory, 'test.sqlite') },
        remove: () => rm(directory, { recursive: true, force: true }),
      };
    }
    case 'postgres': {
      const schema = uniqueName();
      const admin: DataSourceOptions = POSTGRES_SERVER;
      await runAdmin(admin, [`CREATE SCHEMA "${schema}"`]);
      return {
        connection: { ...POSTGRES_SERVER, schema },
        remove: () => runAdmin(admin, [`DROP SCHEMA IF EXISTS "${schema}" CASCADE`]),
      };
    }
    case 'mariadb': {
      const database = uniqueName();
      const admin: DataSourceOptions = MARIADB_SERVER;
      await runAdmin(admin, [`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`]);
      return {
        // The driver's defaults (no `timezone` option): instants must not depend on them.
        connection: { ...MARIADB_SERVER, database },
        remove: () => runAdmin(admin, [`DROP DATABASE IF EXISTS \`${database}\``]),
      };
    }
    default:
      throw new Error(`Unknown test dialect ${JSON.stringify(dialect)}: use one of ${DIALECTS.join(', ')}.`);
  }
}

/**
 * A fresh, isolated database for one test file (or one test): the souvenirs tables
 * created by `SOUVENIRS_MIGRATIONS` (as users create them), plus the tables of any
 * extra entities. Call `drop()` in `afterAll`.
 *
 * @example
 * let db: TestDatabase;
 * beforeAll(async () => { db = await createTestDatabase(dialect, { entities: [User] }); });
 * afterAll(() => db.drop());
 */
export async function createTestDatabase(dialect: Dialect, options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const extraEntities = options.entities ?? [];
  const runMigrations = options.runMigrations ?? true;
  const { connection, remove } = await provision(dialect);
  const dataSourceOptions = {
    ...connection,
    entities: [...SOUVENIRS_ENTITIES, ...extraEntities],
    migrations: SOUVENIRS_MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    logging: false,
  } as DataSourceOptions;

  const dataSource = new DataSource(dataSourceOptions);
  let dropped = false;
  const drop = async (): Promise<void> => {
    if (dropped) return;
    dropped = true;
    try {
      if (dataSource.isInitialized) await dataSource.destroy();
    } finally {
      await remove();
    }
  };

  try {
    if (extraEntities.length > 0) {
      // Synchronising only the extra entities touches only their tables: the schema
      // builder loads and alters the tables of the entities it knows, nothing else.
      const extra = new DataSource({ ...connection, entities: extraEntities, synchronize: true } as DataSourceOptions);
      await extra.initialize();
      await extra.destroy();
    }
    await dataSource.initialize();
    if (runMigrations) await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  return { dialect, dataSource, options: dataSourceOptions, drop };
}
