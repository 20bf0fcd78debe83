import { MigrationInterface, QueryRunner } from 'typeorm';

/** The whole lifecycle: the case type (即办件 may skip review) and why a suspended case is paused. */
export class CaseLifecycle1764079200000 implements MigrationInterface {
  name = 'CaseLifecycle1764079200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases ADD COLUMN case_type text NOT NULL DEFAULT '2'`);
    await q.query(`ALTER TABLE cases ALTER COLUMN case_type DROP DEFAULT`);
    await q.query(`ALTER TABLE cases ADD COLUMN suspension_kind text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases DROP COLUMN suspension_kind`);
    await q.query(`ALTER TABLE cases DROP COLUMN case_type`);
  }
}
