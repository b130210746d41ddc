import { describe, expect, it } from '@jest/globals';
import { parseCliDate, tryParseCliDate } from '../../../lib/calendar/parse-date.js';
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
});
