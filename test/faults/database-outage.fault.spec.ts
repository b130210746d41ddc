import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { performance } from 'node:perf_hooks';
import { Souvenir } from '../../lib/table/souvenir.entity.js';
import { CollectingLogger } from '../e2e/app/collecting-logger.js';
import { startApp, type RunningApp } from '../e2e/app/start-app.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { recordFaultFigure } from '../support/fault-figures.js';
import { failedRequests, loadAs } from '../support/http-load.js';

const USERS = Array.from({ length: 40 }, (_, i) => `user-${i}`);

/** Renames the souvenirs table of the test's PostgreSQL schema, so every write to it fails in the database. */
async function renameTable(db: TestDatabase, from: string, to: string): Promise<void> {
  const schema = (db.options as { schema: string }).schema;
  await db.dataSource.query(`ALTER TABLE "${schema}"."${from}" RENAME TO "${to}"`);
}

/** Users with at least one row, and how many rows each. */
async function rowsPerUser(db: TestDatabase): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const row of await db.dataSource.getRepository(Souvenir).find()) counts.set(row.userId, (counts.get(row.userId) ?? 0) + 1);
  return counts;
}

async function eventually(check: () => Promise<boolean>, ms = 5_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('activity during a database outage (souvenirs table renamed mid-load)', () => {
  const logger = new CollectingLogger();
  let db: TestDatabase;
  let running: RunningApp;
  let tableAway = false;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    running = await startApp('express', { ...db.options }, {}, logger);
  });

  afterAll(async () => {
    if (tableAway) await renameTable(db, 'souvenirs_away', 'souvenirs');
    await running?.app.close();
    await db?.drop();
  });

  it('answers every request, and writes a user whose write failed on their next request', async () => {
    const url = `${running.url}/orders`;
    let awayAt = 0;
    const during = await loadAs(url, USERS, 4, async (done) => {
      if (done !== 10) return;
      await renameTable(db, 'souvenirs', 'souvenirs_away');
      tableAway = true;
      awayAt = performance.now();
    });
    // Let the recordings of the last requests fail against the missing table.
    await eventually(async () => logger.lines.some((line) => line.includes('failed (activity)')), 2_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await renameTable(db, 'souvenirs_away', 'souvenirs');
    tableAway = false;
    const awaySeconds = (performance.now() - awayAt) / 1000;
    const missedWhileAway = USERS.length - (await rowsPerUser(db)).size;

    // Everyone comes back once: those whose write failed are written now, the others are rate-limited.
    const next = await loadAs(url, USERS, 4);
    await eventually(async () => (await rowsPerUser(db)).size === USERS.length);
    const rows = await rowsPerUser(db);
    const lost = USERS.filter((user) => !rows.has(user)).length;
    const doubled = [...rows.values()].filter((n) => n > 1).length;
    const failed = failedRequests([...during, ...next]);

    await recordFaultFigure({
      id: 'database-outage-activity',
      fault: 'PostgreSQL souvenirs table renamed mid-load',
      duration: `${awaySeconds.toFixed(1)} s`,
      load: `4 concurrent × ${during.length} tracked requests, then each user once more`,
      lost,
      doubled,
      failedRequests: failed,
      note: `${missedWhileAway} users' writes failed while the table was away; all written on their next request`,
    });

    expect(failed).toBe(0);
    // The fault bit: some writes failed while the table was away.
    expect(missedWhileAway).toBeGreaterThan(0);
    expect(lost).toBe(0);
    expect(doubled).toBe(0);
  });
});
