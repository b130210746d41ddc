import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { bucketsInProgress } from '../../../lib/dashboard/in-progress.js';
import { dayRangeParams, MAX_OVERVIEW_DAYS } from '../../../lib/dashboard/dashboard-query.js';

const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
const SCALES = ['minute', 'hour', 'day', 'month', 'year'] as const;

describe('bucketsInProgress', () => {
  it('flags exactly the bucket whose local calendar span holds now (brute force: walk the calendar bucket by bucket)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom(...SCALES),
        fc.integer({ min: 1, max: 40 }),
        fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: -5, max: 45 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (zone, scale, count, around, offset, fraction) => {
          // Consecutive local buckets from the one holding `around`, as a timeserie makes them.
          const first = DateTime.fromJSDate(around, { zone }).startOf(scale);
          const starts = Array.from({ length: count }, (_, i) => first.plus({ [`${scale}s`]: i }).toJSDate());
          // Now: somewhere in bucket `offset` (possibly before the first or after the last).
          const bucket = first.plus({ [`${scale}s`]: offset });
          const span = bucket.plus({ [`${scale}s`]: 1 }).toMillis() - bucket.toMillis();
          const now = new Date(bucket.toMillis() + Math.floor(fraction * (span - 1)));
          const flags = bucketsInProgress(starts, scale, zone, now);
          const expected = starts.map((_, i) => i === offset);
          expect(flags).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('dayRangeParams (the overview picker)', () => {
  it('gives the local days asked, both ends included, or a 400 for backwards or longer than 730 days', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 3000 }),
        // Lengths around the edges (a day backwards, one day, 730 and 731 days) as often as any other.
        fc.oneof(fc.integer({ min: -20, max: 800 }), fc.constantFrom(-1, 0, 728, 729, 730)),
        (zone, fromDay, length) => {
          const today = DateTime.fromISO('2026-03-15', { zone }).startOf('day');
          const from = DateTime.fromISO('2023-01-01', { zone }).plus({ days: fromDay });
          const to = from.plus({ days: length });
          const query = { from: from.toISODate()!, to: to.toISODate()! };
          const days = length + 1;
          if (days < 1 || days > MAX_OVERVIEW_DAYS) {
            expect(() => dayRangeParams(query, today)).toThrow(/before `from`|longer than 730 days/);
            return;
          }
          const range = dayRangeParams(query, today);
          expect([range.first.toISODate(), range.last.toISODate()]).toEqual([query.from, query.to]);
          expect(range.first.equals(range.first.startOf('day'))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
