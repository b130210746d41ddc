import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Souvenir } from '../table/souvenir.entity.js';
import { InvalidOptionError } from '../errors/invalid-option.error.js';
import { InvalidRangeError } from '../errors/invalid-range.error.js';
import { RangeTooLargeError } from '../errors/range-too-large.error.js';
import { UsersSourceMissingError } from '../errors/users-source-missing.error.js';
import { UnscopedUsersSourceError } from '../errors/unscoped-users-source.error.js';
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
import type { RegisteredUsers, UsersSource } from './users-source.interface.js';
import { SOUVENIRS_USERS_SOURCE } from './users-source.provider.js';
import { SITE_WIDE, type ReportScope } from './report-scope.js';
import { activeUsersPerTenant, type TenantUsage } from '../table/tenants.query.js';
import { activeTenantDays } from './active-tenant-days.js';
import { MAX_TENANT_LENGTH, toTenant } from '../activity/tenant.js';
import { InvalidTenantError } from '../errors/invalid-tenant.error.js';

/** An optional sub-range of a report: `start` inclusive, `end` exclusive (default now). */
export interface ReportRange {
  start?: Date;
  end?: Date;
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
  activeUsers(range: AnalyticsRange): Promise<ActiveUsersRow[]> {
    return this.analytics.activeUsers(range, this.scope);
  }

  /**
   * Cohorts by first activity ever, per period from the one holding `start` to the
   * one holding `end`, and how many of each were active in each later period
   * (`classic`), or in it or any later one (`unbounded`).
   * @throws RangeTooLargeError past `MAX_ANALYTICS_DAYS` local days.
   */
  retention(options: RetentionOptions): Promise<RetentionCohort[]> {
    return this.analytics.retention(options, this.scope);
  }

  /**
   * New, returning, resurrecting and dormant users of each period from the one
   * holding `start` to the one holding `end`.
   * @throws RangeTooLargeError past `MAX_ANALYTICS_DAYS` local days.
   */
  lifecycle(options: LifecycleOptions): Promise<LifecycleRow[]> {
    return this.analytics.lifecycle(options, this.scope);
  }

  /**
   * For each week or calendar month, how many users were active on exactly n of
   * its local days.
   * @throws RangeTooLargeError past `MAX_ANALYTICS_DAYS` local days.
   */
  stickiness(options: StickinessOptions): Promise<StickinessRow[]> {
    return this.analytics.stickiness(options, this.scope);
  }

  // ── end of active-user analytics ──

  // ── Tenants: one tenant's reports, and every tenant at once ──

  /**
   * Every report of this service for one tenant: usage reports (on the tenant's own
   * subscription start), `registeredUsersAsOf` (through the `users.tenant` property),
   * `activeUsers`, retention, lifecycle and stickiness, counting only activity recorded
   * in that tenant (`souvenez(user, { tenant })`).
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
    const usage = await activeUsersPerTenant(this.souvenirs.manager, range.start, end);
    return usage.sort((a, b) => b.activeUsers - a.activeUsers || (a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : 0));
  }

  /**
   * DAU, WAU and MAU of tenants (a tenant is active on a day when any of its users is),
   * one row per local day starting in `[start, end)`, as `activeUsers`.
   * @throws RangeTooLargeError past `MAX_ANALYTICS_DAYS` local days.
   */
  activeTenants(range: AnalyticsRange): Promise<ActiveUsersRow[]> {
    return this.analytics.activeTenants(range, (days) => activeTenantDays(this.souvenirs.manager, days));
  }

  // ── end of tenants ──

  /**
   * Usage for arbitrary periods, without labels, through the `usageForPeriods`
   * override when one is configured (it receives the built-in function as `next`).
   */
  async usageForPeriods(periods: Periods): Promise<UsageRow[]> {
    // Read once and bounded here, so an override never sees an endless iterable either.
    const bounded = readPeriods(periods);
    const next = (given: Periods) => this.builtInUsageForPeriods(given);
    return this.options.usageForPeriods ? this.options.usageForPeriods(bounded, next) : next(bounded);
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
    return this.labelled(days, labels);
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
  async calendarMonthlyUsage(range: { start: Date; end?: Date }): Promise<UsageRow[]> {
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
    );
  }

  /**
   * Users registered strictly before `date`, and how many of them are activated.
   * @throws UsersSourceMissingError when the module has no `users` option.
   */
  async registeredUsersAsOf(date: Date): Promise<RegisteredUsers> {
    assertSupportedDate('date', date);
    if (!this.users) throw new UsersSourceMissingError();
    const [counts] = await this.users.registeredUsersAsOf([date], this.usersScope());
    return counts;
  }

  private async builtInUsageForPeriods(given: Periods): Promise<UsageRow[]> {
    const periods = readPeriods(given).map(([start, end], i): Period => {
      assertSupportedDate(`periods[${i}][0]`, start);
      assertSupportedDate(`periods[${i}][1]`, end);
      if (end < start) throw new InvalidRangeError(start, end);
      return [start, end];
    });
    if (periods.length === 0) return [];
    const [active, registered] = await Promise.all([
      this.index.countRanges(periods, this.scope),
      // A scope the users source cannot count (no `users.tenant`): registered users unknown, as without `users`.
      this.users && this.canScopeUsers() ? this.users.registeredUsersAsOf(periods.map(([, end]) => end), this.usersScope()) : null,
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

  /**
   * What the users source is asked to scope to: nothing site-wide, so any source answers.
   * @throws UnscopedUsersSourceError when scoped and the source does not say it can scope.
   */
  private usersScope(): ReportScope | undefined {
    if (this.scope.tenant === undefined) return undefined;
    if (!this.canScopeUsers()) throw new UnscopedUsersSourceError(['tenant']);
    return this.scope;
  }

  /** Whether the users source can count this scope's users: any source site-wide; one that says so, else. */
  private canScopeUsers(): boolean {
    return this.scope.tenant === undefined || (this.users?.supportsScope === true && this.users.canScope?.(this.scope) !== false);
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

  private async labelled(periods: readonly Period[], labels: readonly Labels[]): Promise<UsageRow[]> {
    const rows = await this.usageForPeriods(periods);
    return rows.map((row, i) => ({ period: row.period, labels: labels[i], usage: row.usage, ...extra(row) }));
  }
}

/** The module options `ReportsService` reads (a slice of the resolved options). @internal */
export interface ReportsSettings {
  /** Wraps the built-in usage function; absent: it runs as is. */
  readonly usageForPeriods: UsageForPeriodsOverride | undefined;
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
