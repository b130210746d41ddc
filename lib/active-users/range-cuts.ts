import type { LocalDay, LocalDayCalendar } from '../calendar/local-days.js';

/** A part of one local day: `[from, to)` in milliseconds from its start, shorter than the day. @internal */
export interface DayPart {
  readonly day: LocalDay;
  readonly from: number;
  readonly to: number;
}

/** A range as the index reads it: whole local days, and parts of at most two other days. @internal */
export interface RangeCut {
  readonly days: readonly LocalDay[];
  readonly parts: readonly DayPart[];
}

/**
 * `[start, end)` cut on local midnights: the days lying whole in it, and the parts
 * of the days it only meets (its ends off midnight), each within one day, so
 * that a day's log answers it. `null` past `maxDays` whole days. Together they
 * tile the range exactly, DST days (23, 25 or 23.5 hours) included.
 *
 * @internal
 */
export function cutRange(calendar: LocalDayCalendar, start: Date, end: Date, maxDays: number): RangeCut | null {
  const split = calendar.split(start, end, maxDays);
  if (split === null) return null;
  const parts: DayPart[] = [];
  for (const [from, to] of split.edges) {
    // An edge lies in one day, except a range meeting two days and holding neither whole.
    for (let at = from; at < to; ) {
      const day = calendar.dayOf(at);
      const stop = to < day.end ? to : day.end;
      parts.push({ day, from: at.getTime() - day.start.getTime(), to: stop.getTime() - day.start.getTime() });
      at = stop;
    }
  }
  return { days: split.days, parts };
}

/** The user numbers of a log's rows at offsets in `[from, to)` (`rows` as `ActiveDayLog.rows`), repeats included. @internal */
export function usersInPart(rows: Uint32Array, from: number, to: number): number[] {
  const users: number[] = [];
  for (let i = 0; i < rows.length; i += 2) {
    const offset = rows[i + 1];
    if (offset >= from && offset < to) users.push(rows[i]);
  }
  return users;
}
