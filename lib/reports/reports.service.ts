import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Souvenir } from '../table/souvenir.entity.js';
import { InvalidOptionError } from '../errors/invalid-option.error.js';
import { InvalidRangeError } from '../errors/invalid-range.error.js';
import { RangeTooLargeError } from '../errors/range-too-large.error.js';
import { UsersSourceMissingError } from '../errors/users-source-missing.error.js';
import { adjustToCalendarMonth } from '../calendar/months.js';
import { calendarMonthLabels, customerMonthLabels, customerQuarterLabels, customerYearLabels } from '../calendar/period-labels.js';
import { iterDays, iterMonths, iterQuarters, iterYears } from '../calendar/period-iterators.js';
import {
  assertSupportedDate,
  LONGEST_PERIOD_MS,
  MAX_REPORT_PERIODS,
  refuseLongRange,
  takeAtMost,
} from '../calendar/period-limits.js';
import { SouvenirsCalendar } from '../calendar/souvenirs-calendar.js';
import { SOUVENIRS_OPTIONS } from '../shared/souvenirs-options.token.js';
import { dialectSqlOf } from '../table/sql/dialect-sql.js';
import { ActiveUsersIndex } from '../active-users/active-users.index.js';
import type { Periods, UsageForPeriodsOverride, UsageRow } from './usage-row.interface.js';
import { AnalyticsReports } from './analytics.reports.js';
import type {
  ActiveUsersRow,
  AnalyticsRange,
  LifecycleOptions,
  LifecycleRow,
  RetentionCohort,
  RetentionOptions,
  StickinessOptions,
  StickinessRow,
} from './analytics-rows.interface.js';
import type { RegisteredUsers, UsersEntityOptions, UsersScope, UsersSource } from './users-source.interface.js';
import { MAX_TENANT_LENGTH, toTenant } from '../activity/tenant.js';
import { registeredUsersWithin } from './scoped-registered-users.js';
import { resolveAmong, subsetUsersEntity, type Among, type UserSubset } from '../activity/user-subset.js';
import type { UserRef } from '../activity/user-ref.js';
import { inactiveUsersOf } from './inactive-users.js';
import { InvalidSubsetError } from '../errors/invalid-subset.error.js';
import { SITE_WIDE, type ReportScope } from './report-scope.js';
import { activeUsersPerTenant, type TenantUsage } from '../table/tenants.query.js';
import { activeTenantDays } from './active-tenant-days.js';
import { InvalidTenantError } from '../errors/invalid-tenant.error.js';
import { UnscopedUsersSourceError } from '../errors/unscoped-users-source.error.js';
import { SOUVENIRS_USERS_SOURCE } from './users-source.provider.js';

/** An optional sub-range of a report: `start` inclusive, `end` exclusive (default now). */
export interface ReportRange {
  start?: Date;
  end?: Date;
  /** Only these users (an iterable of refs, or `{ where }` on the `users` entity): active, registered and activated within it. */
  among?: Among;
}

/** Restricts a report to a subset of users. */
export interface SubsetOption {
  /** Only these users (an iterable of refs, or `{ where }` on the `users` entity); absent: every user. */
  among?: Among;
}

/**
 * Every report of `ReportsService` for one tenant (`reports.forTenant(tenant)`): the same
 * methods, counting the tenant's activity and, through `users.tenant`, its registered users.
 *
 * @publicApi
 */
export type TenantReports = Omit<ReportsService, 'forTenant' | 'tenantsUsage' | 'activeTenants'>;

type Period = readonly [Date, Date];
type Labels = Record<string, string | number>;
type PeriodIterator = (start: Date, end: Date, timeZone: string) => Iterable<[Date, Date]>;
/** A kind of customer period: how to enumerate it, and its bounds for the range checks. */
interface PeriodKind {
  readonly iterate: PeriodIterator;
  readonly unit: 'days' | 'months' | 'quarters' | 'years';
  readonly longestMs: number;
}

