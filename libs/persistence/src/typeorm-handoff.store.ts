import {
  CaseChange,
  CaseListFilter,
  CaseConflictError,
  CaseRecord,
  CaseState,
  CaseUpdate,
  DueDeadline,
  DuplicateCaseError,
  DuplicateMessageError,
  HandoffStore,
  digestHex,
  InboxItem,
  MessageStatus,
  OutboxItem,
  Rejection,
  StoredMessage,
} from '@tongban/cases';
import { DataSource, EntityManager } from 'typeorm';

const UNIQUE_VIOLATION = '23505';

/** The only case columns a transition may set besides the state (the keys come from code, never from input). */
const CASE_UPDATE_COLUMNS: Record<keyof CaseUpdate, string> = {
  suspensionKind: 'suspension_kind',
  receivedAt: 'received_at',
  supplementNoticeDueAt: 'supplement_notice_due_at',
  acceptedAt: 'accepted_at',
  promisedDueAt: 'promised_due_at',
  statutoryDueAt: 'statutory_due_at',
  suspendedAt: 'suspended_at',
  pausedWorkingDays: 'paused_working_days',
  deadlineNote: 'deadline_note',
  toleratedItemsDueAt: 'tolerated_items_due_at',
  // The dashboard's figures (migration 1764104400000), settled by the decision and by ratings.
  concludedAt: 'concluded_at',
  workingDaysUsed: 'working_days_used',
  promisedWorkingDays: 'promised_working_days',
  statutoryWorkingDays: 'statutory_working_days',
  windowRating: 'window_rating',
  handlingRating: 'handling_rating',
};
/** How long a relay may hold claimed outbox rows before another relay takes them over. */
const OUTBOX_LEASE_SECONDS = 30;

type Row = Record<string, unknown>;

const MESSAGE_COLUMNS = `message_id, case_number, collaboration_id, sender, recipient, message_type, contract_id,
  contract_version, envelope, envelope_digest, body_digest, sent_at, accepted_at, receipt_id, receipt, status,
  queued_at, delivered_at, acknowledged_at, dead_lettered_at, dead_letter_reason, replay_count,
  delivered_contract_version, conversion`;

/** Parameters for MESSAGE_COLUMNS, in order; `$1…$24` in the statements below. */
function messageParams(m: StoredMessage): unknown[] {
  return [
    m.messageId, m.caseNumber, m.collaborationId, m.sender, m.recipient, m.messageType, m.contractId,
    m.contractVersion, m.envelope, m.envelopeDigest, m.bodyDigest, m.sentAt, m.acceptedAt, m.receiptId,
    m.receipt, m.status, m.queuedAt, m.deliveredAt, m.acknowledgedAt, m.deadLetteredAt, m.deadLetterReason,
    m.replayCount, m.deliveredContractVersion, m.conversion,
  ];
}
const MESSAGE_PLACEHOLDERS = Array.from({ length: 24 }, (_, i) => `$${i + 1}`).join(',');

function toMessage(r: Row): StoredMessage {
  return {
    messageId: r.message_id as string,
    caseNumber: r.case_number as string,
    collaborationId: r.collaboration_id as string,
    sender: r.sender as string,
    recipient: r.recipient as string,
    messageType: r.message_type as string,
    contractId: r.contract_id as string,
    contractVersion: r.contract_version as string,
    envelope: r.envelope as string,
    envelopeDigest: r.envelope_digest as string,
    bodyDigest: r.body_digest as string,
    sentAt: r.sent_at as Date,
    acceptedAt: r.accepted_at as Date,
    receiptId: r.receipt_id as string,
    receipt: r.receipt as string,
    status: r.status as MessageStatus,
    queuedAt: (r.queued_at as Date | null) ?? null,
    deliveredAt: (r.delivered_at as Date | null) ?? null,
    acknowledgedAt: (r.acknowledged_at as Date | null) ?? null,
    deadLetteredAt: (r.dead_lettered_at as Date | null) ?? null,
    deadLetterReason: (r.dead_letter_reason as string | null) ?? null,
    replayCount: Number(r.replay_count),
    deliveredContractVersion: r.delivered_contract_version as string,
    conversion: (r.conversion as string | null) ?? null,
  };
}

