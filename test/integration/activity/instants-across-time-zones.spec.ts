import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import type { DataSourceOptions } from 'typeorm';
import { createTestDatabase, DIALECTS, type Dialect, type TestDatabase } from '../../support/databases.js';
import { LineWorker } from '../../support/line-worker.js';

const WORKER = fileURLToPath(new URL('./fixtures/instants-worker.ts', import.meta.url));

/** Process time zones: none, DST in Europe and America (on different dates), a half-hour offset. */
const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata'];

/** Instants recorded by every process, the repeated hours at DST changes included. */
const INSTANTS = [
  '2026-07-01T12:00:00.123Z', // summer time in Paris and New York
  '2026-01-15T23:59:59.999Z', // a different local day in Paris and Kolkata than in UTC
  '2026-03-29T01:30:00.000Z', // Paris: 03:30 CEST, just after the skipped hour
  '2026-10-25T00:30:00.000Z', // Paris: 02:30 CEST, the repeated hour's first pass…
  '2026-10-25T01:30:00.000Z', // … and 02:30 CET, its second
  '2026-11-01T05:30:00.500Z', // New York: 01:30 EDT, the repeated hour's first pass…
  '2026-11-01T06:30:00.500Z', // … and 01:30 EST, its second
  '1969-12-31T23:59:59.500Z', // before the epoch
].map((iso) => Date.parse(iso));

const SECOND = 1000;
/** One-minute windows centred on each instant and just after it, and one-millisecond windows at and just before it. */
const WINDOWS: Array<[number, number]> = INSTANTS.flatMap((t): Array<[number, number]> => [
  [t - 30 * SECOND, t + 30 * SECOND],
  [t + 30 * SECOND, t + 90 * SECOND],
  [t, t + 1],
  [t - 1, t],
]);

/** The model: every process wrote every instant for its own user. */
const EXPECTED = WINDOWS.map(([start, end]) => (INSTANTS.some((t) => start <= t && t < end) ? ZONES.length : 0));

interface WorkerReport {
  counts: number[];
  perPeriod: number[];
  readBack: string[];
}

/** What a child process needs to connect to a test database: its connection options, without classes. */
function connectionOptions(db: TestDatabase): DataSourceOptions {
  const { type, host, port, username, password, database, schema } = db.options as unknown as Record<string, unknown>;
  return { type, host, port, username, password, database, schema } as DataSourceOptions;
}

describe('instants are instants: processes in 4 time zones write and count the same rows, on driver defaults', () => {
  const databases = new Map<Dialect, TestDatabase>();
  const workers: LineWorker[] = [];
  const reports = new Map<string, Record<Dialect, WorkerReport>>();

  beforeAll(async () => {
    for (const dialect of DIALECTS) databases.set(dialect, await createTestDatabase(dialect));
    const connections = Object.fromEntries([...databases].map(([dialect, db]) => [dialect, connectionOptions(db)]));
    for (const zone of ZONES) {
      const config = { connections, userId: `writer in ${zone}`, instants: INSTANTS, windows: WINDOWS };
      workers.push(new LineWorker(WORKER, config, { TZ: zone }));
    }
    // Every process writes, then every process reads: each counts the rows of all the others.
    for (const worker of workers) expect(await worker.nextLine()).toBe('written');
    for (const worker of workers) worker.send('read');
    for (const [i, worker] of workers.entries()) reports.set(ZONES[i], JSON.parse(await worker.nextLine()));
    expect(await Promise.all(workers.map((worker) => worker.exited()))).toEqual(ZONES.map(() => 0));
  }, 90_000);

  afterAll(async () => {
    for (const worker of workers) worker.kill();
    for (const db of databases.values()) await db.drop();
  });

  describe.each(DIALECTS)('on %s', (dialect) => {
    it.each(ZONES)('a process in %s counts every window as the model does (countActiveUsers)', (zone) => {
      expect(reports.get(zone)![dialect].counts).toEqual(EXPECTED);
    });

    it.each(ZONES)('a process in %s counts every window as the model does (the reports’ grouped count)', (zone) => {
      expect(reports.get(zone)![dialect].perPeriod).toEqual(EXPECTED);
    });

    it.each(ZONES)('a process in %s reads its rows back as the instants it wrote', (zone) => {
      expect(reports.get(zone)![dialect].readBack).toEqual(INSTANTS.map((t) => new Date(t).toISOString()));
    });
  });
});
