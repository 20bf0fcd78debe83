import { MigrationInterface, QueryRunner } from 'typeorm';

/** 容缺受理: when the last pending item is due; the gateway terminates the case if they never come. */
export class ToleratedItems1764093600000 implements MigrationInterface {
  name = 'ToleratedItems1764093600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases ADD COLUMN tolerated_items_due_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases DROP COLUMN tolerated_items_due_at`);
  }
}
