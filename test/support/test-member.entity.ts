import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Users of an application keyed by the id it passes to `souvenez` (given, not generated): the subset suites' users entity. */
@Entity({ name: 'test_members' })
export class TestMember {
  @PrimaryColumn({ type: 'int' })
  id: number;

  @Column({ name: 'joined_at', precision: 3 })
  joinedAt: Date;

  @Column({ name: 'is_active', default: true })
  isActive: boolean;

  @Column({ type: 'varchar', length: 20, default: 'free' })
  plan: string;

  /** The organisation the member belongs to (the `users.tenant` property). */
  @Column({ type: 'varchar', length: 20, nullable: true })
  org: string | null;
}
