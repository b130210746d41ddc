import { DateTime, IANAZone } from 'luxon';
import { LocalDayCalendar, type LocalDay } from './local-days.js';

/** How the analytics group days: local days, weeks starting on `weekStart`, calendar months. */
export type AnalyticsPeriodKind = 'day' | 'week' | 'month';

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

const DAY_MS = 86_400_000;
// Calendar arithmetic on dates alone, in UTC where every day has 24 hours: a
// report walks hundreds of dates, and luxon's zone-aware objects cost far more.
const msOf = (date: string): number => Date.parse(`${date}T00:00:00Z`);
const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** `date` plus `days` calendar days. @internal */
export function addDays(date: string, days: number): string {
  return dateOf(msOf(date) + days * DAY_MS);
}

/** The first date of the period of kind `kind` holding `date`; weeks start on ISO weekday `weekStart`. @internal */
export function periodStartOf(date: string, kind: AnalyticsPeriodKind, weekStart: number): string {
  if (kind === 'day') return date;
  if (kind === 'month') return `${date.slice(0, 8)}01`;
  const isoWeekday = new Date(msOf(date)).getUTCDay() || 7;
  return addDays(date, -((isoWeekday - weekStart + 7) % 7));
}

/** The first date of the period after the one starting on `first`. @internal */
export function nextPeriodStart(first: string, kind: AnalyticsPeriodKind): string {
  if (kind === 'day') return addDays(first, 1);
  if (kind === 'week') return addDays(first, 7);
  const day = new Date(msOf(first));
  return dateOf(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 1));
}

/** The local date holding instant `when` among `days` (the module's local days). @internal */
export function localDateOf(when: Date, days: LocalDayCalendar): string {
  return days.dayOf(when).date;
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
  days: LocalDayCalendar,
  weekStart: number,
): DatePeriod[] {
  if (end <= start) return [];
  const last = localDateOf(new Date(end.getTime() - 1), days);
  const periods: DatePeriod[] = [];
  for (let first = periodStartOf(localDateOf(start, days), kind, weekStart); first <= last; ) {
    const next = nextPeriodStart(first, kind);
    periods.push({ dates: datesBetween(first, next) });
    first = next;
  }
  return periods;
}

/**
 * The local days of `dates` as the index keeps them (instants of their
 * midnights, as `calendar`, the index's own `LocalDayCalendar`, makes them). A date a zone skipped entirely
 * (Pacific/Apia, 2011-12-30) has no day: `null` at its position.
 *
 * A day after a day just made starts where that one ended; when that start is
 * the date's own local midnight and the zone's offset 24 hours later is the same, it ends then
 * (one zone look-up). Only days next to an offset change are made in full.
 *
 * @internal
 */
export function localDaysOf(dates: readonly string[], calendar: LocalDayCalendar): (LocalDay | null)[] {
  const { timeZone } = calendar;
  const zone = IANAZone.create(timeZone);
  let previous: LocalDay | null = null;
  // The offset at the previous day's end, when known (zone look-ups are what cost here).
  let endOffset: number | null = null;
  return dates.map((date) => {
    let day: LocalDay | null = null;
    if (previous !== null && addDays(previous.date, 1) === date) {
      const startMs = previous.end.getTime();
      const offset = endOffset ?? zone.offset(startMs);
      endOffset = zone.offset(startMs + DAY_MS);
      const wall = startMs + offset * 60_000; // the start as wall-clock time, read in UTC
      if (wall % DAY_MS === 0 && dateOf(wall) === date && endOffset === offset) {
        day = { date, start: previous.end, end: new Date(startMs + DAY_MS) };
      }
    }
    if (day === null) {
      const made = calendar.dayOf(DateTime.fromISO(date, { zone: timeZone }).toJSDate());
      day = made.date === date ? made : null;
      endOffset = null;
    }
    previous = day;
    return day;
  });
}
