import { countRunUnions } from '../active-users/day-run-unions.js';
import { UserBitset } from '../shared/user-bitset.js';
import type { DayWindow } from '../active-users/active-day-sets.js';
import { DaysActiveTally } from '../active-users/days-active-tally.js';
import type { RetentionMode } from './analytics-rows.interface.js';

/**
 * The arithmetic of the active-user analytics, on bitsets of users per local day.
 * Pure and synchronous: the days come from the store (or SQL) in one read, and
 * everything here is unions, intersections, differences and bit counts of whole
 * sets (a pass over 32-bit words each), never a pass over single users.
 */

/** A period of the window: days `[from, to)`. @internal */
export type DaySpan = readonly [from: number, to: number];

/** Distinct users of the `length` days ending with each day from `from` on, for each such day. */
export function rollingDistinct(window: DayWindow, from: number, length: number): number[] {
  const runs = [];
  for (let day = from; day < window.days.length; day++) runs.push({ from: Math.max(0, day - length + 1), to: day + 1 });
  return countRunUnions(window.days, runs);
}

/** The users active in a span of days: a new set, or the day's own for a one-day span (daily periods hold no copies): not to be changed. */
export function activeIn(window: DayWindow, [from, to]: DaySpan): UserBitset {
  if (to - from === 1) return window.days[from];
  const users = UserBitset.empty();
  for (let day = from; day < to; day++) users.addAll(window.days[day]);
  return users;
}

/**
 * Each span's cohort: its users first active in the window during it (spans
 * are consecutive, from the window's first day), given each span's active users.
 */
function cohorts(window: DayWindow, active: readonly UserBitset[]): UserBitset[] {
  const seen = UserBitset.empty();
  return active.map((users) => {
    const cohort = users.clone().retainAll(window.newUsers).removeAll(seen);
    seen.addAll(users);
    return cohort;
  });
}

/** Cohort sizes and retained counts of each span (cohorts by first activity ever). */
export function retentionCounts(window: DayWindow, spans: readonly DaySpan[], mode: RetentionMode): { size: number; retained: number[] }[] {
  const active = spans.map((span) => activeIn(window, span));
  const cohortOf = cohorts(window, active);
  // 'unbounded': active in the k-th span after the cohort's or any later one, so
  // against the union of the spans from the k-th on.
  const against = mode === 'classic' ? active : unionsFromEach(active);
  return cohortOf.map((cohort, p) => ({
    size: cohort.count(),
    retained: against.slice(p).map((users) => cohort.countIntersection(users)),
  }));
}

/** For each position, the union of the sets from it to the end (a new set each). */
function unionsFromEach(sets: readonly UserBitset[]): UserBitset[] {
  const unions = new Array<UserBitset>(sets.length);
  for (let i = sets.length - 1; i >= 0; i--) unions[i] = i === sets.length - 1 ? sets[i].clone() : sets[i].clone().addAll(unions[i + 1]);
  return unions;
}

/** New, returning, resurrecting and dormant users of each span after the first (the first is only looked back at). */
export function lifecycleCounts(
  window: DayWindow,
  spans: readonly DaySpan[],
): { new: number; returning: number; resurrecting: number; dormant: number }[] {
  const active = spans.map((span) => activeIn(window, span));
  const cohortOf = cohorts(window, active);
  return active.slice(1).map((now, i) => {
    const before = active[i];
    // New users were active in no span before, so none of them is returning.
    const fresh = cohortOf[i + 1].count();
    const returning = now.countIntersection(before);
    return { new: fresh, returning, resurrecting: now.count() - fresh - returning, dormant: before.count() - returning };
  });
}

/** For each span, how many users were active on exactly n of its `dayCounts[p]` days, n = 1…dayCounts[p]. */
export function stickinessCounts(window: DayWindow, spans: readonly DaySpan[], dayCounts: readonly number[]): number[][] {
  return spans.map(([from, to], p) => {
    const tally = new DaysActiveTally(dayCounts[p]);
    for (let day = from; day < to; day++) tally.add(window.days[day]);
    return tally.histogram();
  });
}
