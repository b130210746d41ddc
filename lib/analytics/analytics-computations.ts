import type { RetentionMode } from './analytics-rows.interface.js';

/**
 * The arithmetic of the active-user analytics, on sets of users per local day.
 * Pure and synchronous: the days come from the store (or SQL) in one read, and
 * everything here is a pass over their members, O(total memberships).
 */

/** Users as small integers, per local day of a window (oldest first), and which of them were first active in the window. @internal */
export interface DayWindow {
  readonly days: readonly (readonly number[])[];
  /** Users whose first activity ever falls in the window (the others were active before it). */
  readonly newUsers: ReadonlySet<number>;
}

/** A period of the window: days `[from, to)`. @internal */
export type DaySpan = readonly [from: number, to: number];

/** The largest user number of the window (numbers are small and dense: arrays, not maps). */
function maxUser(window: DayWindow): number {
  let max = 0;
  for (const users of window.days) if (users.length > 0 && users[users.length - 1] > max) max = users[users.length - 1];
  return max;
}

/** Distinct users of the `length` days ending with each day from `from` on, for each such day. */
export function rollingDistinct(window: DayWindow, from: number, length: number): number[] {
  // Days each user is active on within the sliding window, indexed by user number.
  const seen = new Uint16Array(maxUser(window) + 1);
  let distinct = 0;
  const counts: number[] = [];
  const first = Math.max(0, from - length + 1);
  for (let day = first; day < window.days.length; day++) {
    for (const user of window.days[day]) if (seen[user]++ === 0) distinct += 1;
    if (day - length >= first) for (const user of window.days[day - length]) if (--seen[user] === 0) distinct -= 1;
    if (day >= from) counts.push(distinct);
  }
  return counts;
}

/** The users active in a span of days. */
export function activeIn(window: DayWindow, [from, to]: DaySpan): Set<number> {
  const users = new Set<number>();
  for (let day = from; day < to; day++) for (const user of window.days[day]) users.add(user);
  return users;
}

/** For each user first active in the window, the day it was first active on. */
export function firstDays(window: DayWindow): Map<number, number> {
  const first = new Map<number, number>();
  window.days.forEach((users, day) => {
    for (const user of users) if (window.newUsers.has(user) && !first.has(user)) first.set(user, day);
  });
  return first;
}

/** The index of the span holding `day` (spans are consecutive), or -1. */
function spanOf(spans: readonly DaySpan[], day: number): number {
  let low = 0;
  let high = spans.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (day < spans[middle][0]) high = middle - 1;
    else if (day >= spans[middle][1]) low = middle + 1;
    else return middle;
  }
  return -1;
}

/** Cohort sizes and retained counts of each span (cohorts by first activity ever). */
export function retentionCounts(window: DayWindow, spans: readonly DaySpan[], mode: RetentionMode): { size: number; retained: number[] }[] {
  const cohortOf = new Map<number, number>();
  for (const [user, day] of firstDays(window)) {
    const cohort = spanOf(spans, day);
    if (cohort >= 0) cohortOf.set(user, cohort);
  }
  const rows = spans.map((_, p) => ({ size: 0, retained: new Array<number>(spans.length - p).fill(0) }));
  const lastSpan = new Map<number, number>();
  spans.forEach((span, j) => {
    for (const user of activeIn(window, span)) {
      const cohort = cohortOf.get(user);
      if (cohort === undefined || cohort > j) continue;
      if (mode === 'classic') rows[cohort].retained[j - cohort] += 1;
      lastSpan.set(user, j);
    }
  });
  for (const [user, cohort] of cohortOf) {
    rows[cohort].size += 1;
    if (mode === 'unbounded') {
      // Active in the k-th span after the cohort's or any later: every k up to the last one.
      const last = lastSpan.get(user) ?? cohort;
      for (let k = 0; k <= last - cohort; k++) rows[cohort].retained[k] += 1;
    }
  }
  return rows;
}

/** New, returning, resurrecting and dormant users of each span after the first (the first is only looked back at). */
export function lifecycleCounts(
  window: DayWindow,
  spans: readonly DaySpan[],
): { new: number; returning: number; resurrecting: number; dormant: number }[] {
  const first = firstDays(window);
  const sets = spans.map((span) => activeIn(window, span));
  return spans.slice(1).map(([from], i) => {
    const [before, now] = [sets[i], sets[i + 1]];
    const row = { new: 0, returning: 0, resurrecting: 0, dormant: 0 };
    for (const user of now) {
      if ((first.get(user) ?? -1) >= from) row.new += 1;
      else if (before.has(user)) row.returning += 1;
      else row.resurrecting += 1;
    }
    for (const user of before) if (!now.has(user)) row.dormant += 1;
    return row;
  });
}

/** For each span, how many users were active on exactly n of its `dayCounts[p]` days, n = 1…dayCounts[p]. */
export function stickinessCounts(window: DayWindow, spans: readonly DaySpan[], dayCounts: readonly number[]): number[][] {
  // Days active per user number, reset after each span through the list of users touched.
  const daysActive = new Uint8Array(maxUser(window) + 1);
  return spans.map(([from, to], p) => {
    const touched: number[] = [];
    for (let day = from; day < to; day++) for (const user of window.days[day]) if (daysActive[user]++ === 0) touched.push(user);
    const histogram = new Array<number>(dayCounts[p]).fill(0);
    for (const user of touched) {
      histogram[daysActive[user] - 1] += 1;
      daysActive[user] = 0;
    }
    return histogram;
  });
}
