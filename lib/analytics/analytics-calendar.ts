import { DateTime } from 'luxon';
import { localDayOf, type LocalDay } from '../active-index/local-days.js';
import type { AnalyticsPeriodKind } from './analytics-rows.interface.js';

/**
 * The calendar of the active-user analytics, on local dates (`YYYY-MM-DD` in the
 * module's zone): periods are made of whole local days, grouped by calendar
 * arithmetic on the dates alone, so DST changes (23- and 25-hour days) cannot
 * shift a period boundary. Instants come last, from the active-users index's
 * own local days, so the analytics read exactly the days the index keeps.
 */

/** A run of consecutive local dates: one period of a report. @internal */
export interface DatePeriod {
  /** Its local dates, oldest first. */
  readonly dates: readonly string[];
}

const utcDate = (date: string): DateTime => DateTime.fromISO(date, { zone: 'utc' });

/** `date` plus `days` calendar days. @internal */
export function addDays(date: string, days: number): string {
  return utcDate(date).plus({ days }).toISODate()!;
}

/** The first date of the period of kind `kind` holding `date`; weeks start on ISO weekday `weekStart`. @internal */
export function periodStartOf(date: string, kind: AnalyticsPeriodKind, weekStart: number): string {
  const day = utcDate(date);
  if (kind === 'day') return date;
  if (kind === 'month') return day.startOf('month').toISODate()!;
  return day.minus({ days: (day.weekday - weekStart + 7) % 7 }).toISODate()!;
}

/** The first date of the period after the one starting on `first`. @internal */
export function nextPeriodStart(first: string, kind: AnalyticsPeriodKind): string {
  const step = kind === 'day' ? { days: 1 } : kind === 'week' ? { weeks: 1 } : { months: 1 };
  return utcDate(first).plus(step).toISODate()!;
}

/** The local date holding instant `when` in `timeZone`. @internal */
export function localDateOf(when: Date, timeZone: string): string {
  return localDayOf(when, timeZone).date;
}

/** Dates from `first` (inclusive) to `last` (exclusive). @internal */
export function datesBetween(first: string, last: string): string[] {
  const dates: string[] = [];
  for (let date = first; date < last; date = addDays(date, 1)) dates.push(date);
  return dates;
}

/**
 * The periods of kind `kind` meeting `[start, end)`: from the one holding `start`
 * to the one holding the instant before `end`; none when `end <= start`.
 *
 * @internal
 */
export function periodsMeeting(
  start: Date,
  end: Date,
  kind: AnalyticsPeriodKind,
  timeZone: string,
  weekStart: number,
): DatePeriod[] {
  if (end <= start) return [];
  const last = localDateOf(new Date(end.getTime() - 1), timeZone);
  const periods: DatePeriod[] = [];
  for (let first = periodStartOf(localDateOf(start, timeZone), kind, weekStart); first <= last; ) {
    const next = nextPeriodStart(first, kind);
    periods.push({ dates: datesBetween(first, next) });
    first = next;
  }
  return periods;
}

/**
 * The local days of `dates` as the index keeps them (instants of their
 * midnights). A date a zone skipped entirely (Pacific/Apia, 2011-12-30) has no
 * day: it is left out, and `null` is returned at its position.
 *
 * @internal
 */
export function localDaysOf(dates: readonly string[], timeZone: string): (LocalDay | null)[] {
  return dates.map((date) => {
    const day = localDayOf(DateTime.fromISO(date, { zone: timeZone }).toJSDate(), timeZone);
    return day.date === date ? day : null;
  });
}
