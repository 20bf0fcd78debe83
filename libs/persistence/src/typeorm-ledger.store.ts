import { LedgerArchiveRecord, LedgerEntryFilter, LedgerLeafRow, LedgerStore, StoredCheckpoint, StoredLedgerEntry } from '@tongban/cases';
import type { LedgerEntry } from '@tongban/ledger';
import { DataSource } from 'typeorm';

type Row = Record<string, unknown>;

/** Any constant: only one process sequences at a time (pg_try_advisory_xact_lock). */
const SEQUENCER_LOCK_KEY = 7_242_002;
/**
 * How far back (in row ids written before the last sequenced one) the sequencer looks for entries of
 * transactions that committed late. Row ids are handed out at INSERT, so a long transaction's entry can
 * become visible after later ones were sequenced; it is then sequenced in a later round. The window is
 * time-based (see lookBackFrom) so a slow transaction is never skipped.
 */
const LOOK_BACK_MS = 5 * 60_000;
/** How often the look-back window is swept for late commits (new rows are looked at every run). */
const SWEEP_MS = 15_000;

const ENTRY_COLUMNS = `e.id, e.entry_id, e.kind, e.at, e.actor, e.case_number, e.message_id, e.message_type, e.sender, e.recipient,
  e.digest, e.receipt_digest, e.code, e.from_state, e.to_state, e.detail`;

export class TypeOrmLedgerStore extends LedgerStore {
  /** [time, highest row id sequenced at that time]: lets the sequencer's scan start late but safely. */
  private readonly sequencedMarks: Array<[number, number]> = [];
  private scanFrom = 0;
  private lastSweep = 0;

  constructor(private readonly db: DataSource) {
    super();
  }