const MONTHS: PeriodKind = { iterate: iterMonths, unit: 'months', longestMs: LONGEST_PERIOD_MS.month };
const QUARTERS: PeriodKind = { iterate: iterQuarters, unit: 'quarters', longestMs: LONGEST_PERIOD_MS.quarter };
const YEARS: PeriodKind = { iterate: iterYears, unit: 'years', longestMs: LONGEST_PERIOD_MS.year };

/**
 * django-souvenirs' usage reports: registered, activated and active users per
 * period, for calendar months or for periods anchored on a customer's subscription
 * start, in the module's `timeZone`.
 *
 * Every report costs a constant number of SQL round trips however many periods it
 * has: one grouped query for active users and one for registered users.
 *
 * Work is bounded for any input: a report (or `usageForPeriods` call) with more than
 * `MAX_REPORT_PERIODS` (10,000) periods, subscription reports counting from the
 * subscription start, is refused with a `RangeTooLargeError` before anything is
 * enumerated or queried, and dates must lie within `SUPPORTED_DATES` (years 1000–9999).
 *
 * Every report takes `among` (a subset of users, see `Among`), and then counts active,
 * registered and activated users within it (`InvalidSubsetError` for a bad one).
 *
 * @publicApi
 */
@Injectable()
export class ReportsService {
  /** Whose activity and users every report below counts; `forTenant` makes a copy with another. */
  private readonly scope: ReportScope = SITE_WIDE;

  constructor(
    @InjectRepository(Souvenir) private readonly souvenirs: Repository<Souvenir>,
    @Inject(SOUVENIRS_OPTIONS) private readonly options: ReportsSettings,
    private readonly calendar: SouvenirsCalendar,
    @Inject(SOUVENIRS_USERS_SOURCE) private readonly users: UsersSource | null,
    // Exact active users per period: whole local days from the active-users index,
    // edge hours (periods starting at a customer's time of day) from SQL.
    private readonly index: ActiveUsersIndex,
    // Active-user analytics (DAU/WAU/MAU, retention, lifecycle, stickiness): computed there.
    private readonly analytics: AnalyticsReports,
  ) {
    // Detected once, at boot: an unsupported database stops the app here, not at its first report.
    dialectSqlOf(souvenirs.manager.connection);
  }

  // ── Active-user analytics: exact, in `timeZone`, weeks from `weekStart` (see analytics.reports.ts) ──

  /**
   * DAU, WAU and MAU (distinct users of the day, of the 7 and of the 30 local days
   * ending with it) and stickiness (DAU / MAU), one row per local day starting in
   * `[start, end)`.
   * @throws RangeTooLargeError past `MAX_ANALYTICS_DAYS` local days.
   */
  async activeUsers(range: AnalyticsRange): Promise<ActiveUsersRow[]> {
    return this.analytics.activeUsers(range, { ...this.scope, within: await this.subsetOf(range?.among) });
  }

  /**
   * Cohorts by first activity ever, per period from the one holding `start` to the
   * one holding `end`, and how many of each were active in each later period
   * (`classic`), or in it or any later one (`unbounded`).
   * @throws RangeTooLargeError past `MAX_ANALYTICS_DAYS` local days.
   */
  async retention(options: RetentionOptions): Promise<RetentionCohort[]> {
    return this.analytics.retention(options, { ...this.scope, within: await this.subsetOf(options?.among) });
  }

  /**
   * New, returning, resurrecting and dormant users of each period from the one
   * holding `start` to the one holding `end`.
   * @throws RangeTooLargeError past `MAX_ANALYTICS_DAYS` local days.
   */
  async lifecycle(options: LifecycleOptions): Promise<LifecycleRow[]> {
    return this.analytics.lifecycle(options, { ...this.scope, within: await this.subsetOf(options?.among) });
  }

  /**
   * For each week or calendar month, how many users were active on exactly n of
   * its local days.
   * @throws RangeTooLargeError past `MAX_ANALYTICS_DAYS` local days.
   */
  async stickiness(options: StickinessOptions): Promise<StickinessRow[]> {
    return this.analytics.stickiness(options, { ...this.scope, within: await this.subsetOf(options?.among) });
  }

