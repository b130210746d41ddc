import type { FactoryProvider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import { SOUVENIRS_TYPEORM_CONNECTION } from '../table/typeorm-connection.check.js';
import { SOUVENIRS_OPTIONS } from '../shared/souvenirs-options.token.js';
import { providedOrCreated } from '../shared/provided-or-created.js';
import { EntityUsersSource } from './entity-users.source.js';
import { checkUsersEntity } from './users-entity.check.js';
import type { UsersOption, UsersSource } from './users-source.interface.js';

/** Token of the `UsersSource` reports count registered users from, or `null`. @internal */
export const SOUVENIRS_USERS_SOURCE = Symbol.for('nestjs-souvenirs:SOUVENIRS_USERS_SOURCE');

/** The module options the users source is built from (a slice of the resolved options). @internal */
export interface UsersSourceSettings {
  /** Absent: registered and activated users are `null` in reports. */
  readonly users: UsersOption | undefined;
}

/**
 * Turns the `users` option into a `UsersSource`: an entity description is counted
 * with one grouped query; a class is taken from the application if it provides it,
 * else instantiated with Nest's DI; an instance is used as is.
 * @internal
 */
export const usersSourceProvider: FactoryProvider<UsersSource | null> = {
  provide: SOUVENIRS_USERS_SOURCE,
  inject: [SOUVENIRS_OPTIONS, ModuleRef, SOUVENIRS_TYPEORM_CONNECTION],
  useFactory: async (options: UsersSourceSettings, moduleRef: ModuleRef, dataSource: DataSource) => {
    const { users } = options;
    if (!users) return null;
    if (typeof users === 'function') return providedOrCreated(moduleRef, users);
    if (!('entity' in users)) return users;
    checkUsersEntity(dataSource.manager, users);
    return new EntityUsersSource(dataSource.manager, users);
  },
};
