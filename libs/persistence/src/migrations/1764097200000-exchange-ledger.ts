import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The exchange ledger (libs/ledger/README.md).
 *
 * - ledger_entries: one row per event that crosses or changes the exchange. Written by triggers on
 *   the tables where those events happen, so an entry is always in the same transaction as its event
 *   and no code path can forget one. Digests and metadata only: envelopes stay in `messages`.
 * - ledger_leaves: the Merkle tree (RFC 9162). The sequencer gives each committed entry the next leaf
 *   index and stores the hash of its canonical JSON; a transaction that commits late is sequenced in
 *   a later round, never lost.
 * - ledger_checkpoints / ledger_cosignatures: signed tree heads, and the districts' signatures on them.
 * - ledger_archives: files that entries moved to once past the online period; they chain to each other.
 *
 * Every ledger table is append-only at the database level: UPDATE, DELETE and TRUNCATE raise, except
 * the one DELETE the archiver is allowed (entries a recorded archive file covers).
 */
export class ExchangeLedger1764097200000 implements MigrationInterface {
  name = 'ExchangeLedger1764097200000';

  async up(q: QueryRunner): Promise<void> {
    // Entry ids are UUID v7 (time-ordered, libs/ledger's entry format); PostgreSQL 15 has only v4:
    // take a v4, put the Unix time in milliseconds in its first 48 bits and set the version nibble to 7.
    await q.query(`
      CREATE FUNCTION ledger_uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE AS $$
        SELECT encode(set_byte(overlay(r PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6),
                               6, (get_byte(r, 6) & 15) | 112), 'hex')::uuid
        FROM uuid_send(gen_random_uuid()) AS r
      $$`);
    await q.query(`
      CREATE TABLE ledger_entries (
        id              bigserial PRIMARY KEY,
        entry_id        uuid NOT NULL UNIQUE DEFAULT ledger_uuid_v7(),
        kind            text NOT NULL,
        at              timestamptz NOT NULL,
        actor           text NOT NULL,
        case_number     text,
        message_id      uuid,
        message_type    text,
        sender          text,
        recipient       text,
        digest          text,
        receipt_digest  text,
        code            text,
        from_state      text,
        to_state        text,
        detail          jsonb
      )`);
    await q.query(`CREATE INDEX ledger_entries_case_idx ON ledger_entries (case_number) WHERE case_number IS NOT NULL`);
    await q.query(`CREATE INDEX ledger_entries_message_idx ON ledger_entries (message_id) WHERE message_id IS NOT NULL`);
    // BRIN: entries arrive in time order, so a block-range index serves time ranges at a fraction of a
    // B-tree's cost on every insert (the hot path writes four entries per hand-off).
    await q.query(`CREATE INDEX ledger_entries_at_idx ON ledger_entries USING brin (at)`);
    await q.query(`
      CREATE TABLE ledger_leaves (
        leaf_index   bigint PRIMARY KEY CHECK (leaf_index >= 0),
        entry_id     bigint NOT NULL UNIQUE,
        leaf_hash    bytea NOT NULL CHECK (length(leaf_hash) = 32),
        sequenced_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE ledger_checkpoints (
        tree_size  bigint PRIMARY KEY CHECK (tree_size > 0),
        root_hash  bytea NOT NULL CHECK (length(root_hash) = 32),
        signed_at  timestamptz NOT NULL,
        jws        text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE ledger_cosignatures (
        tree_size    bigint NOT NULL REFERENCES ledger_checkpoints (tree_size),
        district     text NOT NULL,
        jws          text NOT NULL,
        received_at  timestamptz NOT NULL,
        PRIMARY KEY (tree_size, district)
      )`);
    await q.query(`
      CREATE TABLE ledger_archives (
        id            bigserial PRIMARY KEY,
        first_index   bigint NOT NULL UNIQUE,
        last_index    bigint NOT NULL,
        checkpoint    bigint NOT NULL REFERENCES ledger_checkpoints (tree_size),
        file_name     text NOT NULL,
        file_digest   text NOT NULL,
        prev_digest   text,
        created_at    timestamptz NOT NULL
      )`);

    // Append-only. The archiver may delete entries that a recorded archive covers, and only inside a
    // transaction that says so (SET LOCAL tongban.ledger_archiving = 'on').
    // (Two functions: a PL/pgSQL function caches its plans per row type, so one that reads OLD.id
    // cannot also serve tables without an id.)
    await q.query(`
      CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the exchange ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE FUNCTION ledger_entries_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND current_setting('tongban.ledger_archiving', true) = 'on' THEN
          IF EXISTS (SELECT 1 FROM ledger_leaves l JOIN ledger_archives a ON l.leaf_index BETWEEN a.first_index AND a.last_index
                     WHERE l.entry_id = OLD.id) THEN
            RETURN OLD;
          END IF;
        END IF;
        RAISE EXCEPTION 'the exchange ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['ledger_entries', 'ledger_leaves', 'ledger_checkpoints', 'ledger_cosignatures', 'ledger_archives']) {
      const refuse = table === 'ledger_entries' ? 'ledger_entries_refuse_change' : 'ledger_refuse_change';
      await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${refuse}()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()`);
    }

