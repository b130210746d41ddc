/**
 * What the PostgreSQL benches share: the server (PG* environment variables, else the
 * local test database), a schema of their own that a run may keep for the next, and an
 * application context on it with the index in a redis-server the bench started.
 */
import 'reflect-metadata';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SOUVENIRS_MIGRATIONS } from '../lib/table/migrations/index.js';
import { SOUVENIRS_ENTITIES } from '../lib/table/souvenirs-entities.js';
import { SouvenirsModule } from '../lib/souvenirs.module.js';
import type { SouvenirsRedisOption } from '../lib/souvenirs.options.js';

/** The benches' PostgreSQL connection, with `extra` driver options (e.g. a statement timeout). */
export function benchConnection(extra?: Record<string, unknown>) {
  return {
    type: 'postgres' as const,
    host: process.env.PGHOST ?? '127.0.0.1',
    port: Number(process.env.PGPORT ?? 5432),
    username: process.env.PGUSER ?? 'postgres',
    database: process.env.PGDATABASE ?? 'test',
    ...(extra ? { extra } : {}),
  };
}

type Connection = ReturnType<typeof benchConnection>;

/**
 * A bench's own schema, made fresh and dropped at the end; with `keep`, left at the end,
 * and `reused` by a run finding it holding exactly `rows` souvenirs (one load, many runs).
 */
export class BenchSchema {
  private constructor(
    private readonly connection: Connection,
    readonly name: string,
    private readonly keep: boolean,
    /** Whether the schema already held the rows: the bench skips its load. */
    readonly reused: boolean,
  ) {}

  /** `span` ([first, end) epoch ms): a kept schema is reused only when its rows lie in it too (a bench that moved its dates reloads). */
  static async open(connection: Connection, name: string, keep: boolean, rows: number, span?: readonly [number, number]): Promise<BenchSchema> {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`A bench schema must be a plain lower-case SQL name, not ${name}`);
    return withAdmin(connection, async (admin) => {
      const reused = keep && (await storedRows(admin, name)) === rows && (span === undefined || (await rowsWithin(admin, name, span)));
      if (!reused) {
        await admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
        await admin.query(`CREATE SCHEMA ${name}`);
      }
      return new BenchSchema(connection, name, keep, reused);
    });
  }

  /** Drops the schema, unless kept. */
  async close(): Promise<void> {
    if (this.keep) {
      console.log(`schema ${this.name} kept: drop it with DROP SCHEMA ${this.name} CASCADE when done`);
      return;
    }
    await withAdmin(this.connection, (admin) => admin.query(`DROP SCHEMA IF EXISTS ${this.name} CASCADE`));
  }
}

/** The module on `schema` (migrations run), its store on `redisUrl` (or a Cluster client), tracking off. */
export async function startBenchApp(
  connection: Connection,
  schema: BenchSchema,
  souvenirs: { redisUrl: SouvenirsRedisOption; keyPrefix: string; timeZone: string; now: () => Date },
): Promise<INestApplicationContext> {
  @Module({
    imports: [
      TypeOrmModule.forRoot({ ...connection, schema: schema.name, entities: [...SOUVENIRS_ENTITIES], migrations: SOUVENIRS_MIGRATIONS, migrationsRun: true }),
      SouvenirsModule.forRoot({ redis: souvenirs.redisUrl, keyPrefix: souvenirs.keyPrefix, timeZone: souvenirs.timeZone, now: souvenirs.now, track: false }),
    ],
  })
  class BenchModule {}
  return NestFactory.createApplicationContext(BenchModule, { logger: ['error', 'warn'] });
}

async function withAdmin<T>(connection: Connection, work: (admin: DataSource) => Promise<T>): Promise<T> {
  const admin = new DataSource(connection);
  await admin.initialize();
  try {
    return await work(admin);
  } finally {
    await admin.destroy();
  }
}

/** Whether every souvenir of the schema lies in `[first, end)`. */
async function rowsWithin(admin: DataSource, schema: string, [first, end]: readonly [number, number]): Promise<boolean> {
  const [{ lo, hi }] = await admin.query(`SELECT MIN("when") AS lo, MAX("when") AS hi FROM ${schema}.souvenirs`);
  return lo !== null && Number(lo) >= first && Number(hi) < end;
}

/** Souvenirs already in the schema (-1 when it or its table is missing). */
async function storedRows(admin: DataSource, schema: string): Promise<number> {
  const [{ name }] = await admin.query(`SELECT to_regclass($1) AS name`, [`${schema}.souvenirs`]);
  if (name === null) return -1;
  const [{ n }] = await admin.query(`SELECT COUNT(*)::bigint AS n FROM ${schema}.souvenirs`);
  return Number(n);
}
