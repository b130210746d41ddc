import { BeforeRetentionHorizonError } from '../errors/before-retention-horizon.error.js';
import { Injectable } from '@nestjs/common';
import type { DateTime } from 'luxon';
import { MetricaRegistry } from '../metricas/metrica.registry.js';
import type { Metrica } from '../metricas/metrica.js';
import { ReportsService } from '../reports/reports.service.js';
import { reportsOf } from './dashboard-tenant.js';
import { SouvenirsCalendar } from '../calendar/souvenirs-calendar.js';
import type { LocalDayRange, MetricaRangeTotals, PeriodComparison } from './dashboard-data.interface.js';
import type { DayRange } from './dashboard-data.service.js';
import { spanInProgress } from './in-progress.js';

/**
 * The overview's comparison: the local days picked beside as many local days just
 * before them, for distinct active users and every metrica. A range holding today is
 * `inProgress`, so a partial week is not read as a drop.
 * @internal
 */
@Injectable()
export class DashboardComparisonService {
  constructor(
    private readonly reports: ReportsService,
    private readonly registry: MetricaRegistry,
    private readonly calendar: SouvenirsCalendar,
  ) {}

  /** Active users (of `tenant` when given; metricas have no tenant) over `range` and as many days before. */
  async compare(range: DayRange, tenant?: string): Promise<PeriodComparison> {
    const days = Math.round(range.last.diff(range.first, 'days').days) + 1;
    const previous: DayRange = { first: range.first.minus({ days }), last: range.first.minus({ days: 1 }) };
    const [current, before] = [this.localRange(range), this.localRange(previous)];
    const spans = [current, before].map(({ start, end }) => [new Date(start), new Date(end)] as [Date, Date]);
    const [usage, metricas] = await Promise.all([
      this.activeUsersIn(spans, tenant),
      Promise.all(
        this.registry.list().map(async (metrica) => {
          const [now, then] = await Promise.all(spans.map(([start, end]) => totalsOver(metrica, start, end)));
          return { name: metrica.name, averaged: metrica.averaged, current: now, previous: then };
        }),
      ),
    ]);
    return { current, previous: before, activeUsers: { current: usage[0], previous: usage[1] }, metricas };
  }

  /** Distinct users active in the current and previous spans (one count); the previous `null` when it reaches before the retention horizon. */
  private async activeUsersIn(spans: [Date, Date][], tenant: string | undefined): Promise<[number, number | null]> {
    const reports = reportsOf(this.reports, tenant);
    try {
      const [current, previous] = await reports.usageForPeriods(spans);
      return [current.usage.activeUsers, previous.usage.activeUsers];
    } catch (error) {
      if (!(error instanceof BeforeRetentionHorizonError)) throw error;
      const [current] = await reports.usageForPeriods([spans[0]]);
      return [current.usage.activeUsers, null];
    }
  }

  private localRange({ first, last }: DayRange): LocalDayRange {
    const start = first.toJSDate();
    const end = last.plus({ days: 1 }).toJSDate();
    return { from: isoDate(first), to: isoDate(last), start: start.toISOString(), end: end.toISOString(), inProgress: spanInProgress(start, end, this.calendar.now()) };
  }
}

const isoDate = (day: DateTime) => day.toISODate() as string;

/** A metrica's sums over [start, end): its daily buckets added up (whole local days, so no bucket straddles an end). */
async function totalsOver(metrica: Metrica, start: Date, end: Date): Promise<MetricaRangeTotals> {
  const values = metrica.values();
  const scale = metrica.scales.includes('day') ? 'day' : undefined;
  if (!metrica.averaged) {
    const points = await values.timeserie(start, end, scale);
    return { total: points.reduce((sum, [, value]) => sum + value, 0), count: null, average: null };
  }
  const [totals, counts] = await Promise.all([values.timeserie(start, end, scale), values.timeserieCounts(start, end, scale)]);
  const total = totals.reduce((sum, [, value]) => sum + value, 0);
  const count = counts.reduce((sum, [, value]) => sum + value, 0);
  return { total, count, average: count === 0 ? null : total / count };
}
