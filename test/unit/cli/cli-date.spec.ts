import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseCliDate, readDate, tryParseCliDate } from '../../../lib/calendar/parse-date.js';
import { CliUsageError } from '../../../lib/errors/cli-usage.error.js';

const ZONE = 'America/New_York';
const iso = (text: string, zone = ZONE) => tryParseCliDate(text, zone)?.toISOString();

describe('parseCliDate', () => {
  it.each([
    ['2010-01-24', '2010-01-24T05:00:00.000Z'], // a bare date is midnight in the zone
    ['1/24/2010', '2010-01-24T05:00:00.000Z'],
    ['01/24/2010', '2010-01-24T05:00:00.000Z'],
    ['3/8/2010 13:45', '2010-03-08T18:45:00.000Z'],
    ['2010-01-24T22:00', '2010-01-25T03:00:00.000Z'],
    ['2010-01-24 22:00:30', '2010-01-25T03:00:30.000Z'],
    ['2010-07-24T22:00:00.250', '2010-07-25T02:00:00.250Z'], // EDT in summer
    ['2010-01-24T22:00:00-05:00', '2010-01-25T03:00:00.000Z'],
    ['2010-01-24T22:00:00+0100', '2010-01-24T21:00:00.000Z'],
    ['2010-01-24T22:00+01', '2010-01-24T21:00:00.000Z'],
    ['2010-01-24T22:00:00Z', '2010-01-24T22:00:00.000Z'],
    ['  2010-01-24  ', '2010-01-24T05:00:00.000Z'],
  ])('reads %j', (text, expected) => {
    expect(iso(text)).toBe(expected);
  });

  it('resolves wall-clock times across DST as fromWallClock does', () => {
    // 02:30 does not exist on 2010-03-14 in New York: shifted forward to 03:30 EDT.
    expect(iso('2010-03-14T02:30')).toBe('2010-03-14T07:30:00.000Z');
    // 01:30 happens twice on 2010-11-07: the earlier (EDT) one.
    expect(iso('2010-11-07T01:30')).toBe('2010-11-07T05:30:00.000Z');
  });

  it.each(['', 'yesterday', '2010-13-01', '2010-02-30', '24/1/2010', '2010-01-24T25:00', '2010-1-24', '1264395600'])(
    'rejects %j',
    (text) => {
      expect(tryParseCliDate(text, ZONE)).toBeUndefined();
    },
  );

  it('throws a CliUsageError naming the flag, the text and the accepted forms', () => {
    expect(() => parseCliDate('someday', ZONE, '--after')).toThrow(CliUsageError);
    expect(() => parseCliDate('someday', ZONE, '--after')).toThrow(/--after: cannot read "someday" as a date; use YYYY-MM-DD, M\/D\/YYYY/);
  });

  it.each([
    ['2026-01-01T00:00:00+99:99', /offset \+99:99, which no clock has/],
    ['2026-01-01T00:00:00+24:00', /offset \+24:00/],
    ['2026-01-01T00:00:00-2400', /offset -2400/],
    ['2026-01-01T00:00+23:60', /offset \+23:60/],
    ['2026-01-01T00:00+99', /offset \+99/],
    ['0001-01-01', /outside the supported dates, years 1000 to 9999/],
    ['0999-12-31T23:59:59.999Z', /outside the supported dates/],
    ['1/1/0999', /outside the supported dates/],
  ])('refuses %j, saying why', (text, reason) => {
    expect(readDate(text, ZONE).problem).toMatch(reason);
    expect(() => parseCliDate(text, ZONE, '--after')).toThrow(CliUsageError);
  });

  it('keeps the edges of what a clock and SUPPORTED_DATES allow', () => {
    expect(iso('2026-01-01T00:00:00+23:59')).toBe('2025-12-31T00:01:00.000Z');
    expect(iso('2026-01-01T00:00:00-23:59')).toBe('2026-01-01T23:59:00.000Z');
    expect(iso('1000-01-01T00:00:00Z')).toBe('1000-01-01T00:00:00.000Z');
    expect(iso('9999-12-31T23:59:59.999Z')).toBe('9999-12-31T23:59:59.999Z');
    // Local midnight of 1 January 1000 in New York is 05:00 UTC: inside; in Paris it is the evening before: outside.
    expect(iso('1000-01-01')).toBe('1000-01-01T04:56:02.000Z');
    expect(iso('1000-01-01', 'Europe/Paris')).toBeUndefined();
  });

  it('reads any written offset as a brute-force model does: hours 00-23 and minutes 00-59, else refused', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1001-01-01T00:00:00Z'), max: new Date('9998-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom('+', '-'),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.constantFrom(':', ''),
        (wall, sign, hours, minutes, colon) => {
          const pad = (n: number) => String(n).padStart(2, '0');
          const local = wall.toISOString().slice(0, 19);
          const text = `${local}${sign}${pad(hours)}${colon}${pad(minutes)}`;
          const wallMs = Math.floor(wall.getTime() / 1000) * 1000;
          const offsetMs = (sign === '+' ? 1 : -1) * (hours * 60 + minutes) * 60_000;
          expect(iso(text)).toBe(hours <= 23 && minutes <= 59 ? new Date(wallMs - offsetMs).toISOString() : undefined);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
