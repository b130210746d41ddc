import { DateTime } from 'luxon';

/** One local calendar day: `[start, end)`, 23, 24 or 25 hours long. @internal */
export interface LocalDay {
  /** `YYYY-MM-DD` in the zone. */
  readonly date: string;
  readonly start: Date;
  readonly end: Date;
}

/** A range split for the index: whole local days inside it, and what is left at its ends. @internal */
export interface SplitRange {
  readonly days: LocalDay[];
  /** At most two sub-ranges shorter than a day (the whole range when no day fits). */
  readonly edges: [Date, Date][];
}

/**
 * The start of local `date` in `timeZone`: its midnight, or the first instant of
 * the day when midnight falls in a DST gap (luxon moves it forward). Day `d`
 * covers `[startOfDate(d), startOfDate(d + 1))`, so days tile time exactly.
 */
function startOfDate(date: DateTime): DateTime {
  return date.startOf('day');
}

/** The local day holding instant `when`. @internal */
export function localDayOf(when: Date, timeZone: string): LocalDay {
  const start = startOfDate(DateTime.fromJSDate(when, { zone: timeZone }));
  return dayFrom(start);
}

function dayFrom(start: DateTime): LocalDay {
  const end = startOfDate(start.plus({ days: 1 }));
  return { date: start.toISODate()!, start: start.toJSDate(), end: end.toJSDate() };
}

/**
 * The local days that lie whole in `[start, end)`, oldest first, and the edge
 * sub-ranges before the first and after the last. Stops after `maxDays` days and
 * returns `null` then (the caller answers such a range another way).
 *
 * @internal
 */
export function splitRange(start: Date, end: Date, timeZone: string, maxDays: number): SplitRange | null {
  const days: LocalDay[] = [];
  if (end <= start) return { days, edges: [] };
  let day = localDayOf(start, timeZone);
  if (day.start < start) day = dayFrom(DateTime.fromJSDate(day.end, { zone: timeZone }));
  while (day.end <= end) {
    if (days.length === maxDays) return null;
    days.push(day);
    day = dayFrom(DateTime.fromJSDate(day.end, { zone: timeZone }));
  }
  if (days.length === 0) return { days, edges: [[start, end]] };
  const edges: [Date, Date][] = [];
  if (start < days[0].start) edges.push([start, days[0].start]);
  const last = days[days.length - 1].end;
  if (last < end) edges.push([last, end]);
  return { days, edges };
}

/** Every local day meeting `[start, end)`, partial ones included, oldest first. @internal */
export function daysMeeting(start: Date, end: Date, timeZone: string): LocalDay[] {
  const days: LocalDay[] = [];
  if (end <= start) return days;
  let day = localDayOf(start, timeZone);
  while (day.start < end) {
    days.push(day);
    day = dayFrom(DateTime.fromJSDate(day.end, { zone: timeZone }));
  }
  return days;
}
