export { nearestDom, nextMonth, adjustToCalendarMonth, adjustToSubscriptionStart } from './months.js';
export type { NextMonthOptions } from './months.js';
export { iterDays, iterMonths, iterQuarters, iterYears } from './period-iterators.js';
export { MAX_REPORT_PERIODS, SUPPORTED_DATES } from './period-limits.js';
export {
  labelYearMonth,
  labelYearQuarterOfMonth,
  labelYearOfMonth,
  labelYearQuarter,
  labelYearOfQuarter,
  labelYear,
  labelCalendarYearMonth,
  calendarYear,
  customerMonthLabels,
  customerQuarterLabels,
  customerYearLabels,
  calendarMonthLabels,
} from './period-labels.js';
export type {
  CustomerMonthLabels,
  CustomerQuarterLabels,
  CustomerYearLabels,
  CalendarMonthLabels,
} from './period-labels.js';
// For the services (and the CLI's date parsing); @internal, not meant for the package's users.
export { assertTimeZone, assertValidDate, toZoned, fromWallClock } from './time-zone.js';
export type { WallClock } from './time-zone.js';
export { assertSupportedDate, refuseLongRange, takeAtMost, LONGEST_PERIOD_MS } from './period-limits.js';
