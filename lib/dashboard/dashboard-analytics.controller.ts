import { BadRequestException, Get, Header, NotFoundException, Param, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { StoreUnavailableFilter } from '../http/store-unavailable.filter.js';
import { StoreRefusedError } from '../errors/store-refused.error.js';
import { StoreUnavailableError } from '../errors/store-unavailable.error.js';
import { DateTime } from 'luxon';
import {
  ANALYTICS_REPORTS,
  type AnalyticsReportArguments,
  type AnalyticsReportDescription,
  type AnalyticsCell,
  type AnalyticsTable,
} from '../reports/analytics-report-descriptions.js';
import { CSV_QUERY } from './dashboard-csv.interceptor.js';
import type { AnalyticsPeriodKind } from '../calendar/analytics-calendar.js';
import type { RetentionMode } from '../reports/analytics-rows.interface.js';
import { formatCsv } from '../shared/report-output.js';
import { SouvenirsError } from '../errors/souvenirs.error.js';
import { ReportsService } from '../reports/reports.service.js';
import { NoTrack } from '../tracking/no-track.decorator.js';
import { ExcludeFromOpenApi } from '../http/exclude-from-openapi.decorator.js';
import { renderAnalytics } from './dashboard-analytics.page.js';
import { spanInProgress } from './in-progress.js';
import { dateParam, type QueryValue } from './dashboard-query.js';
import { DashboardGuard } from './dashboard.guard.js';
import { reportsOf, tenantParam } from './dashboard-tenant.js';
import { SouvenirsCalendar } from '../calendar/souvenirs-calendar.js';

type Query = Record<string, QueryValue>;

/** Enough of Express' and Fastify's replies to set a header. */
interface ReplyLike {
  header?(name: string, value: string): unknown;
  setHeader?(name: string, value: string): unknown;
}

/** Enough of a request to know the mount path as the browser reached it. */
interface RequestLike {
  originalUrl?: string;
  url: string;
}

const HTML = 'text/html; charset=utf-8';

/** `table` as the CSV download of `report` (headers set on `reply`; the header row even without rows). */
function csvDownload(report: AnalyticsReportDescription, table: AnalyticsTable, reply: ReplyLike): string {
  for (const [header, value] of [
    ['content-type', 'text/csv; charset=utf-8'],
    ['content-disposition', `attachment; filename="${report.name}.csv"`],
  ]) {
    if (reply.header) reply.header(header, value);
    else reply.setHeader?.(header, value);
  }
  return formatCsv(table);
}

/**
 * The dashboard's Analytics page and its data: one JSON endpoint per report, which
 * answers its CSV download to `?format=csv` as the other endpoints do, all made from
 * the report descriptions (dates are local dates in the module's `timeZone`). Mounted
 * beside `DashboardController`, under the same path and guard, by `withDashboard`.
 *
 * @internal
 */
@NoTrack()
@ExcludeFromOpenApi()
@UseGuards(DashboardGuard)
@UseFilters(StoreUnavailableFilter)
export class DashboardAnalyticsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly calendar: SouvenirsCalendar,
  ) {}

  /** The Analytics page: DAU/WAU/MAU, retention triangle, lifecycle, stickiness; `?period=&mode=` for retention and lifecycle. */
  @Get('analytics')
  @Header('content-type', HTML)
  async page(@Req() request: RequestLike, @Query() query: Query): Promise<string> {
    const retention = ANALYTICS_REPORTS.find((report) => report.name === 'retention')!;
    const args = this.arguments(retention, query);
    const shares = { ...args, counts: false };
    // The heat map shows percentages; the JSON and CSV beside it, the fractions.
    const tenant = tenantParam(query.tenant);
    const table = await this.table(retention, shares, tenant);
    const triangle = retention.display!(table, shares);
    const path = (request.originalUrl ?? request.url).split('?')[0].replace(/\/+$/, '');
    return renderAnalytics({
      base: path.split('/').slice(0, -1).join('/'),
      timeZone: this.calendar.timeZone,
      period: args.period,
      mode: args.mode,
      retention: triangle,
      lastCohortInProgress: table.inProgress.at(-1) ?? false,
      tenant,
    });
  }

  /**
   * A report as JSON: an array of objects keyed by column, every figure a number
   * (retention: fractions of the cohort, or counts under `counts=true`),
   * `?start=&end=&period=&mode=&counts=`, each with `inProgress: true` when its period
   * holds now (a week two days old is not final); with `?format=csv`, the same table as
   * a CSV download, as every dashboard endpoint answers.
   */
  @Get('api/analytics/:report')
  async json(
    @Param('report') name: string,
    @Query() query: Query,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<Array<Record<string, AnalyticsCell | boolean>> | string> {
    const report = this.report(name);
    const table = await this.table(report, this.arguments(report, query), tenantParam(query.tenant));
    if (query.format === CSV_QUERY.format) return csvDownload(report, table, reply);
    return table.rows.map((row, r) => ({ ...Object.fromEntries(table.headers.map((header, c) => [header, row[c]])), inProgress: table.inProgress[r] }));
  }

  /**
   * The CSV download under its first address, `api/analytics/:report/csv`, kept so that
   * links made before `?format=csv` still work.
   *
   * @deprecated ask `api/analytics/:report?format=csv`.
   */
  @Get('api/analytics/:report/csv')
  async csv(@Param('report') name: string, @Query() query: Query, @Res({ passthrough: true }) reply: ReplyLike): Promise<string> {
    const report = this.report(name);
    return csvDownload(report, await this.table(report, this.arguments(report, query), tenantParam(query.tenant)), reply);
  }

  private report(name: string): AnalyticsReportDescription {
    const report = ANALYTICS_REPORTS.find((candidate) => candidate.name === name);
    if (!report) throw new NotFoundException(`No analytics report ${JSON.stringify(name)}; try ${ANALYTICS_REPORTS.map((r) => r.name).join(', ')}.`);
    return report;
  }

  /** A report's table with local dates (of `tenant`'s activity when given), and which rows' periods hold now; a refused range or period is a 400. */
  private async table(report: AnalyticsReportDescription, args: AnalyticsReportArguments, tenant: string | undefined): Promise<AnalyticsTable & { inProgress: boolean[] }> {
    const zone = this.calendar.timeZone;
    const now = this.calendar.now();
    const reports = reportsOf(this.reports, tenant);
    try {
      const rows = await report.fetch(reports, args);
      // Every analytics row (day, cohort, period) carries the period it counts.
      const inProgress = (rows as Array<{ period: { start: Date; end: Date } }>).map(({ period }) => spanInProgress(period.start, period.end, now));
      return { ...report.table(rows, args, (instant) => DateTime.fromJSDate(instant, { zone }).toISODate()!), inProgress };
    } catch (error) {
      // A store failure is no fault of the query: 503 by `StoreUnavailableFilter`, or 500.
      if (error instanceof SouvenirsError && !(error instanceof StoreUnavailableError || error instanceof StoreRefusedError)) {
        throw new BadRequestException(error.message);
      }
      throw error;
    }
  }

  /** The query's arguments: dates are local dates (or times) in the module's zone, as the CLI reads them. */
  private arguments(report: AnalyticsReportDescription, query: Query): AnalyticsReportArguments {
    const zone = this.calendar.timeZone;
    const text = (name: string): string | undefined => {
      const value = query[name];
      if (Array.isArray(value)) throw new BadRequestException(`Query parameter \`${name}\` was given more than once; give it once.`);
      return value === undefined || value === '' ? undefined : value;
    };
    // The one date reader (calendar/parse-date.ts): impossible offsets and years outside 1000–9999 are a 400.
    const date = (name: string): Date | undefined => dateParam(name, query[name], zone);
    const period = (text('period') ?? report.periods[0]) as AnalyticsPeriodKind;
    if (!report.periods.includes(period)) throw new BadRequestException(`Query parameter \`period\` must be one of ${report.periods.join(', ')}.`);
    const mode = (text('mode') ?? report.modes[0] ?? 'classic') as RetentionMode;
    if (report.modes.length > 0 && !report.modes.includes(mode)) throw new BadRequestException(`Query parameter \`mode\` must be one of ${report.modes.join(', ')}.`);
    const end = date('end');
    const start = date('start') ?? report.defaultStart(end ?? this.calendar.now(), period, zone);
    return { start, end, period, mode, counts: text('counts') === 'true' };
  }
}
