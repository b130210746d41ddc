import type { Type } from '@nestjs/common';
import type { UserSubset } from '../activity/user-subset.js';

/**
 * Counts of registered users at one instant.
 *
 * @publicApi
 */
export interface RegisteredUsers {
  /** Users who joined strictly before the instant. */
  registered: number;
  /** Those of them who are activated. */
  activated: number;
}

/**
 * What registered users are counted within: a subset of users (`among`, resolved),
 * a tenant, or both; absent: every user.
 *
 * @publicApi
 */
export interface UsersScope {
  /** Only these users (the `among` of the report, resolved to stored ids). */
  among?: UserSubset;
  /** Only users of this tenant. */
  tenant?: string;
}

/**
 * Where reports get registered and activated users from, when they do not live in a
 * TypeORM entity the `users: { entity, joinedAt, isActive }` option can describe.
 * Provide a class implementing it as the `users` option; it is instantiated by Nest,
 * so it may inject what it needs.
 *
 * @example
 * ```ts
 * @Injectable()
 * class AccountsUsersSource implements UsersSource {
 *   constructor(private readonly accounts: AccountsClient) {}
 *   registeredUsersAsOf(instants: readonly Date[]) {
 *     return this.accounts.countJoinedBefore(instants);
 *   }
 * }
 * ```
 * @publicApi
 */
export interface UsersSource {
  /**
   * For each instant, in the same order, the users registered before it. A report
   * calls this once with every period end, so answer in one query if you can.
   *
   * `scope` is given only to a source that sets {@link supportsScope}: then count
   * within it (the users of `scope.among`, of `scope.tenant`).
   */
  registeredUsersAsOf(instants: readonly Date[], scope?: UsersScope): Promise<RegisteredUsers[]>;
  /**
   * `true` when `registeredUsersAsOf` honours its `scope`. A report restricted to a
   * subset or a tenant refuses a source without it (`UnscopedUsersSourceError`),
   * rather than show site-wide registered users beside the subset's active ones.
   */
  readonly supportsScope?: boolean;
}

/** Where registered and activated users are counted from: a TypeORM entity and its property names. */
export interface UsersEntityOptions {
  /** The users' entity class. */
  entity: Type<unknown>;
  /** The property holding when the user registered (a date column). */
  joinedAt: string;
  /**
   * The property telling whether the user is activated (a boolean column): `activatedUsers`
   * counts the registered users for whom it is true. Absent: every registered user counts as
   * activated, so `activatedUsers` equals `registeredUsers` in every report (give it when
   * accounts wait for an e-mail confirmation, an admin's approval or a first payment).
   */
  isActive?: string;
  /**
   * The property holding the user's tenant (organisation, workspace), when users belong
   * to one each: registered and activated users of a tenant's reports, and a tenant's
   * idle seats, are the users holding it. Absent: reports of a tenant cannot count them.
   */
  tenant?: string;
}

/** The `users` option: an entity description, a `UsersSource` class Nest instantiates, or an instance. */
export type UsersOption = UsersEntityOptions | Type<UsersSource> | UsersSource;
