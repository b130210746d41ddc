import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { LocalDayCalendar } from '../../../lib/calendar/local-days.js';
import { cutRange, usersInPart } from '../../../lib/active-users/range-cuts.js';

const HOUR = 3_600_000;
/** DST changes of whole hours (Paris, New York), half an hour (Lord Howe), at midnight (São Paulo 2018), and a :45 offset. */
const ZONES = ['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'America/Sao_Paulo', 'Asia/Kathmandu', 'UTC'];
/** Around the DST changes of 2018 (São Paulo's midnight gap on 4 Nov, the EU's on 28 Oct, Lord Howe's on 7 Oct). */
const WINDOW = [Date.UTC(2018, 8, 25), Date.UTC(2018, 10, 20)] as const;

const instant = fc.integer({ min: WINDOW[0], max: WINDOW[1] });
const row = fc.record({ user: fc.integer({ min: 1, max: 40 }), when: instant });
/** A range: any two instants, or instants a whole number of hours apart (as a subscription period is). */
const range = fc.oneof(
  fc.tuple(instant, instant).map(([x, y]) => [Math.min(x, y), Math.max(x, y)] as const),
  fc.tuple(instant, fc.integer({ min: 0, max: 24 * 40 })).map(([x, hours]) => [x, Math.min(WINDOW[1], x + hours * HOUR)] as const),
);

describe('cutRange and usersInPart', () => {
  it('count, from whole days and parts of day logs, the distinct users of the rows in any range (brute force)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.array(row, { maxLength: 60 }), range, (zone, random, [from, to]) => {
        const calendar = new LocalDayCalendar(zone);
        // Rows on and next to the range's ends, where an off-by-one would show.
        const rows = [...random, ...[from - 1, from, to - 1, to].map((when, i) => ({ user: 41 + i, when }))];
        const cut = cutRange(calendar, new Date(from), new Date(to), 1000)!;
        // The index's view: a day bitmap per whole day, a log (number, offset) per cut day.
        const users = new Set<number>();
        for (const day of cut.days) for (const r of rows) if (calendar.dayOf(new Date(r.when)) === day) users.add(r.user);
        for (const part of cut.parts) {
          const log = rows.filter((r) => calendar.dayOf(new Date(r.when)) === part.day).flatMap((r) => [r.user, r.when - part.day.start.getTime()]);
          for (const user of usersInPart(Uint32Array.from(log), part.from, part.to)) users.add(user);
        }
        const model = new Set(rows.filter((r) => r.when >= from && r.when < to).map((r) => r.user));
        expect([...users].sort()).toEqual([...model].sort());
      }),
      { numRuns: 400 },
    );
  });

  it('tiles the range exactly: whole days and parts within one day each, no gap, no overlap', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), range, (zone, [from, to]) => {
        const calendar = new LocalDayCalendar(zone);
        const cut = cutRange(calendar, new Date(from), new Date(to), 1000)!;
        const pieces = [
          ...cut.days.map((day) => [day.start.getTime(), day.end.getTime()] as const),
          ...cut.parts.map(({ day, from: lo, to: hi }) => {
            // A part lies in its day and is not the whole day.
            expect(lo).toBeGreaterThanOrEqual(0);
            expect(hi).toBeLessThanOrEqual(day.end.getTime() - day.start.getTime());
            expect(hi - lo).toBeLessThan(day.end.getTime() - day.start.getTime());
            return [day.start.getTime() + lo, day.start.getTime() + hi] as const;
          }),
        ].sort((a, b) => a[0] - b[0]);
        let at = from;
        for (const [lo, hi] of pieces) {
          expect(lo).toBe(at);
          expect(hi).toBeGreaterThan(lo);
          at = hi;
        }
        expect(at).toBe(to);
      }),
      { numRuns: 400 },
    );
  });
});
