import type { AppConfig } from '@tongban/config';
import { ContractRegistry } from '@tongban/contracts';
import { canonicalJson, decodeEnvelope, KeyRing, sha256Digest, signReceipt, SigningKey, verifyEnvelope } from '@tongban/envelope';
import { amqpTopology, districtRoutingKey } from '@tongban/messaging';
import { loadKeyRing } from '@tongban/runtime';
import * as amqp from 'amqplib';
import type { ConsumeMessage } from 'amqplib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { sleep } from './latency';
import { HandoffTracker, LoadClock, runLoadSchedule } from './tracker';
import { Pair, SubmissionFactory } from './traffic';

export interface BareOptions {
  config: AppConfig;
  rootDir: string;
  pkiDir: string;
  databaseUrl: string;
  amqpUrl: string;
  amqpPrefix: string;
  districts: string[];
  pairs: Pair[];
  concurrency: number;
  warmupS: number;
  durationS: number;
  drainS: number;
  idlePollMs: number;
  pullLimit: number;
  /** Same as the gateway's: pg pool size, outbox batch, consumer prefetch. */
  poolSize: number;
  onWindow?: (edge: 'start' | 'end') => void;
  /** Polled by the loops: true stops the load (and the drain) early. */
  stop?: () => boolean;
}

const MESSAGE_COLUMNS = `message_id, case_number, collaboration_id, sender, recipient, message_type, contract_id,
  contract_version, envelope, envelope_digest, body_digest, sent_at, accepted_at, receipt_id, receipt, status,
  queued_at, delivered_at, acknowledged_at, dead_lettered_at, dead_letter_reason, replay_count,
  delivered_contract_version, conversion`;

/**
 * The same hand-off with no framework, in this one process: the sender signs (jose), the "gateway"
 * verifies, validates the payload against the compiled contract and signs a receipt, then commits
 * case + message + outbox row in one PostgreSQL transaction (plain `pg`, the same rows and SQL as
 * TypeOrmHandoffStore, but without the gateway's three look-ups before it); a relay claims outbox rows in batches, publishes them persistent with
 * publisher confirms (amqplib, noDelay) to the same quorum-queue topology and deletes them; a
 * consumer per district queue (same prefetch) re-verifies and commits the inbox row in its own
 * transaction before acking; each recipient reads its inbox with the same SELECT and acknowledges
 * with the same UPDATE. No HTTP, TLS, NestJS, TypeORM or message-bus abstraction.
 */
