import { MigrationInterface, QueryRunner } from 'typeorm';

/** Deadlines counted in the approving district's working days: due dates, pauses, the 5-day notice rule. */
export class CaseDeadlines1764086400000 implements MigrationInterface {
  name = 'CaseDeadlines1764086400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases
      ADD COLUMN received_at timestamptz,
      ADD COLUMN supplement_notice_due_at timestamptz,
      ADD COLUMN accepted_at timestamptz,
      ADD COLUMN promised_due_at timestamptz,
      ADD COLUMN statutory_due_at timestamptz,
      ADD COLUMN suspended_at timestamptz,
      ADD COLUMN paused_working_days integer NOT NULL DEFAULT 0,
      ADD COLUMN deadline_note text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases
      DROP COLUMN deadline_note, DROP COLUMN paused_working_days, DROP COLUMN suspended_at, DROP COLUMN statutory_due_at,
      DROP COLUMN promised_due_at, DROP COLUMN accepted_at, DROP COLUMN supplement_notice_due_at, DROP COLUMN received_at`);
  }
}
