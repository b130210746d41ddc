import type { Type } from '@nestjs/common';
import type { EntityManager, EntityMetadata, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { InvalidSubsetError } from '../errors/invalid-subset.error.js';
import { InvalidUserError } from '../errors/invalid-user.error.js';
import { describeValue } from '../errors/describe-value.js';
import { toUserId, type UserRef } from './user-ref.js';

/**
 * The most users one `among` may name. A subset is held in memory as its ids (and, to
 * intersect it with the index, as their numbers), and SQL binds it in batches: past
 * this, split it into subsets sharing no user, whose counts add up.
 *
 * @publicApi
 */
export const MAX_SUBSET_USERS = 100_000;

/**
 * The users a count or report is restricted to (django-souvenirs' `qs`): the users
 * themselves, as refs `souvenez` takes, or `{ where }` on the `users: { entity }`
 * option's entity (TypeORM `FindOptionsWhere`, e.g. `{ plan: 'pro' }`), whose users are
 * those of its single primary column, the id the app passes to `souvenez`.
 *
 * @publicApi
 */
export type Among<User extends ObjectLiteral = ObjectLiteral> =
  | Iterable<UserRef>
  | { where: FindOptionsWhere<User> | FindOptionsWhere<User>[] };

/**
 * An `among` resolved: the user ids it names, as the souvenirs table stores them
 * (numbers in decimal), each once. What a `UsersSource` receives as `scope.among`.
 *
 * @publicApi
 */
export interface UserSubset {
  /** The ids, sorted (code unit order), each once. */
  readonly ids: readonly string[];
  /** Whether `userId` (a stored id) is one of them. */
  has(userId: string): boolean;
}

/** The users entity a `{ where }` runs on: the `users` option when it describes one. @internal */
export interface SubsetUsersEntity {
  readonly entity: Type<unknown>;
}

/** The users entity of the `users` option, when it describes one (not a `UsersSource`). @internal */
export function subsetUsersEntity(users: unknown): SubsetUsersEntity | null {
  return typeof users === 'object' && users !== null && 'entity' in users && typeof users.entity === 'function' ? (users as SubsetUsersEntity) : null;
}

/** How a users entity is keyed: its single primary column, and which stored ids it can hold. @internal */
export interface UsersEntityKey {
  /** The property of the primary column (for `select`, `where`, `order`). */
  readonly property: string;
  readonly column: EntityMetadata['primaryColumns'][number];
  /** Whether a stored id could be a value of the column (an id 'alice' is no integer key: binding it would fail). */
  accepts(userId: string): boolean;
  /** The stored id of an entity row's key value. */
  idOf(value: unknown): string;
}

const NUMERIC_TYPES = new Set(['int', 'int2', 'int4', 'int8', 'integer', 'smallint', 'mediumint', 'bigint', 'tinyint', 'number']);
/** A decimal integer as `toUserId` writes a number (no sign on 0, no leading zeros): `007` is no stored id of user 7. */
const INTEGER_TEXT = /^(0|-?[1-9]\d{0,19})$/;
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The key of the users entity: its primary column, which holds the id the app passes
 * to `souvenez` (a composite or missing key cannot name one user).
 *
 * @throws InvalidSubsetError (`'no-single-key'`) unless the entity has exactly one primary column.
 * @internal
 */
export function usersEntityKey(manager: EntityManager, entity: SubsetUsersEntity['entity']): UsersEntityKey {
  const metadata = manager.connection.getMetadata(entity);
  const keys = metadata.primaryColumns;
  if (keys.length !== 1) {
    throw new InvalidSubsetError('no-single-key', `${metadata.name} has ${keys.length} primary columns`);
  }
  const column = keys[0];
  const type = typeof column.type === 'function' ? column.type.name.toLowerCase() : String(column.type).toLowerCase();
  const numeric = NUMERIC_TYPES.has(type) || (column.generationStrategy === 'increment' && type !== 'uuid');
  return {
    property: column.propertyPath,
    column,
    accepts: (userId) => (numeric ? INTEGER_TEXT.test(userId) : type === 'uuid' ? UUID_TEXT.test(userId) : true),
    idOf: (value) => toUserId(typeof value === 'bigint' ? String(value) : value),
  };
}

/**
 * Resolves an `among` into the subset of user ids it names: the one place where an
 * `among` is read, checked and bounded.
 *
 * - an iterable of user refs: each ref's stored id (`toUserId`), read once;
 * - `{ where }`: the users entity's rows matching it (one query), by their primary column.
 *
 * @throws InvalidSubsetError for anything else, a bad ref, more than {@link MAX_SUBSET_USERS}
 *   users, or a `{ where }` without a users entity, on properties it lacks, or without a single key.
 * @internal
 */
export async function resolveAmong(among: unknown, manager: EntityManager, users: SubsetUsersEntity | null): Promise<UserSubset> {
  if (typeof among === 'object' && among !== null && 'where' in among && !isIterable(among)) {
    return subsetOf(await idsWhere((among as { where: unknown }).where, manager, users));
  }
  if (typeof among === 'string' || !isIterable(among)) {
    throw new InvalidSubsetError('not-a-subset', `received ${describeValue(among)}`);
  }
  const ids = new Set<string>();
  let at = 0;
  for (const ref of among) {
    let id: string;
    try {
      id = toUserId(ref);
    } catch (error) {
      if (error instanceof InvalidUserError) throw InvalidSubsetError.badUser(at, ref, error);
      throw error;
    }
    ids.add(id);
    if (ids.size > MAX_SUBSET_USERS) throw tooLarge();
    at += 1;
  }
  return subsetOf(ids);
}

/** The users entity's ids matching `where`: one query, at most one user past the maximum read. */
async function idsWhere(where: unknown, manager: EntityManager, users: SubsetUsersEntity | null): Promise<Set<string>> {
  if (!users) throw new InvalidSubsetError('no-users-entity', '`{ where }` needs the users entity, and the module has no `users: { entity }` option');
  const clauses = Array.isArray(where) ? where : [where];
  if (clauses.length === 0 || clauses.some((clause) => typeof clause !== 'object' || clause === null)) {
    throw new InvalidSubsetError('not-a-subset', `\`where\` is ${describeValue(where)}, not an object of the entity's properties`);
  }
  const key = usersEntityKey(manager, users.entity);
  let rows: ObjectLiteral[];
  try {
    rows = await manager.getRepository<ObjectLiteral>(users.entity).find({
      where: where as FindOptionsWhere<ObjectLiteral>,
      select: key.column.embeddedMetadata ? undefined : { [key.property]: true },
      take: MAX_SUBSET_USERS + 1,
    });
  } catch (error) {
    // A property the entity lacks: TypeORM's own error, before any SQL.
    if (error instanceof Error && error.name === 'EntityPropertyNotFoundError') throw new InvalidSubsetError('bad-where', error.message, undefined, error);
    throw error;
  }
  if (rows.length > MAX_SUBSET_USERS) throw tooLarge();
  return new Set(rows.map((row) => key.idOf(key.column.getEntityValue(row))));
}

function subsetOf(ids: ReadonlySet<string>): UserSubset {
  const sorted = [...ids].sort();
  return { ids: sorted, has: (userId) => ids.has(userId) };
}

function tooLarge(): InvalidSubsetError {
  return new InvalidSubsetError('too-large', `it names more than ${MAX_SUBSET_USERS} users`, MAX_SUBSET_USERS);
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return typeof (value as Partial<Iterable<unknown>> | null)?.[Symbol.iterator] === 'function';
}
