import type { Type } from '@nestjs/common';
import type { ClockOptions } from '../calendar/clock-options.js';
import type { UsageRow } from './usage-row.interface.js';
import type { UsersSource } from './users-source.interface.js';

/** Where registered and activated users are counted from: a TypeORM entity and its property names. @publicApi */
export interface UsersEntityOptions {
  /** The users' entity class. */
  entity: Type<unknown>;
  /** The property holding when the user registered (a date column). */
  joinedAt: string;
  /** The property telling whether the user is activated (a boolean column); absent: all are. */
  isActive?: string;
}

/** The `users` option: an entity description, a `UsersSource` class Nest instantiates, or an instance. @publicApi */
export type UsersOption = UsersEntityOptions | Type<UsersSource> | UsersSource;

/** The period boundaries a usage report is computed for. @publicApi */
export type Periods = Iterable<readonly [Date, Date]>;

/** The built-in usage function, as handed to an override. @publicApi */
export type UsageForPeriods = (periods: Periods) => Promise<UsageRow[]>;

/** An override of the usage function, wrapping the built-in one (`next`). @publicApi */
export type UsageForPeriodsOverride = (periods: Periods, next: UsageForPeriods) => Promise<UsageRow[]>;

/** The module options the reports read. @internal */
export interface ReportsOptions extends ClockOptions {
  users?: UsersOption;
  usageForPeriods?: UsageForPeriodsOverride;
}

/** What `ReportsService` and the users source inject (`SOUVENIRS_REPORTS_OPTIONS`): defaults filled in. @internal */
export interface ResolvedReportsOptions {
  timeZone: string;
  now: () => Date;
  users: UsersOption | undefined;
  usageForPeriods: UsageForPeriodsOverride | undefined;
}