  // ── end of active-user analytics ──

  // ── Tenants: one tenant's reports, and every tenant at once ──

  /**
   * Every report of this service for one tenant: usage reports (on the tenant's own
   * subscription start), `registeredUsersAsOf` (through the `users.tenant` property),
   * `activeUsers`, retention, lifecycle and stickiness, counting only activity recorded
   * in that tenant (`souvenez(user, { tenant })`); `among` still narrows them to a subset.
   *
   * @example
   * const month = await reports.forTenant('acme').customerMonthlyUsage(acme.subscribedAt, { start: billingStart });
   * @throws InvalidTenantError when `tenant` is not a non-empty string of at most 255 characters.
   */
  forTenant(tenant: string): TenantReports {
    // A tenant report of no tenant would be the site's under another name: refused as invalid.
    if (toTenant(tenant) === null) throw new InvalidTenantError(tenant, 'not-a-string', MAX_TENANT_LENGTH);
    // The same service under another scope: every method reads `this.scope`.
    const scoped = Object.create(this) as { scope: ReportScope };
    Object.defineProperty(scoped, 'scope', { value: Object.freeze({ tenant }) });
    return scoped as unknown as TenantReports;
  }

  /**
   * Every tenant's distinct active users in `[start, end)` (`end` defaults to now), largest
   * first, ties by tenant (code-unit order): the billing run, in one call. Tenants without
   * activity in the range are not listed.
   *
   * @throws InvalidDateError, InvalidRangeError for a bad range.
   */
  async tenantsUsage(range: { start: Date; end?: Date }): Promise<TenantUsage[]> {
    assertSupportedDate('range.start', range?.start);
    const end = this.rangeEnd(range.start, range.end);
    if (end <= range.start) return [];
    await this.index.checkKept([[range.start, end]]);
    // From the pairs index (one union of the site's days, counted per tenant), else one GROUP BY.
    const counted = await this.index.countPerTenant(range.start, end);
    const usage = counted?.map(([tenant, activeUsers]) => ({ tenant, activeUsers })) ?? (await activeUsersPerTenant(this.souvenirs.manager, range.start, end));
    return usage.sort((a, b) => b.activeUsers - a.activeUsers || (a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : 0));
  }

  /**
   * DAU, WAU and MAU of tenants (a tenant is active on a day when any of its users is),
   * one row per local day starting in `[start, end)`, as `activeUsers`.
   * @throws RangeTooLargeError past `MAX_ANALYTICS_DAYS` local days.
   */
  activeTenants(range: AnalyticsRange): Promise<ActiveUsersRow[]> {
    return this.analytics.activeTenants(range, async (days) => {
      // Refused before the horizon as the users' days are (see ActiveDaySets.read).
      const held = days.filter((day) => day !== null);
      if (held.length > 0) await this.index.checkKept([[held[0].start, held[held.length - 1].end]]);
      return activeTenantDays(this.souvenirs.manager, days);
    });
  }

  // ── end of tenants ──

  /**
   * Usage for arbitrary periods, without labels, through the `usageForPeriods`
   * override when one is configured (it receives the built-in function as `next`,
   * already kept to the subset, and the subset as `scope.among`).
   */
  async usageForPeriods(periods: Periods, options?: SubsetOption): Promise<UsageRow[]> {
    return this.usageWithin(periods, await this.subsetOf(options?.among));
  }

  /** {@link usageForPeriods} of a resolved subset (every report goes through here, and so through the override). */
  private async usageWithin(periods: Periods, subset: UserSubset | undefined): Promise<UsageRow[]> {
    // Read once and bounded here, so an override never sees an endless iterable either.
    const bounded = readPeriods(periods);
    const next = (given: Periods) => this.builtInUsageForPeriods(given, subset);
    if (!this.options.usageForPeriods) return next(bounded);
    return subset ? this.options.usageForPeriods(bounded, next, { among: subset }) : this.options.usageForPeriods(bounded, next);
  }

