import type { Type } from '@nestjs/common';

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
   * `scope`, when a report is scoped (`reports.forTenant(tenant)`): count only the users
   * of `scope.tenant`.
   */
  registeredUsersAsOf(instants: readonly Date[], scope?: UsersScope): Promise<RegisteredUsers[]>;
  /**
   * `true` when `registeredUsersAsOf` honours `scope`. Absent: a scoped report's registered
   * users are refused (`UnscopedUsersSourceError`) rather than counted site-wide.
   */
  readonly supportsScope?: boolean;
  /** Whether this source can count `scope`'s users (absent: whenever `supportsScope`). */
  canScope?(scope: UsersScope): boolean;
}

/**
 * Which users a scoped report counts as registered: those of one tenant.
 *
 * @publicApi
 */
export interface UsersScope {
  /** Only the users of this tenant (`reports.forTenant(tenant)`). */
  readonly tenant?: string;
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
   * The property holding the user's tenant (organisation, workspace; a string column):
   * `reports.forTenant(tenant)` counts as registered the users whose property equals it.
   * Absent: a tenant's reports have no registered users of their own (`UnscopedUsersSourceError`).
   */
  tenant?: string;
}

/** The `users` option: an entity description, a `UsersSource` class Nest instantiates, or an instance. */
export type UsersOption = UsersEntityOptions | Type<UsersSource> | UsersSource;
