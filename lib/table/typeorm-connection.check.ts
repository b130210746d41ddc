import type { FactoryProvider } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { TypeOrmConnectionMissingError } from '../errors/typeorm-connection-missing.error.js';

/** Token of {@link typeOrmConnectionCheck}. @internal */
export const SOUVENIRS_TYPEORM_CONNECTION = Symbol.for('nestjs-souvenirs:SOUVENIRS_TYPEORM_CONNECTION');

/**
 * Turns a missing `TypeOrmModule.forRoot` into an error saying to import it, instead of
 * Nest's raw "can't resolve dependencies of … EntityManager". Nest builds providers
 * concurrently, so the module's providers reach the connection only through this one
 * (the Souvenir repository, the users source): a missing one is this error and no other.
 * @internal
 */
export const typeOrmConnectionCheck: FactoryProvider<DataSource> = {
  provide: SOUVENIRS_TYPEORM_CONNECTION,
  inject: [{ token: getDataSourceToken(), optional: true }],
  useFactory: (dataSource: DataSource | undefined) => {
    if (!dataSource) throw new TypeOrmConnectionMissingError();
    return dataSource;
  },
};
