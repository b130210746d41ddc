import { SouvenirsError } from './souvenirs.error.js';

/**
 * A database type nestjs-souvenirs has no migrations or report queries for.
 *
 * @publicApi
 */
export class UnsupportedDatabaseError extends SouvenirsError {
  constructor(readonly databaseType: string) {
    super(
      `nestjs-souvenirs does not support the "${databaseType}" database: use PostgreSQL, MySQL/MariaDB or SQLite (better-sqlite3).`,
    );
  }
}
