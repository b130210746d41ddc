import type { MigrationInterface } from 'typeorm';
import { CreateSouvenirs1732300000000 } from './create-souvenirs.migration.js';
import { WhenAsEpochMilliseconds1764300000000 } from './when-as-epoch-milliseconds.migration.js';
import { ExactUserIds1764400000000 } from './exact-user-ids.migration.js';
import { SouvenirTenants1764500000000 } from './souvenir-tenants.migration.js';

export { CreateSouvenirs1732300000000 } from './create-souvenirs.migration.js';
export { WhenAsEpochMilliseconds1764300000000 } from './when-as-epoch-milliseconds.migration.js';
export { ExactUserIds1764400000000 } from './exact-user-ids.migration.js';
export { SouvenirTenants1764500000000 } from './souvenir-tenants.migration.js';

/**
 * Every migration of nestjs-souvenirs' tables, oldest first. Add this one list to
 * your DataSource's `migrations`, whatever your database (PostgreSQL, MySQL/MariaDB,
 * SQLite): each migration runs the DDL of the database it runs on.
 *
 * @example
 * new DataSource({ type: 'postgres', entities: [...SOUVENIRS_ENTITIES, User], migrations: [...SOUVENIRS_MIGRATIONS, ...mine] })
 *
 * @publicApi
 */
export const SOUVENIRS_MIGRATIONS: Array<new () => MigrationInterface> = [
  CreateSouvenirs1732300000000,
  WhenAsEpochMilliseconds1764300000000,
  ExactUserIds1764400000000,
  SouvenirTenants1764500000000,
];
