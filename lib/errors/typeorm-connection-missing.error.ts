import { SouvenirsError } from './souvenirs.error.js';

/**
 * `SouvenirsModule` was imported into an application with no TypeORM connection:
 * activity is written to the application's own database, through its DataSource.
 *
 * @publicApi
 */
export class TypeOrmConnectionMissingError extends SouvenirsError {
  constructor() {
    super(
      'SouvenirsModule needs a TypeORM connection and found none: import ' +
        '`TypeOrmModule.forRoot({ …, entities: [...SOUVENIRS_ENTITIES, /* yours */], migrations: [...SOUVENIRS_MIGRATIONS] })` ' +
        '(or `forRootAsync`) from @nestjs/typeorm in the module that imports SouvenirsModule.',
    );
  }
}
