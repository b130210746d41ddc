import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Users keyed by a text id the app chose (hostile ones included): what the CSV of idle seats must neutralise. */
@Entity({ name: 'test_accounts' })
export class TestAccount {
  @PrimaryColumn({ type: 'varchar', length: 191 })
  id: string;

  @Column({ name: 'joined_at', precision: 3 })
  joinedAt: Date;

  /** The account's organisation (the `users.tenant` property). */
  @Column({ type: 'varchar', length: 50, nullable: true })
  org: string | null;
}
