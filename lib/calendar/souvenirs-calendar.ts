import { LocalDayCalendar } from './local-days.js';

/** What the calendar is built from: the module's resolved `timeZone`, `now` and `weekStart`. @internal */
export interface SouvenirsCalendarOptions {
  readonly timeZone: string;
  readonly now: () => Date;
  readonly weekStart: number;
}

/**
 * The calendar every feature counts in: the zone of its buckets, the clock, the first
 * day of weekly periods and the zone's local days. One instance per module, built by
 * the module from its resolved options and injected by class, so the zone and the clock
 * have one home instead of a copy in each feature's options, and the active-users index
 * and the analytics share one `LocalDayCalendar` (and its cache of days).
 * @internal
 */
export class SouvenirsCalendar {
  /** IANA zone of every calendar bucket. */
  readonly timeZone: string;
  /** The clock: a property, so it can be handed on as a function. */
  readonly now: () => Date;
  /** First day of weekly periods, ISO weekday 1 (Monday) … 7 (Sunday). */
  readonly weekStart: number;
  /** The local days of `timeZone`. */
  readonly days: LocalDayCalendar;

  constructor({ timeZone, now, weekStart }: SouvenirsCalendarOptions) {
    this.timeZone = timeZone;
    this.now = now;
    this.weekStart = weekStart;
    this.days = new LocalDayCalendar(timeZone);
  }
}
