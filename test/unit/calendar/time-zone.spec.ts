import { describe, expect, it } from '@jest/globals';
import { Settings } from 'luxon';
import { InvalidDateError, SouvenirsError, UnknownTimeZoneError } from '../../../lib/errors/index.js';
import { assertTimeZone, assertValidDate, fromWallClock, toZoned } from '../../../lib/calendar/time-zone.js';

describe('assertTimeZone', () => {
  it.each(['UTC', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham'])('accepts %s', (tz) => {
    expect(() => assertTimeZone(tz)).not.toThrow();
  });

  it.each(['', 'Mars/Olympus_Mons', 'New York', 'UTC+25'])('rejects %p with an UnknownTimeZoneError naming it', (tz) => {
    expect(() => assertTimeZone(tz)).toThrow(UnknownTimeZoneError);
    expect(() => assertTimeZone(tz)).toThrow(`Unknown time zone ${JSON.stringify(tz)}`);
  });

  it('rejects a non-string', () => {
    expect(() => assertTimeZone(undefined as unknown as string)).toThrow(UnknownTimeZoneError);
    expect(() => assertTimeZone(42 as unknown as string)).toThrow('Unknown time zone "42"');
  });
});

describe('assertValidDate', () => {
  it('accepts a valid Date', () => {
    expect(() => assertValidDate('when', new Date(0))).not.toThrow();
  });

  it.each([
    [new Date(Number.NaN), 'Invalid Date'],
    ['2020-01-01', '"2020-01-01"'],
    [1577836800000, '1577836800000'],
    [null, 'null'],
    [undefined, 'undefined'],
  ])('rejects %p with an InvalidDateError naming the argument', (value, shown) => {
    expect(() => assertValidDate('when', value)).toThrow(InvalidDateError);
    expect(() => assertValidDate('when', value)).toThrow(SouvenirsError);
    expect(() => assertValidDate('when', value)).toThrow(`\`when\` must be a valid Date, received ${shown}.`);
  });
});

describe('toZoned and fromWallClock', () => {
  it('reads an instant on the zone’s wall clock', () => {
    const zoned = toZoned(new Date('2024-07-01T12:00:00Z'), 'Asia/Kolkata');
    expect(zoned.toFormat('yyyy-MM-dd HH:mm')).toBe('2024-07-01 17:30');
    expect(toZoned(new Date('2024-07-01T12:00:00Z')).zoneName).toBe('UTC');
  });

  it('resolves a wall-clock time in a spring-forward gap by shifting it forward', () => {
    expect(fromWallClock({ year: 2024, month: 3, day: 31, hour: 1, minute: 30 }, 'Europe/London').toISO()).toBe(
      '2024-03-31T02:30:00.000+01:00',
    );
    expect(fromWallClock({ year: 2024, month: 10, day: 6, hour: 2, minute: 15 }, 'Australia/Lord_Howe').toISO()).toBe(
      '2024-10-06T02:45:00.000+11:00',
    );
  });

  it('resolves an ambiguous wall-clock time to the earlier instant, whatever today’s offset', () => {
    // luxon alone guesses with the offset in force now (Settings.now), so pin "now" to either season.
    const realNow = Settings.now;
    try {
      for (const now of ['2024-01-15T12:00:00Z', '2024-07-15T12:00:00Z']) {
        Settings.now = () => Date.parse(now);
        expect(fromWallClock({ year: 2024, month: 11, day: 3, hour: 1, minute: 30 }, 'America/New_York').toISO()).toBe(
          '2024-11-03T01:30:00.000-04:00',
        );
        expect(fromWallClock({ year: 2024, month: 4, day: 7, hour: 1, minute: 45 }, 'Australia/Lord_Howe').toISO()).toBe(
          '2024-04-07T01:45:00.000+11:00',
        );
      }
    } finally {
      Settings.now = realNow;
    }
  });
});
