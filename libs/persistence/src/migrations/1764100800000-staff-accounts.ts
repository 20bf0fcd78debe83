import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Desk-console staff (issue: the desk console): accounts per district with roles, a memory-hard
 * password hash and a TOTP secret (two factors for every login), server-side sessions (only the
 * token's hash is stored, so a database reader cannot ride a session), and the staff audit trail:
 * who did or viewed what, when, with what result.
 */
export class StaffAccounts1764100800000 implements MigrationInterface {
  name = 'StaffAccounts1764100800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE staff_accounts (
        username       text PRIMARY KEY,
        district       text NOT NULL,
        roles          text[] NOT NULL CHECK (cardinality(roles) > 0),
        display_name   text NOT NULL,
        password_hash  text NOT NULL,
        totp_secret    text NOT NULL,
        last_totp_step bigint,
        failed_logins  integer NOT NULL DEFAULT 0,
        locked_until   timestamptz,
        created_at     timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE staff_sessions (
        token_hash   text PRIMARY KEY,
        username     text NOT NULL REFERENCES staff_accounts (username) ON DELETE CASCADE,
        csrf_token   text NOT NULL,
        created_at   timestamptz NOT NULL,
        expires_at   timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX staff_sessions_user_idx ON staff_sessions (username)`);
    await q.query(`
      CREATE TABLE staff_audit (
        id        bigserial PRIMARY KEY,
        at        timestamptz NOT NULL,
        username  text NOT NULL,
        district  text,
        action    text NOT NULL,
        target    text NOT NULL,
        result    text NOT NULL,
        ip        text
      )`);
    await q.query(`CREATE INDEX staff_audit_user_idx ON staff_audit (username, at)`);
    // The console's case lists: a district's outgoing and incoming cases, newest first.
    await q.query(`CREATE INDEX cases_outgoing_idx ON cases (collecting_district, created_at DESC, case_number DESC)`);
    await q.query(`CREATE INDEX cases_incoming_idx ON cases (approving_district, created_at DESC, case_number DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS cases_outgoing_idx`);
    await q.query(`DROP INDEX IF EXISTS cases_incoming_idx`);
    for (const table of ['staff_audit', 'staff_sessions', 'staff_accounts']) await q.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
