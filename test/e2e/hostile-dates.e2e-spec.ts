import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../lib/cli/run-cli.js';
import { InvalidDateError } from '../../lib/errors/invalid-date.error.js';
import { ReportsService } from '../../lib/reports/reports.service.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { captureIo } from '../integration/cli/cli-test-app.js';
import { startWithDashboard, type RunningDashboardApp } from './dashboard/dashboard-app.js';
import { get } from './dashboard/http-get.js';

// One reader for every date a user gives (lib/calendar/parse-date.ts): impossible offsets
// and instants outside SUPPORTED_DATES (years 1000–9999) are refused alike by the CLI, a
// backfill file, the dashboard's charts and the analytics endpoints; the analytics API
// checks the same range as the usage reports.

const IMPOSSIBLE = ['2026-01-01T00:00:00+99:99', '2026-01-01T00:00:00+24:00', '2026-01-01T00:00+23:60', '0001-01-01', '0999-12-31T23:59:59Z'];

describe('dates a user gives, on every entry point (Express, SQLite, memory store)', () => {
  let database: TestDatabase;
  let running: RunningDashboardApp;
  let dir: string;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    running = await startWithDashboard(database.options, { public: true });
    dir = await mkdtemp(join(tmpdir(), 'souvenirs-dates-'));
  });
  afterAll(async () => {
    await running?.app.close();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const cli = async (...argv: string[]) => {
    const io = captureIo();
    const code = await runCli(running.app, argv, io);
    return { code, stdout: io.stdout.text, stderr: io.stderr.text };
  };

  it.each(IMPOSSIBLE)('the dashboard and analytics endpoints answer 400 to %j', async (text) => {
    const value = encodeURIComponent(text);
    for (const path of [
      `/souvenirs/api/metricas/orders/timeline?scale=day&since=${value}`,
      `/souvenirs/api/metricas/orders/axes/plan?until=${value}`,
      `/souvenirs/api/analytics/retention?start=${value}`,
      `/souvenirs/api/analytics/lifecycle/csv?period=week&end=${value}`,
      `/souvenirs/api/analytics/active-users?start=${value}`,
    ]) {
      const answer = await get(running.url + path);
      expect({ path, status: answer.status }).toEqual({ path, status: 400 });
      expect(answer.body).toMatch(/which no clock has|outside the supported dates/);
    }
  });

  it.each(IMPOSSIBLE)('the CLI exits 2 on %j, for usage and analytics reports alike', async (text) => {
    for (const argv of [
      ['show-usage', '--calendar', `--after=${text}`],
      ['retention', `--after=${text}`],
      ['reindex', `--before=${text}`],
    ]) {
      const answer = await cli(...argv);
      expect({ argv, code: answer.code, stdout: answer.stdout }).toEqual({ argv, code: 2, stdout: '' });
      expect(answer.stderr).toMatch(/which no clock has|outside the supported dates/);
    }
  });

  it('a backfill record with an impossible offset stops the import at its line', async () => {
    const path = join(dir, 'activity.csv');
    await writeFile(path, 'user,when\nok,2026-01-01T10:00:00Z\nbad,2026-01-01T10:00:00+24:00\n');
    const { code, stderr } = await cli('backfill', path);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/line 3.*offset \+24:00, which no clock has/s);
  });

  it('the analytics API refuses a start before the year 1000 as the usage reports do', async () => {
    const reports = running.app.get(ReportsService);
    const start = new Date('0001-01-01T00:00:00Z');
    const end = new Date('0001-02-01T00:00:00Z');
    await expect(reports.calendarMonthlyUsage({ start, end })).rejects.toBeInstanceOf(InvalidDateError);
    for (const call of [
      () => reports.retention({ start, end, period: 'month' }),
      () => reports.lifecycle({ start, end, period: 'month' }),
      () => reports.stickiness({ start, end, period: 'month' }),
      () => reports.activeUsers({ start, end }),
    ]) {
      await expect(call()).rejects.toMatchObject({ name: 'InvalidDateError', reason: 'out-of-range' });
    }
  });
});
