import { DateTime } from 'luxon';
import { BadRequestException, Get, Header, Param, Query, Req, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { StoreUnavailableFilter } from '../http/store-unavailable.filter.js';
import { RESPONSE_TIME_METRICA } from '../tracking/tracking.constants.js';
import type { ActiveUsersDay, AxisBreakdown, MetricaSummary, MonthlyUsageRow, PercentilePoint, PeriodComparison, ResponseTimeRow, TimelinePoint } from './dashboard-data.interface.js';
import { DashboardComparisonService } from './dashboard-comparison.service.js';
import { DashboardDataService, type ChartRange } from './dashboard-data.service.js';
import { chartJsSource } from './chart-js.asset.js';
import { DASHBOARD_CLIENT_SCRIPT } from './dashboard-client.script.js';
import { renderMetrica } from './dashboard-pages.js';
import { renderOverview } from './dashboard-overview.page.js';
import { dateParam, dayRangeParams, integerParam, scaleParam, type QueryValue } from './dashboard-query.js';
import { DashboardGuard } from './dashboard.guard.js';
import { DashboardCsvInterceptor } from './dashboard-csv.interceptor.js';
import { tenantParam } from './dashboard-tenant.js';
import { NoTrack } from '../tracking/no-track.decorator.js';
import { ExcludeFromOpenApi } from '../http/exclude-from-openapi.decorator.js';

type Query = Record<string, QueryValue>;

/** The request's path as Express (`originalUrl`, global prefix included) or Fastify (`url`) give it. */
interface RequestLike {
  originalUrl?: string;
  url: string;
}

const HTML = 'text/html; charset=utf-8';
const JAVASCRIPT = 'text/javascript; charset=utf-8';

/**
 * The mount path as the browser reached it (global prefix included), found by
 * dropping the route's own `segments` trailing path segments, so pages link to
 * their assets and JSON endpoints whatever the prefix.
 */
function baseOf(request: RequestLike, segments: number): string {
  const path = (request.originalUrl ?? request.url).split('?')[0].replace(/\/+$/, '');
  return segments === 0 ? path : path.split('/').slice(0, -segments).join('/');
}

/**
 * The dashboard's pages, JSON endpoints and assets. Deliberately without a path of
 * its own: each SouvenirsModule definition subclasses it and gives the subclass
 * `@Controller(dashboard.path)` once the options are resolved (see `withDashboard`).
 * `@NoTrack()`: operators reading the numbers should not move them (activity, response times).
 * Every JSON endpoint also answers `?format=csv`, the download linked beside each chart and table.
 * @internal
 */
@NoTrack()
@ExcludeFromOpenApi()
@UseGuards(DashboardGuard)
@UseInterceptors(DashboardCsvInterceptor)
@UseFilters(StoreUnavailableFilter)
export class DashboardController {
  constructor(
    private readonly data: DashboardDataService,
    private readonly comparison: DashboardComparisonService,
  ) {}

  /**
   * The range of the query, its start moved after the retention horizon by the 29 days the
   * MAU looks back (else every chart of it would be refused), as long as it stays a range.
   */
  private keptRange(query: Query): ReturnType<typeof dayRangeParams> {
    const range = dayRangeParams(query, this.data.today());
    const horizon = this.data.horizon();
    if (horizon === null) return range;
    const earliest = DateTime.fromISO(horizon, { zone: range.first.zone }).plus({ days: 29 });
    return earliest > range.first && earliest <= range.last ? { first: earliest, last: range.last } : range;
  }

  /** The overview page: `?from=&to=` (local days, both included; default the last 90 days) or `?days=`. */
  @Get()
  @Header('content-type', HTML)
  async overview(@Req() request: RequestLike, @Query() query: Query): Promise<string> {
    const today = this.data.today();
    const range = this.keptRange(query);
    const tenant = tenantParam(query.tenant);
    const [monthly, metricas, responseTimes] = await Promise.all([
      this.data.monthlyUsage(12, tenant),
      this.data.metricas(),
      this.data.responseTimes(),
    ]);
    return renderOverview({
      base: baseOf(request, 0),
      timeZone: this.data.timeZone,
      today: today.toISODate() as string,
      horizon: this.data.horizon(),
      from: range.first.toISODate() as string,
      to: range.last.toISODate() as string,
      monthly,
      metricas,
      responseTimes,
      tenant,
    });
  }

  /** One metrica's page: timeline, and a pie and a time series per axis, with scale and range controls. */
  @Get('metricas/:name')
  @Header('content-type', HTML)
  async metricaPage(@Req() request: RequestLike, @Param('name') name: string, @Query() query: Query): Promise<string> {
    const range = this.range(name, query);
    const [summary] = (await this.data.metricas()).filter((metrica) => metrica.name === name);
    return renderMetrica({
      base: baseOf(request, 2),
      metrica: summary,
      timeZone: this.data.timeZone,
      scale: range.scale,
      since: range.since?.toISOString(),
      until: range.until?.toISOString(),
    });
  }

  /** DAU, WAU, MAU and stickiness per day: `?from=&to=` (local days, both included) or `?days=` 1-730, default 90 ending today; `?tenant=` one tenant's. */
  @Get('api/active-users')
  activeUsers(@Query() query: Query): Promise<ActiveUsersDay[]> {
    return this.data.activeUsers(this.keptRange(query), tenantParam(query.tenant));
  }

  /** The overview's comparison: `?from=&to=` (as `api/active-users`) beside as many days just before; `?tenant=` scopes its active users. */
  @Get('api/comparison')
  compare(@Query() query: Query): Promise<PeriodComparison> {
    return this.comparison.compare(this.keptRange(query), tenantParam(query.tenant));
  }

  /** Calendar-monthly usage: `?months=` 1-120, default 12; `?tenant=` one tenant's. */
  @Get('api/usage/monthly')
  monthlyUsage(@Query() query: Query): Promise<MonthlyUsageRow[]> {
    return this.data.monthlyUsage(integerParam('months', query.months, 1, 120, 12), tenantParam(query.tenant));
  }

  /** Every metrica with its axes and totals. */
  @Get('api/metricas')
  metricas(): Promise<MetricaSummary[]> {
    return this.data.metricas();
  }

  /** A metrica over time: `?scale=&since=&until=` (default: the last 30 days, the metrica's choice of scale). */
  @Get('api/metricas/:name/timeline')
  timeline(@Param('name') name: string, @Query() query: Query): Promise<TimelinePoint[]> {
    return this.data.timeline(name, this.range(name, query));
  }

  /** A metrica by one axis: all-time pie and time series of its largest values, same query as the timeline. */
  @Get('api/metricas/:name/axes/:axis')
  axis(@Param('name') name: string, @Param('axis') axis: string, @Query() query: Query): Promise<AxisBreakdown> {
    return this.data.axis(name, axis, this.range(name, query));
  }

  /** `response_time` per view: counts and average milliseconds, all time and today. */
  @Get('api/response-times')
  responseTimes(): Promise<ResponseTimeRow[]> {
    return this.data.responseTimes();
  }

  /** One view's request count and p50/p95/p99 (ms) over time: `?view=` (required), `&scale=&since=&until=` as a timeline. */
  @Get('api/response-times/percentiles')
  responseTimePercentiles(@Query() query: Query): Promise<PercentilePoint[]> {
    const view = query.view;
    if (typeof view !== 'string' || view === '') throw new BadRequestException('`view` is required: a view as `Controller.handler`, e.g. ?view=OrdersController.create');
    return this.data.responseTimePercentiles(view, this.range(RESPONSE_TIME_METRICA, query));
  }

  /** Chart.js, from the installed package. */
  @Get('assets/chart.umd.js')
  @Header('content-type', JAVASCRIPT)
  @Header('cache-control', 'public, max-age=3600')
  chartJs(): string {
    return chartJsSource();
  }

  /** The script drawing the charts. */
  @Get('assets/dashboard.js')
  @Header('content-type', JAVASCRIPT)
  @Header('cache-control', 'public, max-age=3600')
  script(): string {
    return DASHBOARD_CLIENT_SCRIPT;
  }

  /**
   * The validated range of a chart of metrica `name` (404 when unknown, 400 on a bad parameter);
   * `since` and `until` without an offset are read in the module's zone, as the CLI reads dates.
   */
  private range(name: string, query: Query): ChartRange {
    const metrica = this.data.metrica(name);
    const zone = this.data.timeZone;
    return { scale: scaleParam(query.scale, metrica.scales), since: dateParam('since', query.since, zone), until: dateParam('until', query.until, zone) };
  }
}
