import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The app's own users, in a table the test creates as the app's migrations would. */
@Entity('users')
export class User {
  @PrimaryColumn()
  id!: number;

  @Column({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'is_active' })
  isActive!: boolean;
}