    // The events. Times are the event's own column (set by the application's clock), never now().
    await q.query(`
      CREATE FUNCTION ledger_on_message() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO ledger_entries (kind, at, actor, case_number, message_id, message_type, sender, recipient, digest, receipt_digest, detail)
          VALUES ('MESSAGE_ACCEPTED', NEW.accepted_at, NEW.sender, NEW.case_number, NEW.message_id, NEW.message_type, NEW.sender,
                  NEW.recipient, NEW.envelope_digest, 'sha256:' || encode(sha256(convert_to(NEW.receipt, 'UTF8')), 'hex'),
                  jsonb_build_object('receiptId', NEW.receipt_id::text, 'contract', NEW.contract_id || '@' || NEW.contract_version));
        ELSIF NEW.status IS DISTINCT FROM OLD.status THEN
          IF NEW.status IN ('DELIVERED', 'ACKNOWLEDGED') AND OLD.status NOT IN ('DELIVERED', 'ACKNOWLEDGED') THEN
            INSERT INTO ledger_entries (kind, at, actor, case_number, message_id, message_type, sender, recipient, digest)
            VALUES ('MESSAGE_DELIVERED', NEW.delivered_at, 'gateway', NEW.case_number, NEW.message_id, NEW.message_type, NEW.sender, NEW.recipient, NEW.envelope_digest);
          END IF;
          IF NEW.status = 'ACKNOWLEDGED' THEN
            INSERT INTO ledger_entries (kind, at, actor, case_number, message_id, message_type, sender, recipient, digest)
            VALUES ('MESSAGE_ACKNOWLEDGED', NEW.acknowledged_at, NEW.recipient, NEW.case_number, NEW.message_id, NEW.message_type, NEW.sender, NEW.recipient, NEW.envelope_digest);
          ELSIF NEW.status = 'DEAD_LETTERED' THEN
            INSERT INTO ledger_entries (kind, at, actor, case_number, message_id, message_type, sender, recipient, digest, code)
            VALUES ('MESSAGE_DEAD_LETTERED', NEW.dead_lettered_at, 'gateway', NEW.case_number, NEW.message_id, NEW.message_type, NEW.sender, NEW.recipient,
                    NEW.envelope_digest, 'DEAD_LETTERED');
          ELSIF OLD.status = 'DEAD_LETTERED' AND NEW.status = 'ACCEPTED' THEN
            INSERT INTO ledger_entries (kind, at, actor, case_number, message_id, message_type, sender, recipient, digest, detail)
            VALUES ('MESSAGE_REPLAYED', date_trunc('milliseconds', statement_timestamp()), 'gateway', NEW.case_number,
                    NEW.message_id, NEW.message_type, NEW.sender, NEW.recipient, NEW.envelope_digest, jsonb_build_object('replayCount', NEW.replay_count));
          END IF;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER messages_ledger AFTER INSERT OR UPDATE OF status ON messages FOR EACH ROW EXECUTE FUNCTION ledger_on_message()`);

