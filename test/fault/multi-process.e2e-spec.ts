import { eventually } from '../support/harness';
import { FaultCluster } from './cluster';
import { outboxCount } from './database';
import { reconcile } from './reconcile';
import { allPulled, Ledger, MessageFactory, Outgoing, pullLoop, runPool, submitUntilAnswered } from './traffic';

/**
 * Issue 2, point 12: two gateway processes and two worker processes (the built production entry
 * points, started with environment variables only) on one PostgreSQL database and one RabbitMQ
 * prefix deliver every message exactly once to its recipient.
 */
const MESSAGES = 600;
const CONCURRENCY = 16;

describe('two gateway and two worker processes on one PostgreSQL and one RabbitMQ', () => {
  let cluster: FaultCluster;
  let cleanup: (() => Promise<void>) | undefined;
  let setup = '';

  beforeAll(async () => {
    // Waits while the other fault suite holds the machine (see suite-lock.ts).
    const created = await FaultCluster.create('multiproc', 200_000);
    cleanup = created.cleanup;
    cluster = created.cluster!;
    const booting = Date.now();
    await cluster.boot(2);
    setup = `lock wait ${created.lockWaitMs} ms, build+db+pki ${created.setupMs} ms, boot ${Date.now() - booting} ms`;
  }, 240_000);

  afterAll(async () => {
    await cleanup?.();
  }, 60_000);

  it('delivers every message accepted by either gateway exactly once, with both workers doing the work', async () => {
    const started = Date.now();
    const deadline = started + 80_000;
    try {
      // Both workers consume every district queue before any traffic.
      const districtQueues = new Set(cluster.districtIds.map((id) => `${cluster.env.amqpPrefix}.district.${id}`));
      await eventually(async () => {
        const stats = (await cluster.queueStats()).filter((s) => districtQueues.has(s.queue));
        return stats.length === districtQueues.size && stats.every((s) => s.consumers === 2) ? stats : undefined;
      }, 15_000, 200);

      const factory = new MessageFactory(cluster.config, cluster.env.pkiDir);
      const recipients = factory.recipients;
      const messages: Outgoing[] = [];
      for (let i = 0; i < MESSAGES; i++) messages.push(await factory.next());

      const ledger = new Ledger();
      let submitting = true;
      const stop = (): boolean => !submitting && allPulled(ledger, recipients);
      // Recipients pull (alternating gateways) while the senders are still sending.
      const pullers = recipients.map((r) => pullLoop(cluster.districts, ledger, r, { stop, deadline }));
      try {
        await runPool(messages, CONCURRENCY, (m, i) => submitUntilAnswered(cluster.districts, cluster.keys, ledger, m, i % 2, deadline));
      } finally {
        submitting = false;
      }
      await Promise.all(pullers);
      const flowMs = Date.now() - started;

      // Settled: the relays have deleted what they published, and nothing more turns up in any inbox
      // through either gateway.
      await eventually(async () => ((await outboxCount(cluster.env.databaseUrl)) === 0 ? true : undefined), 10_000, 100);
      await new Promise((r) => setTimeout(r, 500));
      for (const r of recipients) {
        for (const gw of [0, 1]) {
          const page = await cluster.districts.client(gw, r).pull(null, 500);
          expect({ r, gw, items: page.body.items.map((i) => i.messageId) }).toEqual({ r, gw, items: [] });
        }
      }

      const result = await reconcile(cluster.env.databaseUrl, ledger, recipients);
      const answers = [...ledger.answers.values()];
      const byGateway = [0, 1].map((g) => answers.filter((a) => a.gateway === g).length);
      const retried = answers.filter((a) => a.networkErrors + a.serverErrors > 0).length;
      console.log(
        `multi-process: ${MESSAGES} sent, ${result.accepted} accepted (gateway-1 ${byGateway[0]}, gateway-2 ${byGateway[1]}, ${retried} retried), ` +
          `${result.pulled} pulled by ${recipients.length} recipients, deliveries ${result.db.deliveries} ` +
          `(${Object.entries(result.db.byWorker).map(([w, n]) => `${w} ${n}`).join(', ')}; ${result.db.deduplicated} deduplicated), outbox ${result.db.outbox}; ` +
          `flow ${flowMs} ms (${Math.round((MESSAGES * 1000) / flowMs)} msg/s end to end); ${setup}`,
      );

      expect(result.problems).toEqual([]);
      expect(answers.every((a) => a.status === 202)).toBe(true);
      expect(result.accepted).toBe(MESSAGES);
      expect(result.db.deliveries).toBe(MESSAGES);
      expect(byGateway[0]).toBeGreaterThan(0);
      expect(byGateway[1]).toBeGreaterThan(0);
      // Both workers committed deliveries, and nobody else did.
      expect(Object.keys(result.db.byWorker).sort()).toEqual(['worker-1', 'worker-2']);
      expect(Math.min(...Object.values(result.db.byWorker))).toBeGreaterThan(0);

      // The broker ends clean: no message left behind or dead-lettered, both consumers still on every queue.
      const stats = await eventually(async () => {
        const s = await cluster.queueStats();
        return s.every((q) => q.messages === 0) ? s : undefined;
      }, 10_000, 200);
      expect(stats.filter((s) => districtQueues.has(s.queue) && s.consumers !== 2)).toEqual([]);
    } catch (error) {
      console.error(`multi-process failed; process logs:\n${cluster.postMortem()}`);
      throw error;
    }
  }, 100_000);

  it('answers the same message sent to both gateways at once with one receipt and delivers it once', async () => {
    const factory = new MessageFactory(cluster.config, cluster.env.pkiDir);
    const recipients = factory.recipients;
    const ledger = new Ledger();
    const deadline = Date.now() + 30_000;
    const races: Array<{ answers: string[]; sameReceipt: boolean }> = [];
    for (let i = 0; i < 20; i++) {
      const m = await factory.next();
      ledger.sent.set(m.messageId, m);
      const answers = await Promise.all([0, 1].map((gw) => cluster.districts.client(gw, m.sender).submit(m.envelope)));
      const bodies = answers.map((a) => a.body as { receipt?: string; code?: string });
      races.push({ answers: answers.map((a, k) => `${a.status}${bodies[k].code ? ` ${bodies[k].code}` : ''}`).sort(), sameReceipt: bodies[0].receipt === bodies[1].receipt });
      if (answers.every((a) => a.status === 200 || a.status === 202)) {
        ledger.answers.set(m.messageId, { status: 202, gateway: 0, receipt: bodies[0].receipt!, networkErrors: 0, serverErrors: 0 });
      }
    }
    // One wins (202), the other is told it is a repeat (200) and gets the very same signed receipt.
    const unexpected = races.filter((r) => r.answers.join() !== '200,202' || !r.sameReceipt);
    expect(unexpected).toEqual([]);

    const pullers = recipients.map((r) => pullLoop(cluster.districts, ledger, r, { stop: () => allPulled(ledger, recipients), deadline }));
    await Promise.all(pullers);
    const pulled = [...ledger.pulled.values()].flat();
    expect(pulled.sort()).toEqual([...ledger.answers.keys()].sort());
    expect(ledger.anomalies).toEqual([]);
  }, 60_000);

  it('stops every process cleanly on SIGTERM', async () => {
    const ended = (await cluster.stopAll()).sort((a, b) => a.name.localeCompare(b.name));
    expect(ended).toEqual(
      ['gateway-1', 'gateway-2', 'worker-1', 'worker-2'].map((name) => expect.objectContaining({ name, code: 0, graceful: true })),
    );
  }, 30_000);
});
