import type { DataSource } from 'typeorm';
import type { Dialect } from './databases.js';

/** The non-primary indexes of the souvenirs table, name → columns in key order, read from the catalog. */
export async function readIndexes(dialect: Dialect, dataSource: DataSource): Promise<Record<string, string[]>> {
  let rows: Array<{ name: string; columns: string }>;
  switch (dialect) {
    case 'postgres':
      rows = await dataSource.query(
        `SELECT i.relname AS name, string_agg(a.attname, ',' ORDER BY k.ord) AS columns
           FROM pg_index x
           JOIN pg_class i ON i.oid = x.indexrelid
           JOIN pg_class t ON t.oid = x.indrelid
           JOIN pg_namespace n ON n.oid = t.relnamespace
           CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
          WHERE n.nspname = $1 AND t.relname = 'souvenirs' AND NOT x.indisprimary
          GROUP BY i.relname`,
        [(dataSource.options as { schema: string }).schema],
      );
      break;
    case 'mariadb':
      rows = await dataSource.query(
        `SELECT INDEX_NAME AS name, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS columns
           FROM information_schema.STATISTICS
          WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'souvenirs' AND INDEX_NAME <> 'PRIMARY'
          GROUP BY INDEX_NAME`,
      );
      break;
    case 'sqlite': {
      const names: Array<{ name: string }> = await dataSource.query(
        `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'souvenirs' AND sql IS NOT NULL`,
      );
      rows = [];
      for (const { name } of names) {
        const info: Array<{ seqno: number; name: string }> = await dataSource.query(`PRAGMA index_info("${name}")`);
        rows.push({ name, columns: info.sort((a, b) => a.seqno - b.seqno).map((c) => c.name).join(',') });
      }
      break;
    }
  }
  return Object.fromEntries(rows.map((row) => [row.name, row.columns.split(',')]));
}