export async function runBarePipeline(opts: BareOptions): Promise<HandoffTracker> {
  const { config } = opts;
  const tracker = new HandoffTracker();
  const keys: KeyRing = loadKeyRing(config);
  const contracts = ContractRegistry.loadFromDirectory(join(opts.rootDir, 'contracts'));
  const gatewayJwk = JSON.parse(readFileSync(config.pki.gatewaySigningPrivateJwk, 'utf8'));
  const gatewayKey: SigningKey = { kid: gatewayJwk.kid, alg: gatewayJwk.alg, privateJwk: gatewayJwk };
  const factory = new SubmissionFactory(config, opts.pkiDir, opts.districts);
  const pool = new Pool({ connectionString: opts.databaseUrl, max: opts.poolSize });
  const topology = amqpTopology(opts.amqpPrefix, opts.districts, {
    deliveryLimit: config.delivery.deliveryLimit,
    backoffSeconds: [...config.delivery.backoffSeconds],
  });
  const conn = await amqp.connect(opts.amqpUrl, { noDelay: true });
  // No reconnection here: losing the broker ends the phase with an error instead of a crash.
  let closing = false;
  let brokerLost = false;
  const lost = (why: string) => {
    if (closing || brokerLost) return;
    brokerLost = true;
    tracker.failed(undefined, `bare: ${why}`);
  };
  conn.on('error', (error: Error) => lost(`broker connection error: ${error.message}`));
  conn.on('close', () => lost('broker connection closed'));
  const pub = await conn.createConfirmChannel();
  pub.on('error', (error: Error) => lost(`publish channel error: ${error.message}`));
  for (const e of topology.exchanges) await pub.assertExchange(e.name, e.type, e.options);
  for (const q of topology.queues) await pub.assertQueue(q.name, q.options);
  for (const b of topology.bindings) await pub.bindQueue(b.queue, b.exchange, b.routingKey);
  const sub = await conn.createChannel();
  sub.on('error', (error: Error) => lost(`consume channel error: ${error.message}`));
  const settle = (msg: ConsumeMessage, ok: boolean) => {
    try {
      if (ok) sub.ack(msg);
      else sub.nack(msg, false, true);
    } catch {
      // channel gone: the broker redelivers; `lost` has recorded the failure
    }
  };
  await sub.prefetch(config.delivery.prefetch);

  // The gateway run left its rows; start from the same empty tables (deadline_events references cases).
  await pool.query('TRUNCATE deliveries, outbox, messages, deadline_events, cases, rejections RESTART IDENTITY');

  const inTx = async <T>(work: (q: (sql: string, params: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work((sql, params) => client.query(sql, params));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };

  // ---- accept: verify, validate, receipt, one transaction ----
  const accept = async (envelope: string): Promise<void> => {
    const decoded = decodeEnvelope(envelope);
    await verifyEnvelope(decoded, keys);
    const { body, contract } = decoded;
    const violations = contracts.validate(contract.id, contract.version, body.payload);
    if (violations.length > 0) throw new Error(`schema violation ${violations[0].pointer}`);
    const item = (body.payload as { item: { implementationCode: string } }).item;
    const covered = config.alliance.findAgreement(body.sender, body.recipient, item.implementationCode);
    if (!covered) throw new Error('not in agreement');
    const at = new Date();
    const receiptId = uuidv7();
    const receipt = await signReceipt(
      {
        receiptId,
        messageId: body.messageId,
        envelopeDigest: decoded.digest,
        sender: body.sender,
        recipient: body.recipient,
        caseNumber: body.caseNumber,
        receivedAt: at.toISOString(),
        gateway: config.gatewayId,
        status: 'ACCEPTED',
      },
      gatewayKey,
    );
    // One transaction: the same single statement as TypeOrmHandoffStore.commitAccepted for a new case.
    await pool.query(
      `WITH opened AS (
         INSERT INTO cases (case_number, collaboration_id, collecting_district, approving_district, agreement_id, item_code,
           item_name, contract_version, state, created_at, updated_at, case_type) VALUES ($2,$3,$4,$5,$25,$26,$27,$8,'DISPATCHED',$13,$13,$28)),
       message AS (
         INSERT INTO messages (${MESSAGE_COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24))
       INSERT INTO outbox (message_id, recipient, message_type, created_at) VALUES ($1, $5, $6, $13)`,
      [body.messageId, body.caseNumber, body.collaborationId, body.sender, body.recipient, body.messageType, contract.id,
        contract.version, envelope, decoded.digest, sha256Digest(canonicalJson(body)), new Date(body.sentAt), at, receiptId,
        receipt, 'ACCEPTED', null, null, null, null, null, 0, contract.version, null,
        covered.agreement.id, covered.item.implementationCode, covered.item.name, (body.payload as { caseType?: string }).caseType ?? '2'],
    );
  };

  // ---- relay: claim a batch, confirmed publish, delete ----
  let relayRunning = false;
  let relayWanted = false;
  let relayStopped = false;
  const relayOnce = async (): Promise<number> => {
    const at = new Date();
    const { rows } = await pool.query(
      `WITH claimed AS (
         UPDATE outbox SET claimed_until = $2::timestamptz + make_interval(secs => 30)
         WHERE id IN (SELECT id FROM outbox WHERE claimed_until IS NULL OR claimed_until < $2
                      ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING id, message_id, recipient, message_type)
       SELECT c.id, c.message_id, c.recipient, c.message_type, m.envelope
       FROM claimed c JOIN messages m USING (message_id) ORDER BY c.id`,
      [config.outbox.batchSize, at],
    );
    if (rows.length === 0) return 0;
    await Promise.all(
      rows.map(
        (r) =>
          new Promise<void>((resolve, reject) => {
            pub.publish(
              topology.handoffExchange,
              districtRoutingKey(r.recipient as string),
              Buffer.from(r.envelope as string, 'utf8'),
              { persistent: true, mandatory: true, messageId: r.message_id as string, type: r.message_type as string, contentType: 'application/jose' },
              (err: unknown) => (err ? reject(new Error('broker nacked')) : resolve()),
            );
          }),
      ),
    );
    await inTx(async (q) => {
      await q(`DELETE FROM outbox WHERE id = ANY($1::bigint[])`, [rows.map((r) => String(r.id))]);
      await q(
        `WITH locked AS MATERIALIZED (
           SELECT message_id FROM messages WHERE message_id = ANY($1::uuid[]) ORDER BY message_id FOR UPDATE)
         UPDATE messages m SET queued_at = coalesce(m.queued_at, $2),
                status = CASE WHEN m.status = 'ACCEPTED' THEN 'QUEUED' ELSE m.status END
         FROM locked WHERE m.message_id = locked.message_id`,
        [rows.map((r) => r.message_id), at],
      );
    });
    return rows.length;
  };
  const kickRelay = (): void => {
    if (relayStopped) return;
    if (relayRunning) {
      relayWanted = true;
      return;
    }
    relayRunning = true;
    void (async () => {
      try {
        do {
          relayWanted = false;
          while ((await relayOnce()) === config.outbox.batchSize);
        } while (relayWanted && !relayStopped);
      } catch (error) {
        tracker.failed(undefined, `bare relay: ${(error as Error).message}`);
      } finally {
        relayRunning = false;
      }
    })();
  };
  const relayTimer = setInterval(kickRelay, config.outbox.pollIntervalMs);

  // ---- consume: re-verify, inbox transaction, then ack ----
  let consuming = 0;
  const consume = async (msg: ConsumeMessage): Promise<void> => {
    consuming += 1;
    try {
      const envelope = msg.content.toString('utf8');
      const decoded = decodeEnvelope(envelope);
      await verifyEnvelope(decoded, keys);
      const at = new Date();
      await pool.query(
        `WITH inserted AS (
           INSERT INTO deliveries (message_id, recipient, channel, delivered_at, acknowledged_at)
           SELECT message_id, recipient, 'PULL', $2::timestamptz, NULL FROM messages WHERE message_id = $1
           ON CONFLICT (message_id) DO NOTHING RETURNING message_id),
         marked AS (
           UPDATE messages m SET status = 'DELIVERED', delivered_at = $2, acknowledged_at = NULL, dead_lettered_at = NULL, dead_letter_reason = NULL
           FROM inserted WHERE m.message_id = inserted.message_id)
         SELECT count(*)::int AS n FROM inserted`,
        [decoded.body.messageId, at],
      );
      settle(msg, true);
    } catch (error) {
      tracker.failed(undefined, `bare consumer: ${(error as Error).message}`);
      settle(msg, false);
    } finally {
      consuming -= 1;
    }
  };
  const consumerTags: string[] = [];
  for (const id of opts.districts) {
    const { consumerTag } = await sub.consume(topology.districtQueues[id], (msg) => msg && void consume(msg), { noAck: false });
    consumerTags.push(consumerTag);
  }

  // ---- senders and pullers, as in the gateway run ----
  const sendLoop = async (index: number, clock: LoadClock): Promise<void> => {
    const pair = opts.pairs[index % opts.pairs.length];
    while (clock.sending()) {
      let messageId: string | undefined;
      try {
        const next = await factory.next(pair);
        messageId = next.messageId;
        tracker.submitted(messageId);
        await accept(next.envelope);
        tracker.acceptedOk();
        kickRelay();
      } catch (error) {
        tracker.failed(messageId, `bare accept: ${(error as Error).message}`);
        await sleep(50);
      }
    }
  };

  const pullLoop = async (district: string, clock: LoadClock): Promise<void> => {
    while (clock.pulling()) {
      try {
        const { rows } = await pool.query(
          `SELECT d.seq, d.message_id, d.delivered_at, m.message_type, m.sender, m.case_number, m.envelope, m.receipt
           FROM deliveries d JOIN messages m USING (message_id)
           WHERE d.recipient = $1 AND d.acknowledged_at IS NULL AND ($2::bigint IS NULL OR d.seq > $2::bigint)
           ORDER BY d.seq LIMIT $3`,
          [district, null, opts.pullLimit],
        );
        if (rows.length === 0) {
          await sleep(opts.idlePollMs);
          continue;
        }
        // What the API does with the page: serialise it (the recipient parses it).
        const page = JSON.parse(JSON.stringify({ items: rows.map((r) => ({ ...r, seq: String(r.seq) })) })) as { items: Array<{ message_id: string }> };
        for (const item of page.items) tracker.deliveredTo(item.message_id);
        const acked = await pool.query(
          `WITH acked AS (
             UPDATE deliveries SET acknowledged_at = $3
             WHERE recipient = $1 AND message_id = ANY($2::uuid[]) AND acknowledged_at IS NULL RETURNING message_id),
           locked AS MATERIALIZED (
             SELECT message_id FROM messages WHERE message_id IN (SELECT message_id FROM acked) ORDER BY message_id FOR UPDATE),
           marked AS (
             UPDATE messages m SET status = 'ACKNOWLEDGED', acknowledged_at = $3 FROM locked
             WHERE m.message_id = locked.message_id RETURNING m.message_id)
           SELECT message_id FROM marked`,
          [district, page.items.map((i) => i.message_id), new Date()],
        );
        tracker.acknowledgedOk(acked.rows.map((r) => r.message_id as string));
      } catch (error) {
        tracker.failed(undefined, `bare inbox ${district}: ${(error as Error).message}`);
        await sleep(100);
      }
    }
  };

  try {
    // Losing the broker ends the load and the drain like a stop request.
    await runLoadSchedule({ ...opts, label: 'bare', tracker, stop: () => (opts.stop?.() ?? false) || brokerLost }, sendLoop, pullLoop);
  } finally {
    closing = true;
    relayStopped = true;
    clearInterval(relayTimer);
    for (const tag of consumerTags) await sub.cancel(tag).catch(() => undefined);
    for (let i = 0; i < 500 && (relayRunning || consuming > 0); i++) await sleep(10);
    await conn.close().catch(() => undefined);
    await pool.end();
  }
  return tracker;
}