  /** Days from the subscription's time of day, labelled with their customer month. */
  async dailyUsage(subscriptionStart: Date, range: ReportRange = {}): Promise<UsageRow[]> {
    const { start, end } = this.customerRange(subscriptionStart, range);
    refuseLongRange('dailyUsage', 'days', start, end, LONGEST_PERIOD_MS.day, MAX_REPORT_PERIODS);
    const days: Period[] = [];
    const labels: Labels[] = [];
    this.customerPeriods('dailyUsage', MONTHS, subscriptionStart, end).forEach(([[monthStart, monthEnd], m]) => {
      // Months before the range hold no kept day: not enumerated at all.
      if (monthEnd <= start) return;
      for (const day of iterDays(monthStart, monthEnd, this.calendar.timeZone)) {
        if (day[1] <= start) continue;
        if (days.length === MAX_REPORT_PERIODS) throw new RangeTooLargeError('dailyUsage', 'days', MAX_REPORT_PERIODS);
        days.push(day);
        labels.push(customerMonthLabels(m));
      }
    });
    return this.labelled(days, labels, range?.among);
  }

  /** Months anchored on the subscription start, labelled `Y01 M01`. */
  async customerMonthlyUsage(subscriptionStart: Date, range: ReportRange = {}): Promise<UsageRow[]> {
    return this.customerReport('customerMonthlyUsage', subscriptionStart, range, MONTHS, customerMonthLabels);
  }

  /** Quarters (3 customer months) anchored on the subscription start, labelled `Y01 Q1`. */
  async customerQuarterlyUsage(subscriptionStart: Date, range: ReportRange = {}): Promise<UsageRow[]> {
    return this.customerReport('customerQuarterlyUsage', subscriptionStart, range, QUARTERS, customerQuarterLabels);
  }

  /** Years (12 customer months) anchored on the subscription start, labelled `Y01`. */
  async customerYearlyUsage(subscriptionStart: Date, range: ReportRange = {}): Promise<UsageRow[]> {
    return this.customerReport('customerYearlyUsage', subscriptionStart, range, YEARS, customerYearLabels);
  }

  /** Calendar months from the first of `start`'s month, 00:00, labelled `2016-01`. */
  async calendarMonthlyUsage(range: { start: Date; end?: Date; among?: Among }): Promise<UsageRow[]> {
    assertSupportedDate('range.start', range?.start);
    const end = this.rangeEnd(range.start, range.end);
    const first = adjustToCalendarMonth(range.start, this.calendar.timeZone);
    let periods: Period[] = [];
    if (end > first) {
      refuseLongRange('calendarMonthlyUsage', 'months', first, end, LONGEST_PERIOD_MS.month, MAX_REPORT_PERIODS);
      periods = takeAtMost(iterMonths(first, end, this.calendar.timeZone), MAX_REPORT_PERIODS, 'calendarMonthlyUsage', 'months');
    }
    return this.labelled(
      periods,
      periods.map(([start]) => calendarMonthLabels(start, this.calendar.timeZone)),
      range.among,
    );
  }

  /**
   * Users registered strictly before `date`, and how many of them are activated; with
   * `among`, only users of that subset.
   * @throws UsersSourceMissingError when the module has no `users` option.
   * @throws UnscopedUsersSourceError with `among`, when the `UsersSource` does not declare `supportsScope`.
   */
  async registeredUsersAsOf(date: Date, options?: SubsetOption): Promise<RegisteredUsers> {
    assertSupportedDate('date', date);
    if (!this.users) throw new UsersSourceMissingError();
    const subset = await this.subsetOf(options?.among);
    const [counts] = await registeredUsersWithin(this.users, [date], this.usersScope(subset));
    return counts;
  }

