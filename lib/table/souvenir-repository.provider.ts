import type { FactoryProvider } from '@nestjs/common';
import { getRepositoryToken } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { Souvenir } from './souvenir.entity.js';
import { SOUVENIRS_TYPEORM_CONNECTION } from './typeorm-connection.check.js';

/**
 * The `Souvenir` repository (`@InjectRepository(Souvenir)`), taken from the connection
 * `typeOrmConnectionCheck` found, rather than from an imported `TypeOrmModule.forFeature`
 * module: that one would fail on a missing connection with Nest's raw DI error, in a
 * race with the check's clear one.
 * @internal
 */
export const souvenirRepositoryProvider: FactoryProvider<Repository<Souvenir>> = {
  provide: getRepositoryToken(Souvenir),
  inject: [SOUVENIRS_TYPEORM_CONNECTION],
  useFactory: (dataSource: DataSource) => dataSource.getRepository(Souvenir),
};
