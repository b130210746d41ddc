import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The application's own users, as reports see them through the `users` option. */
@Entity({ name: 'test_users' })
export class TestUser {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'date_joined', precision: 3 })
  dateJoined: Date;

  @Column({ name: 'is_active', default: true })
  isActive: boolean;
}
