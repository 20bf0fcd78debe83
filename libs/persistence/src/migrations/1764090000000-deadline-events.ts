import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each warning and overdue event is emitted once per case and limit, also across restarts and workers. */
export class DeadlineEvents1764090000000 implements MigrationInterface {
  name = 'DeadlineEvents1764090000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE deadline_events (
        case_number text NOT NULL REFERENCES cases (case_number),
        deadline    text NOT NULL,
        kind        text NOT NULL,
        due_at      timestamptz NOT NULL,
        emitted_at  timestamptz NOT NULL,
        PRIMARY KEY (case_number, deadline, kind)
      )`);
    await q.query(`CREATE INDEX cases_open_deadlines_idx ON cases (promised_due_at) WHERE promised_due_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS cases_open_deadlines_idx`);
    await q.query(`DROP TABLE IF EXISTS deadline_events`);
  }
}
