import { describe, expect, it } from '@jest/globals';
import { showUsageCommand } from '../../../lib/cli/show-usage.command.js';
import { DATE_FORMS } from '../../../lib/calendar/parse-date.js';
import { USAGE_REPORTS, cutLastPeriod, usageCells, usageHeaders, usageReport } from '../../../lib/reports/usage-report-descriptions.js';
import type { UsageRow } from '../../../lib/reports/usage-row.interface.js';

/** show-usage's help as it was written by hand before the descriptions (plus daily's cut-day note, added on purpose). */
const HAND_WRITTEN_HELP = `Usage: souvenirs show-usage [--daily | --monthly | --quarterly | --yearly | --calendar] [options]

Shows registered, activated and active users per period, newest first.

Reports (one of):
  --daily                    days; the date column is each day's end (a day cut short
                             by the report's end, today's still running, is noted on stderr)
  --monthly                  customer months, anchored on --subscription-start (default)
  --quarterly                customer quarters
  --yearly                   customer years
  --calendar                 calendar months (no --subscription-start needed;
                             from --after, else the last 12 months)
Options:
  --subscription-start DATE  customer subscription start or renewal date
                             (required by --daily, --monthly, --quarterly, --yearly)
  --after DATE               include periods ending after DATE (inclusive start)
  --before DATE              include periods before DATE (exclusive end, default now)
  --recent [N]               show only the N (1) most recent periods
  --ascending                oldest first
  --tenant ID                only that tenant's activity (and its users, with users.tenant)
  --datefmt FORMAT           strftime format of date columns (default %Y-%m-%d)
  --csv                      CSV instead of a table
  --json                     JSON (an array of objects keyed by column) instead of a table
  -h, --help                 show this help

DATE: __DATE_FORMS__; without an offset it is wall-clock time in the module's timeZone.
`.replace('__DATE_FORMS__', DATE_FORMS);

const row = (labels: Record<string, string>): UsageRow => ({
  period: { start: new Date('2016-01-24T00:00:00Z'), end: new Date('2016-02-24T00:00:00Z') },
  labels,
  usage: { registeredUsers: 3, activatedUsers: 2, activeUsers: 1 },
});
const iso = (instant: Date) => instant.toISOString().slice(0, 10);

describe('usage report descriptions', () => {
  it('show-usage --help is built from them, word for word the hand-written help', () => {
    expect(showUsageCommand.usage).toBe(HAND_WRITTEN_HELP);
  });

  it('give each report its django-souvenirs columns', () => {
    expect(Object.fromEntries(USAGE_REPORTS.map((report) => [report.name, usageHeaders(report).join(' ')]))).toEqual({
      daily: 'date registered activated active',
      monthly: 'month start end registered activated active',
      quarterly: 'quarter start end registered activated active',
      yearly: 'year start end registered activated active',
      calendar: 'month start end registered activated active',
    });
  });

  it('fill the label column from the label each report names, and daily with the end date', () => {
    const labels = { yearMonth: 'Y01 M01', yearQuarter: 'Y01 Q1', year: 'Y01', calendarYearMonth: '2016-01' };
    const first = (name: Parameters<typeof usageReport>[0]) => usageCells(usageReport(name), [row(labels)], iso)[0];
    expect(first('daily')).toEqual(['2016-02-24', 3, 2, 1]);
    expect(first('monthly')).toEqual(['Y01 M01', '2016-01-24', '2016-02-24', 3, 2, 1]);
    expect(first('quarterly')[0]).toBe('Y01 Q1');
    expect(first('yearly')[0]).toBe('Y01');
    expect(first('calendar')[0]).toBe('2016-01');
  });

  it("tell the daily report's last day when it was cut short, and no other day", () => {
    const day = (start: string, end: string): UsageRow => ({ period: { start: new Date(start), end: new Date(end) }, usage: { registeredUsers: null, activatedUsers: null, activeUsers: 0 } });
    const daily = usageReport('daily');
    const partial = (rows: UsageRow[], zone = 'UTC') => rows.map((row) => row === cutLastPeriod(daily, rows, zone));
    // Subscription at 10:00: yesterday's full day and today's, cut at now (15:00), both end on the 3rd.
    expect(partial([day('2016-03-02T10:00Z', '2016-03-03T10:00Z'), day('2016-03-03T10:00Z', '2016-03-03T15:00Z')])).toEqual([false, true]);
    // A report ending on a day boundary has no partial day.
    expect(partial([day('2016-03-02T10:00Z', '2016-03-03T10:00Z'), day('2016-03-03T10:00Z', '2016-03-04T10:00Z')])).toEqual([false, false]);
    // A 23-hour day (Paris, spring forward on 27 March 2016) is a full day, not a cut one.
    expect(partial([day('2016-03-26T23:00Z', '2016-03-27T22:00Z')], 'Europe/Paris')).toEqual([false]);
    expect(partial([day('2016-03-26T23:00Z', '2016-03-27T21:00Z')], 'Europe/Paris')).toEqual([true]);
  });

  it('name one ReportsService method each, and only calendar goes without a subscription start', () => {
    expect(new Set(USAGE_REPORTS.map((report) => report.method)).size).toBe(USAGE_REPORTS.length);
    expect(USAGE_REPORTS.filter((report) => !report.needsSubscriptionStart).map((report) => report.name)).toEqual(['calendar']);
  });
});
