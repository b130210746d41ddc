import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { EPOCH_MS_TRANSFORMER } from './sql/instant-encoding.js';

/**
 * One sighting of an active user: user `userId` was on the site at `when`.
 * Written by `ActivityService.souvenez`, at most once per user per rate-limit window,
 * and by `ActivityService.backfill`. Its table is created by `SOUVENIRS_MIGRATIONS`.
 *
 * @publicApi
 */
@Entity({ name: 'souvenirs' })
// Range counts of distinct users (`COUNT(DISTINCT user_id) WHERE when in [a, b)`)
// are answered from this index alone.
@Index('IDX_souvenirs_when_user', ['when', 'userId'])
// Duplicate checks and per-user history look up by user first.
@Index('IDX_souvenirs_user_when', ['userId', 'when'])
// A tenant's distinct users in a range are answered from this index alone, as the site's from the first.
@Index('IDX_souvenirs_tenant_when_user', ['tenant', 'when', 'userId'])
export class Souvenir {
  /**
   * A 32-bit auto-increment id (2.1 billion rows). Not `bigint`: TypeORM 1.1 declares a
   * generated bigint key on SQLite as `bigint PRIMARY KEY AUTOINCREMENT`, which SQLite
   * rejects (only `INTEGER PRIMARY KEY` may autoincrement), so one entity class could
   * not stay valid, with an empty schema diff, on all three databases.
   */
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_souvenirs' })
  id: number;

  /** The user's id; numbers are stored in decimal. At most 191 characters. */
  @Column({ name: 'user_id', type: 'varchar', length: 191 })
  userId: string;

  /**
   * When the user was seen, to the millisecond. Stored as integer milliseconds since
   * 1970-01-01T00:00:00Z (`bigint`) on every database: no driver converts it through
   * the process's or the connection's time zone, so every process reads back the same
   * instant (TypeORM cannot declare `timestamptz` on PostgreSQL only, on one entity
   * class that must also load on MySQL and SQLite). Bind epoch milliseconds when
   * comparing it in SQL.
   */
  @Column({ name: 'when', type: 'bigint', transformer: EPOCH_MS_TRANSFORMER })
  when: Date;

  /**
   * The tenant (organisation, workspace) the user was active in, or `null` for none.
   * At most 255 characters; compared byte for byte on every database, as `userId`.
   */
  @Column({ name: 'tenant', type: 'varchar', length: 255, nullable: true })
  tenant: string | null;
}

/** A validated row to insert. @internal */
export interface SouvenirRow {
  readonly userId: string;
  readonly when: Date;
  /** `null`: no tenant. */
  readonly tenant: string | null;
}