    await q.query(`
      CREATE FUNCTION ledger_on_case() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.state IS DISTINCT FROM OLD.state THEN
          INSERT INTO ledger_entries (kind, at, actor, case_number, from_state, to_state, detail)
          VALUES ('CASE_STATE_CHANGED', NEW.updated_at, 'gateway', NEW.case_number, OLD.state, NEW.state,
                  jsonb_build_object('collectingDistrict', NEW.collecting_district, 'approvingDistrict', NEW.approving_district));
        END IF;
        RETURN NULL;
      END $$`);
    // A case is opened by its submission, whose MESSAGE_ACCEPTED entry (message type, case number)
    // records that; an entry per opening as well would cost the hot path a fifth write for nothing.
    await q.query(`CREATE TRIGGER cases_ledger AFTER UPDATE OF state ON cases FOR EACH ROW EXECUTE FUNCTION ledger_on_case()`);

    await q.query(`
      CREATE FUNCTION ledger_on_rejection() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO ledger_entries (kind, at, actor, message_id, digest, code, detail)
        VALUES ('MESSAGE_REJECTED', NEW.received_at, NEW.peer,
                CASE WHEN NEW.message_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN NEW.message_id::uuid END,
                NEW.envelope_digest, NEW.code, jsonb_build_object('sizeBytes', NEW.size_bytes));
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER rejections_ledger AFTER INSERT ON rejections FOR EACH ROW EXECUTE FUNCTION ledger_on_rejection()`);

    await q.query(`
      CREATE FUNCTION ledger_on_admin_action() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO ledger_entries (kind, at, actor, code, detail)
        VALUES (CASE WHEN NEW.action LIKE 'audit.%' THEN 'AUDITOR_QUERY' WHEN NEW.action LIKE 'config.%' THEN 'CONFIG_LOADED' ELSE 'ADMIN_ACTION' END,
                NEW.at, NEW.actor, NEW.outcome, jsonb_build_object('action', NEW.action, 'target', NEW.target));
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER admin_actions_ledger AFTER INSERT ON admin_actions FOR EACH ROW EXECUTE FUNCTION ledger_on_admin_action()`);

    await q.query(`
      CREATE FUNCTION ledger_on_deadline_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO ledger_entries (kind, at, actor, case_number, code, detail)
        VALUES ('DEADLINE_EVENT', NEW.emitted_at, 'gateway', NEW.case_number, NEW.kind,
                jsonb_build_object('deadline', NEW.deadline, 'dueAt', to_char(NEW.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')));
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER deadline_events_ledger AFTER INSERT ON deadline_events FOR EACH ROW EXECUTE FUNCTION ledger_on_deadline_event()`);

    await q.query(`
      CREATE FUNCTION ledger_on_cosignature() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO ledger_entries (kind, at, actor, digest, detail)
        VALUES ('CHECKPOINT_COSIGNED', NEW.received_at, NEW.district, 'sha256:' || encode(sha256(convert_to(NEW.jws, 'UTF8')), 'hex'),
                jsonb_build_object('treeSize', NEW.tree_size));
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER ledger_cosignatures_ledger AFTER INSERT ON ledger_cosignatures FOR EACH ROW EXECUTE FUNCTION ledger_on_cosignature()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [trigger, table] of [
      ['messages_ledger', 'messages'], ['cases_ledger', 'cases'], ['rejections_ledger', 'rejections'],
      ['admin_actions_ledger', 'admin_actions'], ['deadline_events_ledger', 'deadline_events'],
    ]) {
      await q.query(`DROP TRIGGER IF EXISTS ${trigger} ON ${table}`);
    }
    for (const table of ['ledger_archives', 'ledger_cosignatures', 'ledger_checkpoints', 'ledger_leaves', 'ledger_entries']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    for (const fn of ['ledger_uuid_v7', 'ledger_on_cosignature', 'ledger_on_deadline_event', 'ledger_on_admin_action', 'ledger_on_rejection', 'ledger_on_case', 'ledger_on_message', 'ledger_entries_refuse_change', 'ledger_refuse_change']) {
      await q.query(`DROP FUNCTION IF EXISTS ${fn}()`);
    }
  }
}
