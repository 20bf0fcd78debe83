import { Client } from 'pg';

/** Direct reads of the suite's own database, for reconciliation from the gateway's end. */

export async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/**
 * Test instrumentation, not product code: an AFTER INSERT trigger on `deliveries` that notes the
 * application_name of the session that committed each inbox row. Every process connects with its own
 * name (see withApplicationName), so this tells which worker did which delivery. A rolled-back
 * delivery rolls its audit row back with it; a deduplicated one (ON CONFLICT DO NOTHING) inserts none.
 */
export async function installDeliveryAudit(url: string): Promise<void> {
  await withClient(url, async (c) => {
    await c.query(`CREATE TABLE fault_delivery_audit (message_id text NOT NULL, worker text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`);
    await c.query(`CREATE FUNCTION fault_delivery_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO fault_delivery_audit (message_id, worker) VALUES (NEW.message_id::text, current_setting('application_name'));
        RETURN NULL;
      END $$`);
    await c.query(`CREATE TRIGGER fault_delivery_audit AFTER INSERT ON deliveries FOR EACH ROW EXECUTE FUNCTION fault_delivery_audit()`);
    // BEFORE triggers fire for every row an INSERT proposes, also the ones ON CONFLICT DO NOTHING then
    // drops: attempts minus rows = broker deliveries that the inbox deduplicated (committed ones only).
    await c.query(`CREATE TABLE fault_delivery_attempts (message_id text NOT NULL, worker text NOT NULL)`);
    await c.query(`CREATE FUNCTION fault_delivery_attempt() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO fault_delivery_attempts (message_id, worker) VALUES (NEW.message_id::text, current_setting('application_name'));
        RETURN NEW;
      END $$`);
    await c.query(`CREATE TRIGGER fault_delivery_attempt BEFORE INSERT ON deliveries FOR EACH ROW EXECUTE FUNCTION fault_delivery_attempt()`);
  });
}

export interface DatabaseCounts {
  messages: number;
  deliveries: number;
  distinctDelivered: number;
  unacknowledgedDeliveries: number;
  outbox: number;
  byStatus: Record<string, number>;
  /** worker application_name -> deliveries it committed */
  byWorker: Record<string, number>;
  messageIds: Set<string>;
  /** recipient -> message ids with a deliveries row */
  deliveredTo: Map<string, Set<string>>;
  /** inbox inserts the dedupe turned into no-ops (the same message delivered again by the broker) */
  deduplicated: number;
  /** deliveries rows whose recipient differs from the message's */
  misrouted: number;
}

export async function databaseCounts(url: string): Promise<DatabaseCounts> {
  return withClient(url, async (c) => {
    const one = async (sql: string): Promise<number> => Number((await c.query(sql)).rows[0].n);
    const byStatus: Record<string, number> = {};
    for (const r of (await c.query(`SELECT status, count(*)::int AS n FROM messages GROUP BY status`)).rows) byStatus[r.status] = r.n;
    const byWorker: Record<string, number> = {};
    for (const r of (await c.query(`SELECT worker, count(*)::int AS n FROM fault_delivery_audit GROUP BY worker ORDER BY worker`)).rows) byWorker[r.worker] = r.n;
    const messageIds = new Set<string>((await c.query(`SELECT message_id::text AS id FROM messages`)).rows.map((r) => r.id as string));
    const deliveredTo = new Map<string, Set<string>>();
    for (const r of (await c.query(`SELECT recipient, message_id::text AS id FROM deliveries`)).rows) {
      const set = deliveredTo.get(r.recipient) ?? new Set<string>();
      set.add(r.id);
      deliveredTo.set(r.recipient, set);
    }
    return {
      messages: await one(`SELECT count(*)::int AS n FROM messages`),
      deliveries: await one(`SELECT count(*)::int AS n FROM deliveries`),
      distinctDelivered: await one(`SELECT count(DISTINCT message_id)::int AS n FROM deliveries`),
      unacknowledgedDeliveries: await one(`SELECT count(*)::int AS n FROM deliveries WHERE acknowledged_at IS NULL`),
      outbox: await one(`SELECT count(*)::int AS n FROM outbox`),
      byStatus,
      byWorker,
      messageIds,
      deliveredTo,
      deduplicated: (await one(`SELECT count(*)::int AS n FROM fault_delivery_attempts`)) - (await one(`SELECT count(*)::int AS n FROM deliveries`)),
      misrouted: await one(`SELECT count(*)::int AS n FROM deliveries d JOIN messages m USING (message_id) WHERE d.recipient <> m.recipient`),
    };
  });
}

export async function outboxCount(url: string): Promise<number> {
  return withClient(url, async (c) => Number((await c.query(`SELECT count(*)::int AS n FROM outbox`)).rows[0].n));
}
