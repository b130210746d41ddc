import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { LocalDayCalendar } from '../../../lib/calendar/local-days.js';

const HOUR = 3_600_000;

describe('LocalDayCalendar', () => {
  it('has 23- and 25-hour days on DST changes, starting at local midnight', () => {
    const paris = new LocalDayCalendar('Europe/Paris');
    const spring = paris.dayOf(new Date('2024-03-31T12:00:00Z'));
    expect(spring).toEqual({ date: '2024-03-31', start: new Date('2024-03-30T23:00:00Z'), end: new Date('2024-03-31T22:00:00Z') });
    const fall = paris.dayOf(new Date('2024-10-27T12:00:00Z'));
    expect(fall.end.getTime() - fall.start.getTime()).toBe(25 * HOUR);
  });

  it('starts a day whose midnight does not exist at its first instant', () => {
    // São Paulo sprang forward at midnight on 4 November 2018: the day began at 01:00 (-02:00).
    const day = new LocalDayCalendar('America/Sao_Paulo').dayOf(new Date('2018-11-04T12:00:00Z'));
    expect(day.date).toBe('2018-11-04');
    expect(day.start).toEqual(new Date('2018-11-04T03:00:00Z'));
  });

  it('splits a range into the whole days inside it and its edges, which tile it exactly', () => {
    const zones = ['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'America/Sao_Paulo', 'Asia/Kathmandu'];
    const instant = fc.integer({ min: Date.UTC(2018, 0, 1), max: Date.UTC(2025, 0, 1) });
    fc.assert(
      fc.property(fc.constantFrom(...zones), instant, fc.integer({ min: 0, max: 40 * 24 * HOUR }), (zone, from, length) => {
        const calendar = new LocalDayCalendar(zone);
        const [start, end] = [new Date(from), new Date(from + length)];
        const split = calendar.split(start, end, 1000)!;
        const pieces = [...split.edges, ...split.days.map((day): [Date, Date] => [day.start, day.end])].sort((a, b) => a[0].getTime() - b[0].getTime());
        // The pieces tile [start, end) with no gap or overlap.
        let at = start.getTime();
        for (const [lo, hi] of pieces) {
          expect(lo.getTime()).toBe(at);
          at = hi.getTime();
        }
        expect(at).toBe(length === 0 ? start.getTime() : end.getTime());
        // Each day is whole: its start is the day of its start, its end the start of the next.
        for (const day of split.days) {
          expect(calendar.dayOf(day.start)).toEqual(day);
          expect(calendar.dayOf(new Date(day.end.getTime() - 1)).date).toBe(day.date);
        }
        // Next to a whole day, an edge is a piece of one day (shorter than 25 hours).
        if (split.days.length > 0) for (const [lo, hi] of split.edges) expect(hi.getTime() - lo.getTime()).toBeLessThan(25 * HOUR);
        expect(split.edges.length).toBeLessThanOrEqual(2);
      }),
      { numRuns: 120 },
    );
  });

  it('gives up past maxDays', () => {
    const calendar = new LocalDayCalendar('UTC');
    expect(calendar.split(new Date('2024-01-01T00:00:00Z'), new Date('2024-01-11T00:00:00Z'), 9)).toBeNull();
    expect(calendar.split(new Date('2024-01-01T00:00:00Z'), new Date('2024-01-11T00:00:00Z'), 10)!.days).toHaveLength(10);
  });
});
