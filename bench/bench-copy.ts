/**
 * The baseline of a backfill: PostgreSQL's own COPY of the same rows into a copy of
 * the souvenirs table (same columns, defaults and indexes), timed from the first row
 * sent to the last one committed, then dropped.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import type { BackfillEntry } from '../lib/activity/activity.service.js';
import { time } from './bench-timing.js';

/** Rows per COPY data chunk sent to the server. */
const ROWS_PER_CHUNK = 10_000;

/** COPYs `rows` into `schema`.souvenirs_copy (made like `schema`.souvenirs, dropped after); returns rows/s. */
export async function copyRowsBeside(dataSource: DataSource, schema: string, rows: Iterable<BackfillEntry>): Promise<number> {
  const table = `${schema}.souvenirs_copy`;
  await dataSource.query(`DROP TABLE IF EXISTS ${table}`);
  await dataSource.query(`CREATE TABLE ${table} (LIKE ${schema}.souvenirs INCLUDING ALL)`);
  const driver = dataSource.driver as unknown as { master: { connect(): Promise<PoolClient> } };
  const client = await driver.master.connect();
  try {
    let count = 0;
    const lines = Readable.from(
      (function* () {
        let chunk: string[] = [];
        for (const { user, when } of rows) {
          chunk.push(`${String(user)}\t${(when as Date).getTime()}\n`);
          count += 1;
          if (chunk.length === ROWS_PER_CHUNK) {
            yield chunk.join('');
            chunk = [];
          }
        }
        if (chunk.length > 0) yield chunk.join('');
      })(),
    );
    const [, ms] = await time(() => pipeline(lines, client.query(copyFrom(`COPY ${table} (user_id, "when") FROM STDIN`))));
    return count / (ms / 1000);
  } finally {
    client.release();
    await dataSource.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
