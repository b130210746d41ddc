import { BadRequestException, Get, Header, Query, Req, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { DateTime } from 'luxon';
import { StoreUnavailableFilter } from '../http/store-unavailable.filter.js';
import { NoTrack } from '../tracking/no-track.decorator.js';
import { ExcludeFromOpenApi } from '../http/exclude-from-openapi.decorator.js';
import { ReportsService } from '../reports/reports.service.js';
import { SouvenirsCalendar } from '../calendar/souvenirs-calendar.js';
import type { QueryValue } from './dashboard-query.js';
import { DashboardGuard } from './dashboard.guard.js';
import { DashboardCsvInterceptor } from './dashboard-csv.interceptor.js';
import { tenantParam } from './dashboard-tenant.js';
import { UsersSourceMissingError } from '../errors/users-source-missing.error.js';
import { InvalidSubsetError } from '../errors/invalid-subset.error.js';
import { InvalidOptionError } from '../errors/invalid-option.error.js';
import { CUSTOMER_SORTS, renderCustomers, type CustomerRow, type CustomerSort } from './dashboard-customers.page.js';

type Query = Record<string, QueryValue>;

/** Enough of a request to know the mount path as the browser reached it. */
interface RequestLike {
  originalUrl?: string;
  url: string;
}

/** Most idle seats listed on the page: the first ones the reports stream. */
const MAX_IDLE_LISTED = 100;

/**
 * The dashboard's Customers page and its data: `reports.tenantsUsage` for this
 * calendar month and the last, per tenant, sortable, as JSON and CSV
 * (`?format=csv`, the neutralising writer every download uses). Mounted beside
 * `DashboardController`, under the same path and guard, by `withDashboard`.
 *
 * @internal
 */
@NoTrack()
@ExcludeFromOpenApi()
@UseGuards(DashboardGuard)
@UseInterceptors(DashboardCsvInterceptor)
@UseFilters(StoreUnavailableFilter)
export class DashboardCustomersController {
  constructor(
    private readonly reports: ReportsService,
    private readonly calendar: SouvenirsCalendar,
  ) {}

  /** The Customers page: `?sort=tenant|thisMonth|lastMonth&order=asc|desc` (default this month, largest first); `?tenant=`: its idle seats. */
  @Get('customers')
  @Header('content-type', 'text/html; charset=utf-8')
  async page(@Req() request: RequestLike, @Query() query: Query): Promise<string> {
    const { sort, order } = sortParams(query);
    const tenant = tenantParam(query.tenant);
    const months = this.months();
    const [rows, idle] = await Promise.all([this.rows(months, sort, order), this.idleSeats(months.last.start, tenant)]);
    const path = (request.originalUrl ?? request.url).split('?')[0].replace(/\/+$/, '');
    return renderCustomers({
      base: path.split('/').slice(0, -1).join('/'),
      timeZone: this.calendar.timeZone,
      thisMonth: months.this.label,
      lastMonth: months.last.label,
      rows,
      sort,
      order,
      idle,
      tenant,
    });
  }

  /** The Customers table as JSON (`?format=csv`: its CSV download), in the page's order (same `?sort=&order=`). */
  @Get('api/customers')
  customers(@Query() query: Query): Promise<CustomerRow[]> {
    const { sort, order } = sortParams(query);
    return this.rows(this.months(), sort, order);
  }

  /** Every tenant active this month or last, with both counts, sorted (ties by tenant, code-unit order). */
  private async rows(months: Months, sort: CustomerSort, order: 'asc' | 'desc'): Promise<CustomerRow[]> {
    const [current, previous] = await Promise.all([
      this.reports.tenantsUsage({ start: months.this.start }),
      this.reports.tenantsUsage({ start: months.last.start, end: months.this.start }),
    ]);
    const rows = new Map<string, CustomerRow>();
    const row = (tenant: string) => rows.get(tenant) ?? rows.set(tenant, { tenant, thisMonth: 0, lastMonth: 0 }).get(tenant)!;
    for (const { tenant, activeUsers } of current) row(tenant).thisMonth = activeUsers;
    for (const { tenant, activeUsers } of previous) row(tenant).lastMonth = activeUsers;
    const byTenant = (a: CustomerRow, b: CustomerRow) => (a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : 0);
    const sign = order === 'asc' ? 1 : -1;
    const compare = sort === 'tenant' ? (a: CustomerRow, b: CustomerRow) => sign * byTenant(a, b) : (a: CustomerRow, b: CustomerRow) => sign * (a[sort] - b[sort]) || byTenant(a, b);
    return [...rows.values()].sort(compare);
  }

  /**
   * The first idle seats (users with no activity since `since`; `tenant`'s when given), when
   * the reports can list inactive users (`reports.inactiveUsers` with a users entity); absent otherwise.
   */
  private async idleSeats(since: Date, tenant: string | undefined): Promise<{ since: string; users: string[]; more: boolean } | undefined> {
    const reports = this.reports as ReportsService & Partial<InactiveUsersApi>;
    if (typeof reports.inactiveUsers !== 'function') return undefined;
    const users: string[] = [];
    let more = false;
    try {
      for await (const user of reports.inactiveUsers({ since, tenant })) {
        if (users.length === MAX_IDLE_LISTED) {
          more = true;
          break;
        }
        users.push(String(typeof user === 'object' && user !== null ? user.id : user));
      }
    } catch (error) {
      // No users entity to list (no `users` option, a UsersSource, no `users.tenant` for a tenant): no section.
      if (error instanceof UsersSourceMissingError || error instanceof InvalidSubsetError || error instanceof InvalidOptionError) return undefined;
      throw error;
    }
    return { since: DateTime.fromJSDate(since, { zone: this.calendar.timeZone }).toISODate()!, users, more };
  }

  /** This calendar month (to now) and the last, in the module's zone. */
  private months(): Months {
    const zone = this.calendar.timeZone;
    const first = DateTime.fromJSDate(this.calendar.now(), { zone }).startOf('month');
    const last = first.minus({ months: 1 });
    return { this: { start: first.toJSDate(), label: first.toFormat('yyyy-MM') }, last: { start: last.toJSDate(), label: last.toFormat('yyyy-MM') } };
  }
}

interface Months {
  this: { start: Date; label: string };
  last: { start: Date; label: string };
}

/** `reports.inactiveUsers`, as the Customers page calls it. */
interface InactiveUsersApi {
  inactiveUsers(options: { since: Date; tenant?: string }): AsyncIterable<string | number | { id: string | number }>;
}

/** `?sort=` and `?order=`, a 400 for anything else. */
function sortParams(query: Query): { sort: CustomerSort; order: 'asc' | 'desc' } {
  const one = (name: string) => {
    const value = query[name];
    if (Array.isArray(value)) throw new BadRequestException(`Query parameter \`${name}\` was given more than once; give it once.`);
    return value === undefined || value === '' ? undefined : value;
  };
  const sort = (one('sort') ?? 'thisMonth') as CustomerSort;
  if (!CUSTOMER_SORTS.includes(sort)) throw new BadRequestException(`Query parameter \`sort\` must be one of ${CUSTOMER_SORTS.join(', ')}.`);
  const order = one('order') ?? (sort === 'tenant' ? 'asc' : 'desc');
  if (order !== 'asc' && order !== 'desc') throw new BadRequestException('Query parameter `order` must be asc or desc.');
  return { sort, order };
}