  async sequence(limit: number, at: Date, leafHashOf: (entry: LedgerEntry) => Buffer): Promise<{ firstIndex: number; hashes: Buffer[] }> {
    return this.db.transaction(async (em) => {
      const [{ locked }] = await em.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [SEQUENCER_LOCK_KEY]);
      if (!locked) return { firstIndex: -1, hashes: [] };
      const [{ next }] = await em.query(`SELECT coalesce(max(leaf_index) + 1, 0)::bigint AS next FROM ledger_leaves`);
      const firstIndex = Number(next);
      // New rows (above the highest row id sequenced) every run; the look-back window for rows of
      // transactions that committed late only every SWEEP_MS: scanning it costs, late commits are rare.
      const now = Date.now();
      const sweep = now - this.lastSweep >= SWEEP_MS;
      if (sweep) this.lastSweep = now;
      const rows: Row[] = await em.query(
        `WITH hw AS (SELECT coalesce(max(entry_id), 0) AS id FROM ledger_leaves)
         SELECT ${ENTRY_COLUMNS} FROM ledger_entries e, hw
         WHERE (e.id > hw.id OR ($3 AND e.id > $1)) AND NOT EXISTS (SELECT 1 FROM ledger_leaves l WHERE l.entry_id = e.id)
         ORDER BY e.id LIMIT $2`,
        [this.lookBackFrom(now), limit, sweep],
      );
      if (rows.length === 0) return { firstIndex, hashes: [] };
      const hashes = rows.map((r) => leafHashOf(toEntry(r)));
      await em.query(
        `INSERT INTO ledger_leaves (leaf_index, entry_id, leaf_hash, sequenced_at)
         SELECT $1::bigint + ord - 1, entry_id, decode(hash, 'hex'), $4
         FROM unnest($2::bigint[], $3::text[]) WITH ORDINALITY AS t(entry_id, hash, ord)`,
        [firstIndex, rows.map((r) => String(r.id)), hashes.map((h) => h.toString('hex')), at],
      );
      this.sequencedMarks.push([Date.now(), Math.max(...rows.map((r) => Number(r.id)))]);
      return { firstIndex, hashes };
    });
  }

  /**
   * Where the scan for unsequenced entries may start: the highest row id this process had sequenced
   * LOOK_BACK_MS ago. An entry at or below it that was still uncommitted then has had LOOK_BACK_MS
   * to commit and be picked up by the runs since (no transaction here lives that long).
   */
  private lookBackFrom(now: number): number {
    while (this.sequencedMarks.length > 0 && this.sequencedMarks[0][0] <= now - LOOK_BACK_MS) {
      this.scanFrom = Math.max(this.scanFrom, this.sequencedMarks.shift()![1]);
    }
    return this.scanFrom;
  }

  async leafHashes(from: number, to: number): Promise<Buffer[]> {
    const rows: Row[] = await this.db.query(`SELECT leaf_hash FROM ledger_leaves WHERE leaf_index >= $1 AND leaf_index < $2 ORDER BY leaf_index`, [from, to]);
    return rows.map((r) => r.leaf_hash as Buffer);
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | null> {
    return this.checkpointWhere(`tree_size = (SELECT max(tree_size) FROM ledger_checkpoints)`, []);
  }

  async findCheckpoint(treeSize: number): Promise<StoredCheckpoint | null> {
    return this.checkpointWhere(`tree_size = $1`, [treeSize]);
  }

  async listCheckpoints(from: number, to: number, limit: number): Promise<StoredCheckpoint[]> {
    const rows: Row[] = await this.db.query(
      `SELECT c.*, coalesce((SELECT json_agg(json_build_object('district', s.district, 'jws', s.jws, 'receivedAt', s.received_at) ORDER BY s.district)
                             FROM ledger_cosignatures s WHERE s.tree_size = c.tree_size), '[]') AS cosignatures
       FROM ledger_checkpoints c WHERE c.tree_size BETWEEN $1 AND $2 ORDER BY c.tree_size LIMIT $3`,
      [from, to, limit],
    );
    return rows.map(toCheckpoint);
  }

  private async checkpointWhere(where: string, params: unknown[]): Promise<StoredCheckpoint | null> {
    const rows: Row[] = await this.db.query(
      `SELECT c.*, coalesce((SELECT json_agg(json_build_object('district', s.district, 'jws', s.jws, 'receivedAt', s.received_at) ORDER BY s.district)
                             FROM ledger_cosignatures s WHERE s.tree_size = c.tree_size), '[]') AS cosignatures
       FROM ledger_checkpoints c WHERE ${where}`,
      params,
    );
    return rows.length ? toCheckpoint(rows[0]) : null;
  }

  async insertCheckpoint(c: Omit<StoredCheckpoint, 'cosignatures'>): Promise<boolean> {
    const rows: Row[] = await this.db.query(
      `INSERT INTO ledger_checkpoints (tree_size, root_hash, signed_at, jws) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING tree_size`,
      [c.treeSize, c.rootHash, c.signedAt, c.jws],
    );
    return rows.length === 1;
  }

  async addCosignature(treeSize: number, district: string, jws: string, at: Date): Promise<boolean> {
    const rows: Row[] = await this.db.query(
      `INSERT INTO ledger_cosignatures (tree_size, district, jws, received_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING district`,
      [treeSize, district, jws, at],
    );
    return rows.length === 1;
  }

  async findEntries(f: LedgerEntryFilter): Promise<StoredLedgerEntry[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    // A district's entries: it sent, received or acted, or the entry belongs to one of its cases.
    const touches = (p: string) =>
      `(${p} IN (e.sender, e.recipient, e.actor) OR EXISTS (SELECT 1 FROM cases c WHERE c.case_number = e.case_number AND ${p} IN (c.collecting_district, c.approving_district)))`;
    if (f.rowId) add((p) => `e.id = ${p}::bigint`, f.rowId);
    if (f.caseNumber) add((p) => `e.case_number = ${p}`, f.caseNumber);
    if (f.messageId) add((p) => `e.message_id = ${p}::uuid`, f.messageId);
    if (f.messageType) add((p) => `e.message_type = ${p}`, f.messageType);
    if (f.district) add(touches, f.district);
    if (f.scope) {
      params.push([...f.scope]);
      const p = `$${params.length}`;
      where.push(
        `(e.sender = ANY(${p}) OR e.recipient = ANY(${p}) OR e.actor = ANY(${p}) OR EXISTS (SELECT 1 FROM cases c WHERE c.case_number = e.case_number AND (c.collecting_district = ANY(${p}) OR c.approving_district = ANY(${p}))))`,
      );
    }
    if (f.from) add((p) => `e.at >= ${p}`, f.from);
    if (f.to) add((p) => `e.at < ${p}`, f.to);
    if (f.afterRowId) add((p) => `e.id > ${p}::bigint`, f.afterRowId);
    params.push(f.limit);
    const rows: Row[] = await this.db.query(
      `SELECT ${ENTRY_COLUMNS}, l.leaf_index FROM ledger_entries e LEFT JOIN ledger_leaves l ON l.entry_id = e.id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY e.id LIMIT $${params.length}`,
      params,
    );
    return rows.map(toStored);
  }

  async findEntry(entryId: string): Promise<StoredLedgerEntry | null> {
    const rows: Row[] = await this.db.query(
      `SELECT ${ENTRY_COLUMNS}, l.leaf_index FROM ledger_entries e LEFT JOIN ledger_leaves l ON l.entry_id = e.id WHERE e.entry_id = $1::uuid`,
      [entryId],
    );
    return rows.length ? toStored(rows[0]) : null;
  }

  async leavesWithEntries(from: number, limit: number): Promise<LedgerLeafRow[]> {
    const rows: Row[] = await this.db.query(
      `SELECT l.leaf_index, l.leaf_hash, l.entry_id AS leaf_entry_id, ${ENTRY_COLUMNS},
              EXISTS (SELECT 1 FROM ledger_archives a WHERE l.leaf_index BETWEEN a.first_index AND a.last_index) AS archived
       FROM ledger_leaves l LEFT JOIN ledger_entries e ON e.id = l.entry_id
       WHERE l.leaf_index >= $1 ORDER BY l.leaf_index LIMIT $2`,
      [from, limit],
    );
    return rows.map((r) => ({
      leafIndex: Number(r.leaf_index),
      leafHash: r.leaf_hash as Buffer,
      entry: r.id === null ? null : toStored(r),
      archived: r.archived === true,
    }));
  }

  async lastArchive(): Promise<LedgerArchiveRecord | null> {
    const rows: Row[] = await this.db.query(`SELECT * FROM ledger_archives ORDER BY first_index DESC LIMIT 1`);
    if (rows.length === 0) return null;
    const r = rows[0];
    return {
      firstIndex: Number(r.first_index),
      lastIndex: Number(r.last_index),
      checkpoint: Number(r.checkpoint),
      fileName: r.file_name as string,
      fileDigest: r.file_digest as string,
      prevDigest: (r.prev_digest as string | null) ?? null,
      createdAt: r.created_at as Date,
    };
  }

  async archivableEnd(from: number, before: Date): Promise<number | null> {
    const [{ end }] = await this.db.query(
      `WITH young AS (
         SELECT min(l.leaf_index) AS first FROM ledger_leaves l JOIN ledger_entries e ON e.id = l.entry_id
         WHERE l.leaf_index >= $1 AND e.at >= $2)
       SELECT max(c.tree_size) AS end FROM ledger_checkpoints c, young
       WHERE c.tree_size > $1 AND c.tree_size <= coalesce(young.first, (SELECT coalesce(max(leaf_index) + 1, 0) FROM ledger_leaves))`,
      [from, before],
    );
    return end === null ? null : Number(end);
  }

  async commitArchive(a: LedgerArchiveRecord): Promise<number> {
    return this.db.transaction(async (em) => {
      await em.query(
        `INSERT INTO ledger_archives (first_index, last_index, checkpoint, file_name, file_digest, prev_digest, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
        [a.firstIndex, a.lastIndex, a.checkpoint, a.fileName, a.fileDigest, a.prevDigest, a.createdAt],
      );
      // The only DELETE the append-only trigger lets through: entries an archive now covers.
      await em.query(`SET LOCAL tongban.ledger_archiving = 'on'`);
      const [{ n }] = await em.query(
        `WITH gone AS (DELETE FROM ledger_entries e USING ledger_leaves l WHERE l.entry_id = e.id AND l.leaf_index BETWEEN $1 AND $2 RETURNING 1)
         SELECT count(*)::int AS n FROM gone`,
        [a.firstIndex, a.lastIndex],
      );
      await em.query(`INSERT INTO admin_actions (at, actor, action, target, outcome) VALUES ($1, 'gateway', 'ledger.archive', $2, 'OK')`, [
        a.createdAt,
        `${a.fileName} ${a.fileDigest} leaves ${a.firstIndex}..${a.lastIndex}`,
      ]);
      return n;
    });
  }

  async lastActionTarget(action: string): Promise<string | null> {
    const rows: Row[] = await this.db.query(`SELECT target FROM admin_actions WHERE action = $1 ORDER BY id DESC LIMIT 1`, [action]);
    return rows.length ? (rows[0].target as string) : null;
  }

  async recordQuery(at: Date, actor: string, action: string, target: string): Promise<void> {
    await this.db.query(`INSERT INTO admin_actions (at, actor, action, target, outcome) VALUES ($1, $2, $3, $4, 'OK')`, [at, actor, action, target.slice(0, 500)]);
  }
}

/** The entry exactly as it is hashed: optional members only when set, times as RFC 3339 UTC with milliseconds. */
function toEntry(r: Row): LedgerEntry {
  const entry: Record<string, unknown> = { v: 1, id: r.entry_id, kind: r.kind, at: (r.at as Date).toISOString(), actor: r.actor };
  const optional: Array<[string, unknown]> = [
    ['caseNumber', r.case_number],
    ['messageId', r.message_id],
    ['messageType', r.message_type],
    ['sender', r.sender],
    ['recipient', r.recipient],
    ['digest', r.digest],
    ['receiptDigest', r.receipt_digest],
    ['code', r.code],
    ['fromState', r.from_state],
    ['toState', r.to_state],
    ['detail', r.detail],
  ];
  for (const [key, value] of optional) if (value !== null && value !== undefined) entry[key] = value;
  return entry as unknown as LedgerEntry;
}

function toStored(r: Row): StoredLedgerEntry {
  return { rowId: String(r.id), entry: toEntry(r), leafIndex: r.leaf_index === null || r.leaf_index === undefined ? null : Number(r.leaf_index) };
}

function toCheckpoint(r: Row): StoredCheckpoint {
  const cosignatures = (typeof r.cosignatures === 'string' ? JSON.parse(r.cosignatures) : r.cosignatures) as Array<{ district: string; jws: string; receivedAt: string }>;
  return {
    treeSize: Number(r.tree_size),
    rootHash: r.root_hash as Buffer,
    signedAt: r.signed_at as Date,
    jws: r.jws as string,
    cosignatures: cosignatures.map((c) => ({ district: c.district, jws: c.jws, receivedAt: new Date(c.receivedAt) })),
  };
}