  /**
   * The users of the `users` entity with no activity since `since` (at or after it):
   * idle seats to reclaim. Streamed in pages of `INACTIVE_USERS_PAGE` users (each page
   * one query on the entity and one on the souvenirs table), so memory stays one page
   * however many users there are; each user is its primary column's value. With
   * `among`, only users of that subset (that are users of the entity); with `tenant`, only
   * that tenant's users (`users.tenant`) with no activity in it.
   *
   * @example
   * for await (const user of reports.inactiveUsers({ since: ninetyDaysAgo })) await seats.release(user);
   *
   * @throws InvalidDateError (on the first step) when `since` is not a supported Date.
   * @throws InvalidTenantError for a bad `tenant`, InvalidOptionError for a `tenant` without `users.tenant`.
   * @throws UsersSourceMissingError without a `users` option, InvalidSubsetError (`'no-users-entity'`)
   *   when it is a `UsersSource`: only an entity lists its users.
   */
  inactiveUsers(options: { since: Date; tenant?: string; among?: Among }): AsyncIterable<UserRef> {
    const { since, among } = options ?? {};
    // A tenant's reports list that tenant's idle users unless told another.
    const tenant = options?.tenant ?? this.scope.tenant;
    const users = this.options.users;
    const entity = subsetUsersEntity(users);
    // Checked before the first page is read, as every report checks its arguments first.
    const checked = async () => {
      assertSupportedDate('inactiveUsers.since', since);
      if (!users) throw new UsersSourceMissingError();
      if (!entity) throw new InvalidSubsetError('no-users-entity', 'inactiveUsers lists the users of the users entity, and the `users` option is a UsersSource');
      const value = toTenant(tenant);
      const property = (entity as UsersEntityOptions).tenant;
      if (value !== null && !property) {
        throw new InvalidOptionError('users.tenant', "the users entity's tenant property, to list a tenant's users", undefined);
      }
      return { subset: await this.subsetOf(among), tenant: value === null ? undefined : { property: property!, value } };
    };
    const manager = this.souvenirs.manager;
    return {
      async *[Symbol.asyncIterator]() {
        const scope = await checked();
        yield* inactiveUsersOf(manager, entity!, since, scope.subset, scope.tenant);
      },
    };
  }

  /** The scope a users source counts registered users within: this report's tenant, and a subset. */
  private usersScope(subset: UserSubset | undefined): UsersScope | undefined {
    const { tenant } = this.scope;
    if (subset === undefined && tenant === undefined) return undefined;
    return { ...(subset && { among: subset }), ...(tenant !== undefined && { tenant }) };
  }

  /**
   * Registered users at each period end, or unknown (`null`, as without a `users` option)
   * for a tenant's report when the users source cannot tell a tenant's users (no
   * `users.tenant`): a usage table still shows the tenant's activity. A subset the source
   * cannot scope is refused, as `registeredUsersAsOf` refuses it.
   */
  private async registeredOrUnknown(ends: readonly Date[], subset: UserSubset | undefined): Promise<RegisteredUsers[] | null> {
    try {
      return await registeredUsersWithin(this.users!, ends, this.usersScope(subset));
    } catch (error) {
      if (error instanceof UnscopedUsersSourceError && subset === undefined && this.scope.tenant !== undefined) return null;
      throw error;
    }
  }

  /** The subset an `among` names, once per report (`undefined`: every user). */
  private async subsetOf(among: Among | undefined): Promise<UserSubset | undefined> {
    return among === undefined ? undefined : resolveAmong(among, this.souvenirs.manager, subsetUsersEntity(this.options.users));
  }

  private async builtInUsageForPeriods(given: Periods, subset: UserSubset | undefined): Promise<UsageRow[]> {
    const periods = readPeriods(given).map(([start, end], i): Period => {
      assertSupportedDate(`periods[${i}][0]`, start);
      assertSupportedDate(`periods[${i}][1]`, end);
      if (end < start) throw new InvalidRangeError(start, end);
      return [start, end];
    });
    if (periods.length === 0) return [];
    const ends = periods.map(([, end]) => end);
    const [active, registered] = await Promise.all([
      subset ? this.index.countRangesAmong(periods, subset, this.scope) : this.index.countRanges(periods, this.scope),
      this.users ? this.registeredOrUnknown(ends, subset) : null,
    ]);
    return periods.map(([start, end], i) => ({
      period: { start, end },
      usage: {
        registeredUsers: registered ? registered[i].registered : null,
        activatedUsers: registered ? registered[i].activated : null,
        activeUsers: active[i],
      },
    }));
  }

