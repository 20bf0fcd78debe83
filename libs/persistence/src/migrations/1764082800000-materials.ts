import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Materials: files uploaded separately and referenced by digest in envelopes.
 * - materials: one row per content (SHA-256 hex), whatever the content store;
 * - material_uploaders: every district that uploaded those bytes (each may download them);
 * - material_cases: cases whose accepted messages reference them (their two districts may download);
 * - material_contents + material_chunks: the bytes themselves when `materials.store` is 'postgres',
 *   in chunks of up to 1 MiB written as they arrive (a staged object becomes a digest's content by
 *   one insert into material_contents).
 */
export class Materials1764082800000 implements MigrationInterface {
  name = 'Materials1764082800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE materials (
        sha256      text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        size        bigint NOT NULL CHECK (size >= 0),
        media_type  text NOT NULL,
        name        text NOT NULL,
        uploaded_by text NOT NULL,
        uploaded_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE material_uploaders (
        sha256            text NOT NULL REFERENCES materials (sha256) ON DELETE CASCADE,
        district          text NOT NULL,
        first_uploaded_at timestamptz NOT NULL,
        PRIMARY KEY (sha256, district)
      )`);
    await q.query(`
      CREATE TABLE material_cases (
        sha256      text NOT NULL REFERENCES materials (sha256) ON DELETE CASCADE,
        case_number text NOT NULL,
        linked_at   timestamptz NOT NULL,
        PRIMARY KEY (sha256, case_number)
      )`);
    await q.query(`CREATE INDEX material_cases_case_idx ON material_cases (case_number)`);
    await q.query(`
      CREATE TABLE material_chunks (
        object_id uuid NOT NULL,
        seq       integer NOT NULL,
        data      bytea NOT NULL,
        PRIMARY KEY (object_id, seq)
      )`);
    // Materials are mostly PDFs and images, already compressed: store them out of line, uncompressed.
    await q.query(`ALTER TABLE material_chunks ALTER COLUMN data SET STORAGE EXTERNAL`);
    await q.query(`
      CREATE TABLE material_contents (
        sha256    text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        object_id uuid NOT NULL UNIQUE,
        size      bigint NOT NULL,
        chunks    integer NOT NULL,
        stored_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['material_contents', 'material_chunks', 'material_cases', 'material_uploaders', 'materials']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
