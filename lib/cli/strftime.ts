import type { DateTime } from 'luxon';

/*
 * A small strftime (C / POSIX locale) for the CLI's `--datefmt`, so the formats users know
 * from django-souvenirs' `show_usage` (Python's `strftime`) keep working. Names are English,
 * as in the C locale, whatever the runtime's locale.
 */

const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];
// luxon numbers weekdays 1 (Monday) to 7 (Sunday).
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const pad = (n: number, width = 2, fill = '0'): string => String(n).padStart(width, fill);

/** `+HHMM` / `-HHMM`, as `%z` prints an offset in minutes. */
function offsetText(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

const DIRECTIVES: Record<string, (d: DateTime) => string> = {
  Y: (d) => String(d.year),
  y: (d) => pad(d.year % 100),
  C: (d) => pad(Math.floor(d.year / 100)),
  m: (d) => pad(d.month),
  d: (d) => pad(d.day),
  e: (d) => pad(d.day, 2, ' '),
  H: (d) => pad(d.hour),
  I: (d) => pad(d.hour % 12 === 0 ? 12 : d.hour % 12),
  M: (d) => pad(d.minute),
  S: (d) => pad(d.second),
  f: (d) => pad(d.millisecond * 1000, 6),
  p: (d) => (d.hour < 12 ? 'AM' : 'PM'),
  b: (d) => MONTHS[d.month - 1].slice(0, 3),
  h: (d) => MONTHS[d.month - 1].slice(0, 3),
  B: (d) => MONTHS[d.month - 1],
  a: (d) => WEEKDAYS[d.weekday - 1].slice(0, 3),
  A: (d) => WEEKDAYS[d.weekday - 1],
  w: (d) => String(d.weekday % 7),
  u: (d) => String(d.weekday),
  j: (d) => pad(d.ordinal, 3),
  // The zone's abbreviation in English (EST, EDT, UTC); zones without one print GMT+1 style.
  Z: (d) => d.setLocale('en-US').offsetNameShort ?? d.zoneName ?? '',
  z: (d) => offsetText(d.offset),
  F: (d) => `${d.year}-${pad(d.month)}-${pad(d.day)}`,
  T: (d) => `${pad(d.hour)}:${pad(d.minute)}:${pad(d.second)}`,
  '%': () => '%',
};

/**
 * Formats `dateTime` (read in its own zone) with a strftime pattern, as Python's
 * `datetime.strftime` does in the C locale.
 *
 * Supported directives: `%Y %y %C %m %d %e %H %I %M %S %f %p %b %h %B %a %A %w %u %j %Z %z
 * %F %T %%`. An unknown directive (and a lone `%` at the end) is kept as written, as glibc does.
 *
 * @example
 * strftime(DateTime.fromISO('2010-01-24T22:00', { zone: 'America/New_York' }), '%d %b %Y %H:%M %Z');
 * // '24 Jan 2010 22:00 EST'
 * @internal
 */
export function strftime(dateTime: DateTime, format: string): string {
  return format.replace(/%(.)/gs, (directive, letter: string) => {
    const render = DIRECTIVES[letter];
    return render ? render(dateTime) : directive;
  });
}