  private async customerReport(
    call: string,
    subscriptionStart: Date,
    range: ReportRange,
    kind: PeriodKind,
    label: (n: number) => Labels,
  ): Promise<UsageRow[]> {
    const { start, end } = this.customerRange(subscriptionStart, range);
    // Enumerate from the subscription start, whatever range.start is, so the
    // numbering (Y01 M01, …) is the customer's, then drop the periods before it.
    const kept = this.customerPeriods(call, kind, subscriptionStart, end).filter(([[, e]]) => e > start);
    return this.labelled(
      kept.map(([period]) => period),
      kept.map(([, n]) => label(n)),
      range?.among,
    );
  }

  /** The effective [start, end) of a subscription report; `end` defaults to now. */
  private customerRange(subscriptionStart: Date, range: ReportRange): { start: Date; end: Date } {
    assertSupportedDate('subscriptionStart', subscriptionStart);
    if (range?.start !== undefined) assertSupportedDate('range.start', range.start);
    const start = range?.start ?? subscriptionStart;
    return { start, end: this.rangeEnd(start, range?.end) };
  }

  /** An explicit end before the start is a mistake; the default end (now) before it is just an empty report. */
  private rangeEnd(start: Date, end: Date | undefined): Date {
    if (end === undefined) return this.calendar.now();
    assertSupportedDate('range.end', end);
    if (end < start) throw new InvalidRangeError(start, end);
    return end;
  }

  /**
   * The customer's periods up to `end`, each with its 1-based number (none before the
   * subscription starts), at most `MAX_REPORT_PERIODS` of them.
   */
  private customerPeriods(call: string, kind: PeriodKind, subscriptionStart: Date, end: Date): [Period, number][] {
    if (end <= subscriptionStart) return [];
    refuseLongRange(call, kind.unit, subscriptionStart, end, kind.longestMs, MAX_REPORT_PERIODS);
    const periods = takeAtMost(kind.iterate(subscriptionStart, end, this.calendar.timeZone), MAX_REPORT_PERIODS, call, kind.unit);
    return periods.map((period, i) => [period, i + 1]);
  }

  private async labelled(periods: readonly Period[], labels: readonly Labels[], among: Among | undefined): Promise<UsageRow[]> {
    const rows = await this.usageWithin(periods, await this.subsetOf(among));
    return rows.map((row, i) => ({ period: row.period, labels: labels[i], usage: row.usage, ...extra(row) }));
  }
}

/** The module options `ReportsService` reads (a slice of the resolved options). @internal */
export interface ReportsSettings {
  /** Wraps the built-in usage function; absent: it runs as is. */
  readonly usageForPeriods: UsageForPeriodsOverride | undefined;
  /** The `users` option: its entity is what `among: { where }` runs on. */
  readonly users: object | undefined;
}


/**
 * The periods of `usageForPeriods` as an array, read once and at most `MAX_REPORT_PERIODS`
 * of them, each a `[start, end]` pair (its dates are checked by the built-in function).
 *
 * @throws InvalidOptionError when `periods` is not an iterable of pairs.
 * @throws RangeTooLargeError past `MAX_REPORT_PERIODS` periods.
 */
function readPeriods(periods: Periods): Period[] {
  if (typeof (periods as Partial<Iterable<unknown>> | null)?.[Symbol.iterator] !== 'function') {
    throw new InvalidOptionError('periods', 'an iterable of [start, end] pairs of Dates', periods);
  }
  return takeAtMost(periods as Iterable<unknown>, MAX_REPORT_PERIODS, 'usageForPeriods', 'periods').map((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw new InvalidOptionError(`periods[${i}]`, 'a [start, end] pair of Dates', pair);
    return pair as unknown as Period;
  });
}

/** What an override added to a row beyond period and usage, kept as given. */
function extra(row: UsageRow): object {
  const { period: _period, labels: _labels, usage: _usage, ...rest } = row;
  return rest;
}
