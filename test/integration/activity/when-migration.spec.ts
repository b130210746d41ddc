import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import type { DataSourceOptions } from 'typeorm';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { MemorySouvenirsStore } from '../../../lib/store/memory/memory-souvenirs.store.js';
import { createTestDatabase, DIALECTS, type Dialect, type TestDatabase } from '../../support/databases.js';
import { LineWorker } from '../../support/line-worker.js';
import { readIndexes } from '../../support/souvenirs-indexes.js';
import { createService } from './activity-test-kit.js';

const LEGACY_WRITER = fileURLToPath(new URL('./fixtures/legacy-writer.ts', import.meta.url));

/** Old-format rows: milliseconds, both passes of Paris's repeated hour (distinct in UTC), 1000 and 9999, before 1970… */
const EDGE_ROWS = [
  { userId: 'ann', when: '2026-07-01T12:00:00.123Z' },
  { userId: 'bob', when: '2026-10-25T00:30:00.000Z' },
  { userId: 'ann', when: '2026-10-25T01:30:00.999Z' },
  { userId: 'cy', when: '1969-12-31T23:59:59.001Z' },
  { userId: 'dee', when: '1000-01-01T00:00:00.000Z' },
  { userId: '42', when: '9999-12-31T23:59:59.999Z' },
];

/** … and random instants of MySQL's DATETIME range (years 1000 to 9999), to the millisecond. */
const RANDOM_ROWS = fc
  .sample(fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }), { numRuns: 300, seed: 20261128 })
  .map((ms, i) => ({ userId: `random-${i}`, when: new Date(ms).toISOString() }));

const ROWS = [...EDGE_ROWS, ...RANDOM_ROWS];

function connectionOptions(db: TestDatabase): DataSourceOptions {
  const { type, host, port, username, password, database, schema } = db.options as unknown as Record<string, unknown>;
  return { type, host, port, username, password, database, schema } as DataSourceOptions;
}

async function storedRows(db: TestDatabase): Promise<Array<{ id: number; userId: string; when: string }>> {
  const rows = await db.dataSource.getRepository(Souvenir).find({ order: { id: 'ASC' } });
  return rows.map(({ id, userId, when }) => ({ id, userId, when: when.toISOString() }));
}

/** `when` of every row as the database's own date text, `YYYY-MM-DD HH:MM:SS.mmm`, read without any driver conversion. */
async function storedDates(dialect: Dialect, db: TestDatabase): Promise<string[]> {
  const column = {
    postgres: `to_char("when", 'YYYY-MM-DD HH24:MI:SS.MS')`,
    mariadb: "SUBSTRING(DATE_FORMAT(`when`, '%Y-%m-%d %H:%i:%s.%f'), 1, 23)",
    sqlite: '"when"',
  }[dialect];
  const table = dialect === 'postgres' ? `"${(db.options as { schema: string }).schema}".souvenirs` : 'souvenirs';
  const rows: Array<{ date: string }> = await db.dataSource.query(`SELECT ${column} AS date FROM ${table} ORDER BY id`);
  return rows.map((row) => row.date);
}

const EXPECTED_ROWS = ROWS.map((row, i) => ({ id: i + 1, ...row }));

describe('WhenAsEpochMilliseconds1764300000000 converts a table of old-format rows in place', () => {
  const databases = new Map<Dialect, TestDatabase>();

  beforeAll(async () => {
    for (const dialect of DIALECTS) databases.set(dialect, await createTestDatabase(dialect, { runMigrations: false }));
    const connections = Object.fromEntries([...databases].map(([dialect, db]) => [dialect, connectionOptions(db)]));
    // The previous version's documented settings: a UTC process (and `timezone: 'Z'` on MariaDB).
    const writer = new LineWorker(LEGACY_WRITER, { connections, rows: ROWS }, { TZ: 'UTC' });
    try {
      expect(await writer.nextLine()).toBe('done');
      expect(await writer.exited()).toBe(0);
    } finally {
      writer.kill();
    }
  }, 60_000);

  afterAll(async () => {
    for (const db of databases.values()) await db.drop();
  });

  describe.each(DIALECTS)('on %s', (dialect) => {
    let ran: string[];

    beforeAll(async () => {
      ran = (await databases.get(dialect)!.dataSource.runMigrations()).map((migration) => migration.name);
    });

    it('runs only the conversion (and the later user-id collation and tenants), keeping every row, its id and its instant', async () => {
      const db = databases.get(dialect)!;
      expect(ran).toEqual(['WhenAsEpochMilliseconds1764300000000', 'ExactUserIds1764400000000', 'SouvenirTenants1764500000000']);
      expect(await storedRows(db)).toEqual(EXPECTED_ROWS);
    });

    it('leaves an empty schema diff and the three indexes', async () => {
      const db = databases.get(dialect)!;
      expect((await db.dataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
      expect(await readIndexes(dialect, db.dataSource)).toEqual({
        IDX_souvenirs_user_when: ['user_id', 'when'],
        IDX_souvenirs_when_user: ['when', 'user_id'],
        IDX_souvenirs_tenant_when_user: ['tenant', 'when', 'user_id'],
      });
    });

    it('counts the converted rows and takes new ones after them', async () => {
      const db = databases.get(dialect)!;
      const store = new MemorySouvenirsStore();
      const activity = createService(db, store);
      try {
        // Windows at the edge rows' instants, each counted as the model (the rows as written) counts it.
        const windows: Array<[string, string]> = [
          ['2026-10-25T00:00:00Z', '2026-10-25T01:00:00Z'], // the first pass of Paris's repeated hour only
          ['2026-10-25T01:30:00.999Z', '2026-10-25T01:30:01Z'],
          ['1969-12-31T23:59:59Z', '1970-01-01T00:00:00Z'],
          ['1000-01-01T00:00:00Z', '1000-01-01T00:00:00.001Z'],
          ['1970-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z'],
          ['1000-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z'],
        ];
        for (const [start, end] of windows) {
          const [lo, hi] = [Date.parse(start), Date.parse(end)];
          const model = new Set(ROWS.filter((row) => lo <= Date.parse(row.when) && Date.parse(row.when) < hi).map((row) => row.userId));
          expect([start, end, await activity.countActiveUsers({ start: new Date(lo), end: new Date(hi) })]).toEqual([start, end, model.size]);
        }
        expect(await activity.countActiveUsers()).toBe(new Set(ROWS.map((row) => row.userId)).size);
        await activity.souvenez('eve', { when: new Date('2026-11-28T19:00:00.456Z'), ratelimit: false });
        expect((await storedRows(db)).at(-1)).toEqual({ id: ROWS.length + 1, userId: 'eve', when: '2026-11-28T19:00:00.456Z' });
      } finally {
        store.onModuleDestroy();
      }
    });

    it('reverts to dates and converts again without losing or shifting a row', async () => {
      const db = databases.get(dialect)!;
      const before = await storedRows(db);
      // SouvenirTenants1764500000000 and ExactUserIds1764400000000 first, then the conversion.
      await db.dataSource.undoLastMigration();
      await db.dataSource.undoLastMigration();
      await db.dataSource.undoLastMigration();
      expect(await db.dataSource.showMigrations()).toBe(true);
      // `down` wrote each instant back as the UTC wall-clock date the old version stored.
      expect(await storedDates(dialect, db)).toEqual(before.map((row) => row.when.replace('T', ' ').replace('Z', '')));
      await db.dataSource.runMigrations();
      expect(await storedRows(db)).toEqual(before);
      expect(before.slice(0, ROWS.length)).toEqual(EXPECTED_ROWS);
    });
  });
});
