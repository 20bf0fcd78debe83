import { MigrationInterface, QueryRunner } from 'typeorm';

/** The hand-off backbone: messages, cases, outbox, the worker's inbox, rejections and admin actions. */
export class HandoffBackbone1764072000000 implements MigrationInterface {
  name = 'HandoffBackbone1764072000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cases (
        case_number         text PRIMARY KEY,
        collaboration_id    text NOT NULL,
        collecting_district text NOT NULL,
        approving_district  text NOT NULL,
        agreement_id        text NOT NULL,
        item_code           text NOT NULL,
        item_name           text NOT NULL,
        contract_version    text NOT NULL,
        state               text NOT NULL,
        created_at          timestamptz NOT NULL,
        updated_at          timestamptz NOT NULL,
        version             integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE UNIQUE INDEX cases_collaboration_idx ON cases (collaboration_id)`);
    await q.query(`
      CREATE TABLE messages (
        message_id         uuid PRIMARY KEY,
        case_number        text NOT NULL REFERENCES cases (case_number),
        collaboration_id   text NOT NULL,
        sender             text NOT NULL,
        recipient          text NOT NULL,
        message_type       text NOT NULL,
        contract_id        text NOT NULL,
        contract_version   text NOT NULL,
        envelope           text NOT NULL,
        envelope_digest    text NOT NULL,
        body_digest        text NOT NULL,
        sent_at            timestamptz NOT NULL,
        accepted_at        timestamptz NOT NULL,
        receipt_id         uuid NOT NULL,
        receipt            text NOT NULL,
        status             text NOT NULL,
        queued_at          timestamptz,
        delivered_at       timestamptz,
        acknowledged_at    timestamptz,
        dead_lettered_at   timestamptz,
        dead_letter_reason text,
        replay_count       integer NOT NULL DEFAULT 0
      )`);
    await q.query(`CREATE INDEX messages_case_idx ON messages (case_number)`);
    await q.query(`CREATE INDEX messages_dead_idx ON messages (dead_lettered_at) WHERE status = 'DEAD_LETTERED'`);
    await q.query(`
      CREATE TABLE outbox (
        id           bigserial PRIMARY KEY,
        message_id   uuid NOT NULL REFERENCES messages (message_id),
        recipient    text NOT NULL,
        message_type text NOT NULL,
        created_at   timestamptz NOT NULL,
        -- a relay's lease: rows are claimed, published outside any transaction, then deleted
        claimed_until timestamptz
      )`);
    await q.query(`
      CREATE TABLE deliveries (
        message_id      uuid PRIMARY KEY REFERENCES messages (message_id),
        seq             bigserial NOT NULL,
        recipient       text NOT NULL,
        channel         text NOT NULL,
        delivered_at    timestamptz NOT NULL,
        acknowledged_at timestamptz
      )`);
    await q.query(`CREATE INDEX deliveries_pending_idx ON deliveries (recipient, seq) WHERE acknowledged_at IS NULL`);
    await q.query(`
      CREATE TABLE rejections (
        id              bigserial PRIMARY KEY,
        received_at     timestamptz NOT NULL,
        peer            text NOT NULL,
        code            text NOT NULL,
        message_id      text,
        envelope_digest text,
        size_bytes      integer NOT NULL,
        detail          text NOT NULL
      )`);
    await q.query(`CREATE INDEX rejections_peer_idx ON rejections (peer, received_at)`);
    await q.query(`
      CREATE TABLE admin_actions (
        id      bigserial PRIMARY KEY,
        at      timestamptz NOT NULL,
        actor   text NOT NULL,
        action  text NOT NULL,
        target  text NOT NULL,
        outcome text NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['admin_actions', 'rejections', 'deliveries', 'outbox', 'messages', 'cases']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
