import { describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { strftime } from '../../../lib/cli/strftime.js';

const newYork = (iso: string) => DateTime.fromISO(iso, { zone: 'America/New_York' });

describe('strftime', () => {
  const winter = newYork('2010-01-04T22:05:09.123'); // a Monday, EST
  const summer = newYork('2015-07-26T09:30:00'); // a Sunday, EDT

  it.each([
    ['%Y-%m-%d', winter, '2010-01-04'],
    ['%y', winter, '10'],
    ['%C', winter, '20'],
    ['%H:%M:%S', winter, '22:05:09'],
    ['%I %p', winter, '10 PM'],
    ['%I %p', summer, '09 AM'],
    ['%I', newYork('2010-01-04T00:30'), '12'],
    ['%I %p', newYork('2010-01-04T12:00'), '12 PM'],
    ['%e', winter, ' 4'],
    ['%f', winter, '123000'],
    ['%b %h %B', winter, 'Jan Jan January'],
    ['%a %A', winter, 'Mon Monday'],
    ['%a %A %w %u', summer, 'Sun Sunday 0 7'],
    ['%j', winter, '004'],
    ['%j', summer, '207'],
    ['%Z %z', winter, 'EST -0500'],
    ['%Z %z', summer, 'EDT -0400'],
    ['%F %T', summer, '2015-07-26 09:30:00'],
    ['100%%', winter, '100%'],
    ['%q stays, as glibc keeps unknown directives', winter, '%q stays, as glibc keeps unknown directives'],
    ['ends with %', winter, 'ends with %'],
    ['', winter, ''],
  ] as [string, DateTime, string][])('%s', (format, dateTime, expected) => {
    expect(strftime(dateTime, format)).toBe(expected);
  });

  it('prints the offset of other zones, half hours included, and UTC', () => {
    expect(strftime(DateTime.fromISO('2020-06-01T12:00', { zone: 'Asia/Kolkata' }), '%z')).toBe('+0530');
    expect(strftime(DateTime.fromISO('2020-06-01T12:00', { zone: 'UTC' }), '%H:%M %Z %z')).toBe('12:00 UTC +0000');
  });

  it('uses English names whatever the DateTime locale', () => {
    expect(strftime(newYork('2010-03-01T00:00').setLocale('fr'), '%A %d %B')).toBe('Monday 01 March');
  });
});
