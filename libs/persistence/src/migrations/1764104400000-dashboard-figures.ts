import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The supervisor dashboard (issue: 数据大屏): per-case figures written by the lifecycle step that
 * settles them — the decision (when, working days used against the promised and statutory limits)
 * and the latest rating per target — so the dashboard is one indexed aggregate over cases, with no
 * calendar replay or envelope decoding per request.
 *
 * Existing cases are backfilled where SQL can: the decision time from the stored conclusion message,
 * and ratings whose payload carries a named level (partners that send digit codes are mapped by the
 * gateway at run time; their earlier ratings stay out). Working days need the calendars, which SQL
 * does not have: cases decided before this migration have none and are left out of the averages.
 */
export class DashboardFigures1764104400000 implements MigrationInterface {
  name = 'DashboardFigures1764104400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases
      ADD COLUMN concluded_at timestamptz,
      ADD COLUMN working_days_used integer,
      ADD COLUMN promised_working_days integer,
      ADD COLUMN statutory_working_days integer,
      ADD COLUMN window_rating text,
      ADD COLUMN handling_rating text`);
    await q.query(`
      UPDATE cases c SET concluded_at = m.at
      FROM (SELECT case_number, max(accepted_at) AS at FROM messages WHERE message_type = 'case.conclusion' GROUP BY case_number) m
      WHERE m.case_number = c.case_number`);
    // The envelope is a compact JWS whose payload segment is the canonical body (base64url, unpadded).
    await q.query(`
      WITH decoded AS (
        SELECT case_number, accepted_at,
               convert_from(decode(rpad(translate(split_part(envelope, '.', 2), '-_', '+/'),
                                        (length(split_part(envelope, '.', 2)) + 3) / 4 * 4, '='), 'base64'), 'UTF8')::jsonb -> 'payload' AS p
        FROM messages WHERE message_type = 'case.evaluation'),
      latest AS (
        SELECT DISTINCT ON (case_number, p ->> 'target') case_number, p ->> 'target' AS target, p ->> 'level' AS level
        FROM decoded
        WHERE p ->> 'level' IN ('VERY_SATISFIED', 'SATISFIED', 'BASIC_SATISFIED', 'DISSATISFIED', 'VERY_DISSATISFIED')
        ORDER BY case_number, p ->> 'target', accepted_at DESC)
      UPDATE cases c SET
        window_rating = coalesce((SELECT level FROM latest l WHERE l.case_number = c.case_number AND l.target = 'WINDOW_SERVICE'), c.window_rating),
        handling_rating = coalesce((SELECT level FROM latest l WHERE l.case_number = c.case_number AND l.target = 'CASE_HANDLING'), c.handling_rating)
      WHERE c.case_number IN (SELECT case_number FROM latest)`);
    // The overdue and at-risk lists: running cases of a district by promised due date (few rows: only
    // cases between acceptance and decision are in these indexes).
    await q.query(`CREATE INDEX cases_running_out_due_idx ON cases (collecting_district, promised_due_at) WHERE state IN ('ACCEPTED', 'IN_REVIEW')`);
    await q.query(`CREATE INDEX cases_running_in_due_idx ON cases (approving_district, promised_due_at) WHERE state IN ('ACCEPTED', 'IN_REVIEW')`);
    // The supervisor's call-back list: cases whose latest rating is bad (差评), newest first.
    const bad = `window_rating IN ('DISSATISFIED', 'VERY_DISSATISFIED') OR handling_rating IN ('DISSATISFIED', 'VERY_DISSATISFIED')`;
    await q.query(`CREATE INDEX cases_bad_rating_out_idx ON cases (collecting_district, updated_at DESC) WHERE ${bad}`);
    await q.query(`CREATE INDEX cases_bad_rating_in_idx ON cases (approving_district, updated_at DESC) WHERE ${bad}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS cases_bad_rating_in_idx`);
    await q.query(`DROP INDEX IF EXISTS cases_bad_rating_out_idx`);
    await q.query(`DROP INDEX IF EXISTS cases_running_in_due_idx`);
    await q.query(`DROP INDEX IF EXISTS cases_running_out_due_idx`);
    await q.query(`ALTER TABLE cases
      DROP COLUMN handling_rating, DROP COLUMN window_rating, DROP COLUMN statutory_working_days,
      DROP COLUMN promised_working_days, DROP COLUMN working_days_used, DROP COLUMN concluded_at`);
  }
}