function toCase(r: Row): CaseRecord {
  return {
    caseNumber: r.case_number as string,
    collaborationId: r.collaboration_id as string,
    collectingDistrict: r.collecting_district as string,
    approvingDistrict: r.approving_district as string,
    agreementId: r.agreement_id as string,
    itemCode: r.item_code as string,
    itemName: r.item_name as string,
    contractVersion: r.contract_version as string,
    state: r.state as CaseState,
    caseType: r.case_type as string,
    suspensionKind: (r.suspension_kind as string | null) ?? null,
    receivedAt: (r.received_at as Date | null) ?? null,
    supplementNoticeDueAt: (r.supplement_notice_due_at as Date | null) ?? null,
    acceptedAt: (r.accepted_at as Date | null) ?? null,
    promisedDueAt: (r.promised_due_at as Date | null) ?? null,
    statutoryDueAt: (r.statutory_due_at as Date | null) ?? null,
    suspendedAt: (r.suspended_at as Date | null) ?? null,
    pausedWorkingDays: Number(r.paused_working_days ?? 0),
    deadlineNote: (r.deadline_note as string | null) ?? null,
    toleratedItemsDueAt: (r.tolerated_items_due_at as Date | null) ?? null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

function uniqueViolation(error: unknown): string | null {
  const e = error as { code?: string; driverError?: { code?: string; constraint?: string }; constraint?: string };
  const code = e.driverError?.code ?? e.code;
  return code === UNIQUE_VIOLATION ? (e.driverError?.constraint ?? e.constraint ?? 'unknown') : null;
}

/**
 * The HandoffStore on PostgreSQL through TypeORM. Plain SQL on purpose: every hot-path method is one
 * short transaction with set-based statements, and counts come back through `WITH … SELECT` so the
 * same code runs on PostgreSQL and on embedded PGlite.
 */
export class TypeOrmHandoffStore extends HandoffStore {
  constructor(private readonly db: DataSource) {
    super();
  }

  async findMessage(messageId: string): Promise<StoredMessage | null> {
    const rows: Row[] = await this.db.query(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE message_id = $1`, [messageId]);
    return rows.length ? toMessage(rows[0]) : null;
  }

  async listCaseMessages(caseNumber: string): Promise<StoredMessage[]> {
    const rows: Row[] = await this.db.query(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE case_number = $1 ORDER BY accepted_at, message_id`, [
      caseNumber,
    ]);
    return rows.map(toMessage);
  }

  async listCases(f: CaseListFilter): Promise<CaseRecord[]> {
    // (collecting_district|approving_district, created_at DESC, case_number DESC) indexes serve every
    // filter combination as a range scan; a page never counts or offsets through the whole list.
    const mine = f.direction === 'outgoing' ? 'collecting_district' : 'approving_district';
    const theirs = f.direction === 'outgoing' ? 'approving_district' : 'collecting_district';
    const params: unknown[] = [f.district];
    const where = [`${mine} = $1`];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (f.partner) add((p) => `${theirs} = ${p}`, f.partner);
    if (f.state) add((p) => `state = ${p}`, f.state);
    if (f.itemCode) add((p) => `item_code = ${p}`, f.itemCode);
    if (f.overdueAt) add((p) => `promised_due_at < ${p} AND state NOT IN ('NOT_ACCEPTED', 'DELIVERED', 'WITHDRAWN', 'TERMINATED')`, f.overdueAt);
    if (f.before) {
      params.push(f.before.createdAt, f.before.caseNumber);
      where.push(`(created_at, case_number) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(f.limit);
    const rows: Row[] = await this.db.query(
      `SELECT * FROM cases WHERE ${where.join(' AND ')} ORDER BY created_at DESC, case_number DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toCase);
  }

  async findCase(caseNumber: string): Promise<CaseRecord | null> {
    const rows: Row[] = await this.db.query(`SELECT * FROM cases WHERE case_number = $1`, [caseNumber]);
    return rows.length ? toCase(rows[0]) : null;
  }

  async commitAccepted(m: StoredMessage, change: CaseChange, materialDigests: readonly string[] = []): Promise<void> {
    try {
      if (change.kind === 'open' && materialDigests.length === 0) return await this.commitOpening(this.db, m, change.record);
      await this.db.transaction(async (em) => {
        if (change.kind === 'open') {
          await this.commitOpening(em, m, change.record);
        } else {
          await this.applyTransition(em, change);
          await em.query(`INSERT INTO messages (${MESSAGE_COLUMNS}) VALUES (${MESSAGE_PLACEHOLDERS})`, messageParams(m));
          await em.query(`INSERT INTO outbox (message_id, recipient, message_type, created_at) VALUES ($1, $2, $3, $4)`, [
            m.messageId, m.recipient, m.messageType, m.acceptedAt,
          ]);
        }
        // Lets both parties of the case download what the message references.
        for (const digest of materialDigests) {
          await em.query(
            `INSERT INTO material_cases (sha256, case_number, linked_at) SELECT sha256, $2, $3 FROM materials WHERE sha256 = $1 ON CONFLICT DO NOTHING`,
            [digestHex(digest), m.caseNumber, m.acceptedAt],
          );
        }
      });
    } catch (error) {
      const constraint = uniqueViolation(error);
      if (constraint === 'messages_pkey') throw new DuplicateMessageError(m.messageId);
      if (constraint === 'cases_pkey') throw new DuplicateCaseError(m.caseNumber, 'caseNumber');
      if (constraint === 'cases_collaboration_idx') throw new DuplicateCaseError(m.caseNumber, 'collaborationId');
      throw error;
    }
  }

  /**
   * A message that opens a case: case, message and outbox row in ONE statement (data-modifying
   * CTEs are atomic, foreign keys are checked at its end), so one round trip instead of five
   * (BEGIN, three INSERTs, COMMIT). This is the hot path of every submission.
   */
  private async commitOpening(db: Pick<EntityManager, 'query'>, m: StoredMessage, c: CaseRecord): Promise<void> {
    await db.query(
      `WITH opened AS (
         INSERT INTO cases (case_number, collaboration_id, collecting_district, approving_district, agreement_id, item_code,
           item_name, contract_version, state, created_at, updated_at, case_type) VALUES ($25,$26,$27,$28,$29,$30,$31,$32,$33,$34,$35,$36)),
       message AS (
         INSERT INTO messages (${MESSAGE_COLUMNS}) VALUES (${MESSAGE_PLACEHOLDERS}))
       INSERT INTO outbox (message_id, recipient, message_type, created_at) VALUES ($1, $5, $6, $13)`,
      [
        ...messageParams(m),
        c.caseNumber, c.collaborationId, c.collectingDistrict, c.approvingDistrict, c.agreementId, c.itemCode, c.itemName,
        c.contractVersion, c.state, c.createdAt, c.updatedAt, c.caseType,
      ],
    );
  }

  /** Compare-and-set on the state: of two conflicting messages racing on one case exactly one wins. */
  private async applyTransition(em: EntityManager, change: Extract<CaseChange, { kind: 'transition' }>): Promise<void> {
    const params: unknown[] = [change.caseNumber, change.from, change.to, change.at];
    const sets = Object.entries(change.set ?? {})
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => {
        params.push(value);
        return `${CASE_UPDATE_COLUMNS[key as keyof CaseUpdate]} = $${params.length}`;
      });
    const [{ n }] = await em.query(
      `WITH u AS (UPDATE cases SET state = $3, updated_at = $4, version = version + 1${sets.map((x) => `, ${x}`).join('')}
                  WHERE case_number = $1 AND state = $2 RETURNING 1)
       SELECT count(*)::int AS n FROM u`,
      params,
    );
    if (n !== 1) {
      const rows: Row[] = await em.query(`SELECT state FROM cases WHERE case_number = $1`, [change.caseNumber]);
      throw new CaseConflictError(change.caseNumber, rows.length ? (rows[0].state as CaseState) : null);
    }
  }

  async findDueDeadlines(now: Date, warningShare: number, limit: number): Promise<DueDeadline[]> {
    // One row per (case, limit, kind) that is due: a paused (SUSPENDED) or finished case waits; the
    // supplement-notice rule only runs until the case is accepted or refused.
    const rows: Row[] = await this.db.query(
      `WITH limits AS (
         SELECT c.case_number, c.collaboration_id, c.collecting_district, c.approving_district, c.state,
                l.deadline, l.started_at, l.due_at
         FROM cases c
         CROSS JOIN LATERAL (VALUES
           ('SUPPLEMENT_NOTICE', c.received_at, CASE WHEN c.state IN ('ACKNOWLEDGED') THEN c.supplement_notice_due_at END),
           ('PROMISED', c.accepted_at, c.promised_due_at),
           ('STATUTORY', c.accepted_at, c.statutory_due_at),
           ('TOLERATED_ITEMS', c.accepted_at, c.tolerated_items_due_at)) AS l(deadline, started_at, due_at)
         WHERE l.due_at IS NOT NULL AND l.started_at IS NOT NULL
           AND c.state NOT IN ('SUSPENDED', 'NOT_ACCEPTED', 'DELIVERED', 'WITHDRAWN', 'TERMINATED',
                               'APPROVED', 'DENIED', 'CONCLUDED', 'RESULT_RETURNED', 'RESULT_IN_TRANSIT')),
       due AS (
         SELECT limits.*, k.kind FROM limits
         CROSS JOIN LATERAL (VALUES
           ('WARNING', started_at + (due_at - started_at) * $2::float8),
           ('OVERDUE', due_at)) AS k(kind, fires_at)
         -- A warning is only worth sending before the limit runs out; after that the overdue event says it all.
         WHERE k.fires_at <= $1 AND (k.kind = 'OVERDUE' OR due_at > $1))
       SELECT d.* FROM due d
       WHERE NOT EXISTS (SELECT 1 FROM deadline_events e WHERE e.case_number = d.case_number AND e.deadline = d.deadline AND e.kind = d.kind)
       ORDER BY d.due_at LIMIT $3`,
      [now, warningShare, limit],
    );
    return rows.map((r) => ({
      caseNumber: r.case_number as string,
      collaborationId: r.collaboration_id as string,
      collectingDistrict: r.collecting_district as string,
      approvingDistrict: r.approving_district as string,
      deadline: r.deadline as DueDeadline['deadline'],
      kind: r.kind as DueDeadline['kind'],
      state: r.state as CaseState,
      startedAt: r.started_at as Date,
      dueAt: r.due_at as Date,
    }));
  }

  async recordDeadlineEvent(event: DueDeadline, at: Date, messages: StoredMessage[], terminate?: { from: CaseState }): Promise<boolean> {
    return this.db.transaction(async (em) => {
      if (terminate) {
        // The gateway ends the case itself (容缺 items never came): same compare-and-set as any step.
        await this.applyTransition(em, {
          kind: 'transition',
          caseNumber: event.caseNumber,
          from: terminate.from,
          to: CaseState.TERMINATED,
          at,
          set: { toleratedItemsDueAt: null, suspendedAt: null, suspensionKind: null },
        });
      }
      const inserted: Row[] = await em.query(
        `INSERT INTO deadline_events (case_number, deadline, kind, due_at, emitted_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING RETURNING case_number`,
        [event.caseNumber, event.deadline, event.kind, event.dueAt, at],
      );
      if (inserted.length === 0) return false; // another worker announced it first
      for (const m of messages) {
        await em.query(`INSERT INTO messages (${MESSAGE_COLUMNS}) VALUES (${MESSAGE_PLACEHOLDERS})`, messageParams(m));
        await em.query(`INSERT INTO outbox (message_id, recipient, message_type, created_at) VALUES ($1, $2, $3, $4)`, [
          m.messageId, m.recipient, m.messageType, m.acceptedAt,
        ]);
      }
      return true;
    });
  }

  async recordRejection(r: Rejection): Promise<void> {
    await this.db.query(
      `INSERT INTO rejections (received_at, peer, code, message_id, envelope_digest, size_bytes, detail) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
      [r.receivedAt, r.peer, r.code, r.messageId, r.envelopeDigest, r.sizeBytes, r.detail],
    );
  }

  async relayOutbox(limit: number, publish: (items: OutboxItem[]) => Promise<void>, at: Date): Promise<number> {
    // Claim with a lease instead of holding a transaction open while the broker confirms.
    const claimed: Row[] = await this.db.query(
      `WITH claimed AS (
         UPDATE outbox SET claimed_until = $2::timestamptz + make_interval(secs => $3)
         WHERE id IN (SELECT id FROM outbox WHERE claimed_until IS NULL OR claimed_until < $2
                      ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING id, message_id, recipient, message_type)
       SELECT c.id, c.message_id, c.recipient, c.message_type, m.envelope
       FROM claimed c JOIN messages m USING (message_id) ORDER BY c.id`,
      [limit, at, OUTBOX_LEASE_SECONDS],
    );
    if (claimed.length === 0) return 0;
    const ids = claimed.map((r) => String(r.id));
    try {
      await publish(
        claimed.map((r) => ({
          outboxId: String(r.id),
          messageId: r.message_id as string,
          recipient: r.recipient as string,
          messageType: r.message_type as string,
          envelope: r.envelope as string,
        })),
      );
    } catch (error) {
      await this.db.query(`UPDATE outbox SET claimed_until = NULL WHERE id = ANY($1::bigint[])`, [ids]);
      throw error;
    }
    await this.db.transaction(async (em) => {
      await em.query(`DELETE FROM outbox WHERE id = ANY($1::bigint[])`, [ids]);
      // Lock in message_id order: the worker may already have delivered some of these and the
      // recipient be acknowledging them (acknowledgeInbox locks the same rows in the same order).
      await em.query(
        `WITH locked AS MATERIALIZED (
           SELECT message_id FROM messages WHERE message_id = ANY($1::uuid[]) ORDER BY message_id FOR UPDATE)
         UPDATE messages m SET queued_at = coalesce(m.queued_at, $2),
                status = CASE WHEN m.status = 'ACCEPTED' THEN 'QUEUED' ELSE m.status END
         FROM locked WHERE m.message_id = locked.message_id`,
        [claimed.map((r) => r.message_id), at],
      );
    });
    return claimed.length;
  }

  /** The worker's inbox row and the message's new status in one statement (one round trip, atomic). */
  async recordDelivery(
    delivery: { messageId: string; recipient: string; envelopeDigest: string },
    channel: 'PULL' | 'PUSH',
    at: Date,
    acknowledged: boolean,
  ): Promise<boolean> {
    const [{ n }] = await this.db.query(
      `WITH inserted AS (
         INSERT INTO deliveries (message_id, recipient, channel, delivered_at, acknowledged_at)
         SELECT message_id, recipient, $2::text, $3::timestamptz, $4::timestamptz FROM messages
         WHERE message_id = $1 AND recipient = $6 AND envelope_digest = $7
         ON CONFLICT (message_id) DO NOTHING RETURNING message_id),
       marked AS (
         UPDATE messages m SET status = $5, delivered_at = $3, acknowledged_at = $4, dead_lettered_at = NULL, dead_letter_reason = NULL
         FROM inserted WHERE m.message_id = inserted.message_id)
       SELECT count(*)::int AS n FROM inserted`,
      [
        delivery.messageId, channel, at, acknowledged ? at : null, acknowledged ? MessageStatus.ACKNOWLEDGED : MessageStatus.DELIVERED,
        delivery.recipient, delivery.envelopeDigest,
      ],
    );
    return n === 1;
  }

  async pullInbox(recipient: string, afterSeq: string | null, limit: number): Promise<InboxItem[]> {
    const rows: Row[] = await this.db.query(
      `SELECT d.seq, d.message_id, d.delivered_at, m.message_type, m.sender, m.case_number, m.envelope, m.receipt,
              m.contract_id, m.delivered_contract_version, m.conversion
       FROM deliveries d JOIN messages m USING (message_id)
       WHERE d.recipient = $1 AND d.acknowledged_at IS NULL AND ($2::bigint IS NULL OR d.seq > $2::bigint)
       ORDER BY d.seq LIMIT $3`,
      [recipient, afterSeq, limit],
    );
    return rows.map((r) => ({
      seq: String(r.seq),
      messageId: r.message_id as string,
      messageType: r.message_type as string,
      contract: `${r.contract_id as string}@${r.delivered_contract_version as string}`,
      conversion: (r.conversion as string | null) ?? null,
      sender: r.sender as string,
      caseNumber: r.case_number as string,
      envelope: r.envelope as string,
      receipt: r.receipt as string,
      deliveredAt: r.delivered_at as Date,
    }));
  }

  async acknowledgeInbox(recipient: string, messageIds: string[], at: Date): Promise<string[]> {
    if (messageIds.length === 0) return [];
    const rows: Row[] = await this.db.query(
      // Messages rows are locked in message_id order, as relayOutbox does: two batch updates
      // that lock overlapping rows in different orders deadlock.
      `WITH acked AS (
         UPDATE deliveries SET acknowledged_at = $3
         WHERE recipient = $1 AND message_id = ANY($2::uuid[]) AND acknowledged_at IS NULL RETURNING message_id),
       locked AS MATERIALIZED (
         SELECT message_id FROM messages WHERE message_id IN (SELECT message_id FROM acked) ORDER BY message_id FOR UPDATE),
       marked AS (
         UPDATE messages m SET status = 'ACKNOWLEDGED', acknowledged_at = $3 FROM locked
         WHERE m.message_id = locked.message_id RETURNING m.message_id)
       SELECT message_id FROM marked`,
      [recipient, messageIds, at],
    );
    return rows.map((r) => r.message_id as string);
  }

  async markDeadLettered(messageId: string, reason: string, at: Date): Promise<boolean> {
    const [{ n }] = await this.db.query(
      `WITH u AS (UPDATE messages SET status = 'DEAD_LETTERED', dead_lettered_at = $3, dead_letter_reason = $2
                  WHERE message_id = $1 AND status IN ('ACCEPTED', 'QUEUED') RETURNING 1)
       SELECT count(*)::int AS n FROM u`,
      [messageId, reason.slice(0, 2000), at],
    );
    return n === 1;
  }

  async listDeadLettered(limit: number, recipient?: string): Promise<StoredMessage[]> {
    const rows: Row[] = await this.db.query(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE status = 'DEAD_LETTERED' AND ($2::text IS NULL OR recipient = $2)
       ORDER BY dead_lettered_at DESC LIMIT $1`,
      [limit, recipient ?? null],
    );
    return rows.map(toMessage);
  }

  async replay(messageId: string, actor: string, at: Date): Promise<boolean> {
    return this.db.transaction(async (em) => {
      const rows: Row[] = await em.query(
        `WITH u AS (UPDATE messages SET status = 'ACCEPTED', replay_count = replay_count + 1, dead_lettered_at = NULL,
                    dead_letter_reason = NULL WHERE message_id = $1 AND status = 'DEAD_LETTERED' RETURNING recipient, message_type)
         SELECT recipient, message_type FROM u`,
        [messageId],
      );
      if (rows.length === 0) return false;
      await em.query(`INSERT INTO outbox (message_id, recipient, message_type, created_at) VALUES ($1, $2, $3, $4)`, [
        messageId, rows[0].recipient, rows[0].message_type, at,
      ]);
      await em.query(`INSERT INTO admin_actions (at, actor, action, target, outcome) VALUES ($1, $2, 'dead-letter.replay', $3, 'OK')`, [
        at, actor, messageId,
      ]);
      return true;
    });
  }

  async recordAdminAction(a: { at: Date; actor: string; action: string; target: string; outcome: string }): Promise<void> {
    await this.db.query(`INSERT INTO admin_actions (at, actor, action, target, outcome) VALUES ($1,$2,$3,$4,$5)`, [
      a.at, a.actor, a.action, a.target, a.outcome,
    ]);
  }
}
