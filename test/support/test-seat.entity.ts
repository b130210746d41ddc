import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Users of a multi-tenant application, each in one organisation: the tenant suites' users entity (`users.tenant: 'organisation'`). */
@Entity({ name: 'test_seats' })
export class TestSeat {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'joined_at', precision: 3 })
  joinedAt: Date;

  @Column({ name: 'is_active', default: true })
  isActive: boolean;

  @Column({ type: 'varchar', length: 255 })
  organisation: string;
}
