import type { EntityManager } from 'typeorm';
import { InvalidOptionError } from '../errors/invalid-option.error.js';
import type { UsersEntityOptions } from './users-source.interface.js';

/**
 * Checks `users: { entity, joinedAt, isActive?, tenant? }` against the entity's TypeORM metadata
 * at boot, so a typo (`'createdat'`) stops the app with the entity's real property
 * names instead of failing the first report with a SQL error.
 *
 * @throws InvalidOptionError naming the option and the properties it could be.
 * @internal
 */
export function checkUsersEntity(manager: EntityManager, users: UsersEntityOptions): void {
  const { connection } = manager;
  if (!connection.hasMetadata(users.entity)) {
    const known = connection.entityMetadatas.map((metadata) => metadata.name).join(', ') || 'none';
    throw new InvalidOptionError(
      'users.entity',
      `an entity of the TypeORM DataSource: add ${users.entity.name} to its \`entities\` (it has: ${known})`,
      users.entity,
    );
  }
  const metadata = connection.getMetadata(users.entity);
  const properties = metadata.columns.map((column) => column.propertyPath);
  for (const option of ['joinedAt', 'isActive', 'tenant'] as const) {
    const property = users[option];
    if (property === undefined || metadata.findColumnWithPropertyPath(property)) continue;
    throw new InvalidOptionError(
      `users.${option}`,
      `a column property of ${metadata.name} (one of ${properties.join(', ')})`,
      property,
    );
  }
}
