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

/** How far past a day's end the day after it is tried first (it is at most 25 hours long). */
const NEXT_DAY_REACH_MS = 26 * 3_600_000;

/** Days remembered before the cache starts afresh (about 270 years). */
const CACHE_LIMIT = 100_000;

/**
 * The local days of one time zone. Day `d` covers `[start(d), start(d + 1))`,
 * where `start` is its midnight, or the first instant of the day when midnight
 * falls in a DST gap (luxon moves it forward): days tile time exactly.
 *
 * Zone arithmetic costs microseconds per day and a report may walk thousands of
 * days (270 windows of 30 days for a DAU/WAU/MAU chart), so days are remembered by
 * their start, with the day after each, and the last day found for an instant is
 * tried first (backfill rows come in time order).
 *
 * @internal
 */
export class LocalDayCalendar {
  private readonly byStart = new Map<number, LocalDay>();
  private readonly after = new Map<number, LocalDay>();
  private last: LocalDay | null = null;

  constructor(readonly timeZone: string) {}

  /** The local day holding instant `when`. */
  dayOf(when: Date): LocalDay {
    const ms = when.getTime();
    const last = this.last;
    if (last && last.start.getTime() <= ms && ms < last.end.getTime()) return last;
    // The day after the last one found (a report's periods come in time order): remembered after its first look-up.
    if (last && ms >= last.end.getTime() && ms < last.end.getTime() + NEXT_DAY_REACH_MS) {
      const after = this.next(last);
      if (ms < after.end.getTime()) {
        this.last = after;
        return after;
      }
    }
    // A known day's own start (the ranges of a series start on midnights): no zone look-up.
    const known = this.byStart.get(ms);
    if (known) {
      this.last = known;
      return known;
    }
    const start = DateTime.fromMillis(ms, { zone: this.timeZone }).startOf('day');
    const day = this.byStart.get(start.toMillis()) ?? this.remember(start);
    this.last = day;
    return day;
  }

  /** The local day of date `date` (`YYYY-MM-DD`, as `LocalDay.date`). */
  dayOfDate(date: string): LocalDay {
    // Noon: never in a DST gap, whatever the zone.
    return this.dayOf(DateTime.fromISO(`${date}T12:00`, { zone: this.timeZone }).toJSDate());
  }

  /** The day after `day`. */
  next(day: LocalDay): LocalDay {
    const key = day.start.getTime();
    let next = this.after.get(key);
    if (!next) {
      next = this.byStart.get(day.end.getTime()) ?? this.remember(DateTime.fromJSDate(day.end, { zone: this.timeZone }));
      this.after.set(key, next);
    }
    return next;
  }

  /**
   * The local days that lie whole in `[start, end)`, oldest first, and the edge
   * sub-ranges before the first and after the last; `null` past `maxDays` days (the
   * caller answers such a range another way).
   */
  split(start: Date, end: Date, maxDays: number): SplitRange | null {
    const days: LocalDay[] = [];
    if (end <= start) return { days, edges: [] };
    let day = this.dayOf(start);
    if (day.start < start) day = this.next(day);
    while (day.end <= end) {
      if (days.length === maxDays) return null;
      days.push(day);
      day = this.next(day);
    }
    if (days.length === 0) return { days, edges: [[start, end]] };
    const edges: [Date, Date][] = [];
    if (start < days[0].start) edges.push([start, days[0].start]);
    const last = days[days.length - 1].end;
    if (last < end) edges.push([last, end]);
    return { days, edges };
  }

  /** Every local day meeting `[start, end)`, partial ones included, oldest first. */
  meeting(start: Date, end: Date): LocalDay[] {
    const days: LocalDay[] = [];
    if (end <= start) return days;
    for (let day = this.dayOf(start); day.start < end; day = this.next(day)) days.push(day);
    return days;
  }

  /** Builds the day starting at `start` (a local midnight) and caches it. */
  private remember(start: DateTime): LocalDay {
    if (this.byStart.size >= CACHE_LIMIT) {
      this.byStart.clear();
      this.after.clear();
    }
    const begin = start.startOf('day');
    const end = begin.plus({ days: 1 }).startOf('day');
    const day: LocalDay = { date: begin.toISODate()!, start: begin.toJSDate(), end: end.toJSDate() };
    this.byStart.set(day.start.getTime(), day);
    return day;
  }
}
