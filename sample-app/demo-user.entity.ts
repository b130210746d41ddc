import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The demo application's users: reports count registered and activated users from here. */
@Entity({ name: 'demo_users' })
export class DemoUser {
  @PrimaryGeneratedColumn()
  id: number;

  @Column()
  name: string;

  @Column({ name: 'joined_at', precision: 3 })
  joinedAt: Date;

  @Column({ name: 'is_active', default: true })
  isActive: boolean;
}
