import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The benchmark application's users, like Django's auth_user. */
@Entity({ name: 'bench_users' })
export class BenchUser {
  @PrimaryGeneratedColumn()
  id: number;

  /** Indexed, so the per-period baseline's counts are as cheap as they can be. */
  @Index()
  @Column({ name: 'date_joined', precision: 3 })
  dateJoined: Date;

  @Column({ name: 'is_active', default: true })
  isActive: boolean;
}
