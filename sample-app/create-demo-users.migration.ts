import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The demo application's own migration, run beside SOUVENIRS_MIGRATIONS. */
export class CreateDemoUsers1732300000001 implements MigrationInterface {
  name = 'CreateDemoUsers1732300000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'demo_users',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'name', type: 'varchar' },
          { name: 'joined_at', type: 'datetime', precision: 3 },
          { name: 'is_active', type: 'boolean', default: true },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('demo_users');
  }
}
