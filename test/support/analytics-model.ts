import { DateTime } from 'luxon';

/**
 * A brute-force model of the active-user analytics, straight from their
 * definitions in SPEC.md, over plain rows: every local date and period is
 * recomputed with luxon from each row, nothing is shared with lib/analytics.
 * Slow and obvious on purpose: it is what the reports are checked against.
 */

export interface ModelRow {
  userId: string;
  when: Date;
}

export type Kind = 'day' | 'week' | 'month';

interface Period {
  first: string; // its first local date
  next: string; // the first local date of the period after it
}

const date = (when: Date, zone: string): string => DateTime.fromJSDate(when, { zone }).toISODate()!;
const midnight = (iso: string, zone: string): Date => DateTime.fromISO(iso, { zone }).startOf('day').toJSDate();
const shift = (iso: string, days: number): string => DateTime.fromISO(iso, { zone: 'utc' }).plus({ days }).toISODate()!;

function periodOf(iso: string, kind: Kind, weekStart: number): Period {
  const day = DateTime.fromISO(iso, { zone: 'utc' });
  if (kind === 'day') return { first: iso, next: shift(iso, 1) };
  if (kind === 'month') return { first: day.startOf('month').toISODate()!, next: day.startOf('month').plus({ months: 1 }).toISODate()! };
  let first = day;
  while (first.weekday !== weekStart) first = first.minus({ days: 1 });
  return { first: first.toISODate()!, next: first.plus({ days: 7 }).toISODate()! };
}

function periods(start: Date, end: Date, kind: Kind, zone: string, weekStart: number): Period[] {
  if (end <= start) return [];
  const last = date(new Date(end.getTime() - 1), zone);
  const list: Period[] = [];
  for (let p = periodOf(date(start, zone), kind, weekStart); p.first <= last; p = periodOf(p.next, kind, weekStart)) list.push(p);
  return list;
}

/** Each row's local date, computed once per zone (luxon is slow; the model stays a plain scan). */
const datedCache = new WeakMap<readonly ModelRow[], Map<string, { userId: string; date: string }[]>>();
function dated(rows: readonly ModelRow[], zone: string): { userId: string; date: string }[] {
  const byZone = datedCache.get(rows) ?? new Map();
  datedCache.set(rows, byZone);
  if (!byZone.has(zone)) byZone.set(zone, rows.map((row) => ({ userId: row.userId, date: date(row.when, zone) })));
  return byZone.get(zone)!;
}

/** Users with a row on a local date in [first, next). */
function activeBetween(rows: readonly ModelRow[], zone: string, first: string, next: string): Set<string> {
  return new Set(dated(rows, zone).filter((row) => row.date >= first && row.date < next).map((row) => row.userId));
}

function firstDates(rows: readonly ModelRow[], zone: string): Map<string, string> {
  const first = new Map<string, string>();
  for (const row of rows) {
    const d = date(row.when, zone);
    if (!first.has(row.userId) || d < first.get(row.userId)!) first.set(row.userId, d);
  }
  return first;
}

const span = (p: Period, zone: string) => ({ start: midnight(p.first, zone), end: midnight(p.next, zone) });

export function modelActiveUsers(rows: readonly ModelRow[], start: Date, end: Date, zone: string) {
  const out = [];
  for (let d = date(start, zone); midnight(d, zone) < end; d = shift(d, 1)) {
    if (midnight(d, zone) < start) continue;
    const dau = activeBetween(rows, zone, d, shift(d, 1)).size;
    const wau = activeBetween(rows, zone, shift(d, -6), shift(d, 1)).size;
    const mau = activeBetween(rows, zone, shift(d, -29), shift(d, 1)).size;
    out.push({ period: { start: midnight(d, zone), end: midnight(shift(d, 1), zone) }, dau, wau, mau, stickiness: mau === 0 ? null : dau / mau });
  }
  return out;
}

export function modelRetention(rows: readonly ModelRow[], start: Date, end: Date, kind: Kind, mode: 'classic' | 'unbounded', zone: string, weekStart: number) {
  const list = periods(start, end, kind, zone, weekStart);
  const first = firstDates(rows, zone);
  return list.map((p, i) => {
    const cohort = [...first].filter(([, d]) => d >= p.first && d < p.next).map(([user]) => user);
    const retained = list.slice(i).map((_, k) => {
      const later = mode === 'classic' ? [list[i + k]] : list.slice(i + k);
      const active = new Set(later.flatMap((q) => [...activeBetween(rows, zone, q.first, q.next)]));
      return cohort.filter((user) => active.has(user)).length;
    });
    return { period: span(p, zone), size: cohort.length, retained };
  });
}

export function modelLifecycle(rows: readonly ModelRow[], start: Date, end: Date, kind: Kind, zone: string, weekStart: number) {
  const first = firstDates(rows, zone);
  return periods(start, end, kind, zone, weekStart).map((p) => {
    const before = periodOf(shift(p.first, -1), kind, weekStart);
    const now = activeBetween(rows, zone, p.first, p.next);
    const then = activeBetween(rows, zone, before.first, before.next);
    const isNew = (user: string) => first.get(user)! >= p.first;
    return {
      period: span(p, zone),
      new: [...now].filter(isNew).length,
      returning: [...now].filter((user) => !isNew(user) && then.has(user)).length,
      resurrecting: [...now].filter((user) => !isNew(user) && !then.has(user)).length,
      dormant: [...then].filter((user) => !now.has(user)).length,
    };
  });
}

export function modelStickiness(rows: readonly ModelRow[], start: Date, end: Date, kind: 'week' | 'month', zone: string, weekStart: number) {
  return periods(start, end, kind, zone, weekStart).map((p) => {
    const dates: string[] = [];
    for (let d = p.first; d < p.next; d = shift(d, 1)) dates.push(d);
    const days = new Array<number>(dates.length).fill(0);
    const users = new Set(rows.map((row) => row.userId));
    for (const user of users) {
      const n = new Set(dated(rows, zone).filter((row) => row.userId === user).map((row) => row.date).filter((d) => d >= p.first && d < p.next)).size;
      if (n > 0) days[n - 1] += 1;
    }
    return { period: span(p, zone), days };
  });
}

/** The billing run (`reports.tenantsUsage`) by brute force: each tenant's distinct users in `[start, end)`, largest first, ties by tenant (code units). */
export function modelTenantsUsage(rows: readonly (ModelRow & { tenant: string | null })[], start: Date, end: Date): Array<{ tenant: string; activeUsers: number }> {
  const users = new Map<string, Set<string>>();
  for (const row of rows) {
    if (row.tenant === null || row.when < start || row.when >= end) continue;
    if (!users.has(row.tenant)) users.set(row.tenant, new Set());
    users.get(row.tenant)!.add(row.userId);
  }
  return [...users]
    .map(([tenant, ids]) => ({ tenant, activeUsers: ids.size }))
    .sort((a, b) => b.activeUsers - a.activeUsers || (a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : 0));
}
