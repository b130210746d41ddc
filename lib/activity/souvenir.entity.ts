import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One sighting of an active user: user `userId` was on the site at `when`.
 * Written by `ActivityService.souvenez`, at most once per user per rate-limit window.
 *
 * @publicApi
 */
@Entity({ name: 'souvenirs' })
// Range counts of distinct users (`COUNT(DISTINCT user_id) WHERE when in [a, b)`)
// are answered from this index alone.
@Index('IDX_souvenirs_when_user', ['when', 'userId'])
// Duplicate checks and per-user history look up by user first.
@Index('IDX_souvenirs_user_when', ['userId', 'when'])
export class Souvenir {
  @PrimaryGeneratedColumn()
  id: number;

  /** The user's id; numbers are stored in decimal. */
  @Column({ name: 'user_id', type: 'varchar', length: 191 })
  userId: string;

  @Column({ name: 'when', precision: 3 })
  when: Date;
}
