/**
 * The files of the fresh application the pack-and-consume test installs the packed
 * tarball into, as a new user would write them: the README's first example verbatim
 * (`src/app.module.ts`), a minimal `User` entity, and the same module on SQLite
 * (`src/boot.module.ts`) so the test can boot it without a database server.
 */

/** The consumer's dependencies, pinned: what a NestJS app on SQLite has, plus the newest TypeScript. */
export const CONSUMER_PACKAGE_JSON = {
  name: 'souvenirs-consumer',
  private: true,
  type: 'module',
  dependencies: {
    '@nestjs/common': '12.5.1',
    // For the README's `forRootAsync` example (see readme-blocks.ts).
    '@nestjs/config': '12.0.1',
    '@nestjs/core': '12.5.1',
    '@nestjs/typeorm': '12.0.2',
    // 12, not 13: the version this package's tests and SQL are checked against.
    'better-sqlite3': '12.11.1',
    ioredis: '5.11.1',
    'reflect-metadata': '0.2.2',
    rxjs: '7.8.2',
    typeorm: '1.1.1',
  },
  // `@types/node` as every Nest app has it; deliberately no `@types/luxon` or others.
  devDependencies: { typescript: '7.0.2', '@types/node': '20.19.43' },
};

/** Strict, and `skipLibCheck: false` (TypeScript's default): the package's `.d.ts` files are checked too. */
export const CONSUMER_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    strict: true,
    skipLibCheck: false,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    types: ['node'],
    rootDir: 'src',
    outDir: 'dist',
  },
  include: ['src'],
};

/** The smallest `User` the README's `users` option can point at. */
export const USER_ENTITY = `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity()
export class User {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'datetime' })
  createdAt!: Date;

  @Column()
  isActive!: boolean;
}
`;

/** The README's module with a SQLite file (\`SOUVENIRS_DB\`) instead of PostgreSQL, and the memory store. */
export const BOOT_MODULE = `import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SOUVENIRS_ENTITIES, SOUVENIRS_MIGRATIONS, SouvenirsModule } from 'nestjs-souvenirs';
import { User } from './user.entity.js';

@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'better-sqlite3',
      database: process.env.SOUVENIRS_DB ?? ':memory:',
      entities: [...SOUVENIRS_ENTITIES, User],
      migrations: [...SOUVENIRS_MIGRATIONS],
      migrationsRun: true,
    }),
    SouvenirsModule.forRoot({
      timeZone: 'Europe/Paris',
      users: { entity: User, joinedAt: 'createdAt', isActive: 'isActive' },
    }),
  ],
})
export class BootModule {}
`;

/**
 * Boots {@link BOOT_MODULE}, records two users' activity, and prints what the package
 * counted as JSON, with the size of the dashboard's Chart.js asset read from the
 * installed package (its path inside the package, as the dashboard resolves it) and
 * a value from each of its subpaths.
 */
export const MAIN = `import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ActivityService, ReportsService } from 'nestjs-souvenirs';
import type { ActiveUsersDay } from 'nestjs-souvenirs/dashboard';
import { UnprotectedEndpointError } from 'nestjs-souvenirs/errors';
import { withinRateLimit } from 'nestjs-souvenirs/store';
import { DataSource } from 'typeorm';
import { BootModule } from './boot.module.js';
import { User } from './user.entity.js';

const database = process.env.SOUVENIRS_DB ?? ':memory:';
// The users' table, as the app's own migrations would make it.
const users = await new DataSource({ type: 'better-sqlite3', database, entities: [User], synchronize: true }).initialize();
await users.getRepository(User).save([
  { createdAt: new Date('2026-01-01T00:00:00Z'), isActive: true },
  { createdAt: new Date('2026-01-02T00:00:00Z'), isActive: false },
]);
await users.destroy();

const app = await NestFactory.createApplicationContext(BootModule, { logger: ['error', 'warn'] });
const activity = app.get(ActivityService);
const added = [
  await activity.souvenez(1, { when: new Date('2026-03-10T12:00:00Z') }),
  await activity.souvenez('2', { when: new Date('2026-04-02T12:00:00Z') }),
  await activity.souvenez(1, { when: new Date('2026-03-10T12:30:00Z') }),
];
const activeUsers = await activity.countActiveUsers();
const registered = await app.get(ReportsService).registeredUsersAsOf(new Date('2026-02-01T00:00:00Z'));
await app.close();

const asset = await import(new URL('../node_modules/nestjs-souvenirs/dist/esm/dashboard/chart-js.asset.js', import.meta.url).href);
const chartJsBytes: number = asset.chartJsSource().length;
// The subpaths resolve, from the installed package, for the compiler and at run time.
const day: ActiveUsersDay | undefined = undefined;
const subpaths = { store: withinRateLimit(1, 0, 10), errors: typeof UnprotectedEndpointError, dashboardType: day === undefined };
console.log(JSON.stringify({ added, activeUsers, registered, chartJsBytes, subpaths }));
`;

/** The first TypeScript block under "## Use" in the README: the example a new user copies first. */
export function readmeFirstExample(readme: string): string {
  const use = readme.indexOf('\n## Use\n');
  if (use < 0) throw new Error('README.md has no "## Use" section');
  const match = /```ts\n([\s\S]*?)```/.exec(readme.slice(use));
  if (!match) throw new Error('README.md has no ```ts block under "## Use"');
  return match[1];
}
