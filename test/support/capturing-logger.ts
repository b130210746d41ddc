import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import type { TestDatabase } from './databases.js';

/** Records every SQL statement TypeORM sends, with its bound parameters. */
export class CapturingLogger implements TypeOrmLogger {
  readonly queries: string[] = [];
  /** The bound parameters of each statement, by position. */
  readonly parameters: unknown[][] = [];
  logQuery(query: string, parameters?: unknown[]): void {
    this.queries.push(query);
    this.parameters.push(parameters ?? []);
  }
  clear(): void {
    this.queries.length = 0;
    this.parameters.length = 0;
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/** A second connection to a test database whose every statement `logger` records. */
export async function loggedDataSource(db: TestDatabase, logger: CapturingLogger): Promise<DataSource> {
  const logged = new DataSource({ ...db.options, logging: true, logger });
  await logged.initialize();
  return logged;
}
