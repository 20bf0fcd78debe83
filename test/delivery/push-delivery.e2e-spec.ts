import { MessageType } from '@tongban/envelope';
import { PartnerClient, demoCaseNumber, demoSubmissionPayload, signedMessage } from '@tongban/partner-client';
import { pkiLayout } from '@tongban/pki';
import { X509Certificate } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { v7 as uuidv7 } from 'uuid';
import { Stack, createTestDatabase, eventually, startStack, testPki, uniquePrefix } from '../support/harness';
import { PushConfigFiles, writePushConfig } from './push-config';
import { PushEndpoint } from './push-endpoint';

const A = 'HZ-ZHONGKAI';
const PUSHED = '440304';
const BACKOFF_MS = 1000;
// Integers only: config/gateway.json's delivery.backoffSeconds is validated as whole seconds.
const DELIVERY = { maxAttempts: 3, backoffSeconds: [BACKOFF_MS / 1000], pushTimeoutMs: 3000 };

// Retries wait real backoff seconds; jest's 5 s default is too tight for a suite on real services.
jest.setTimeout(30_000);

type Status = { status: string; deadLetterReason: string | null; acceptedAt: string; deadLetteredAt: string | null; deliveredAt: string | null };

describe('push delivery to a district endpoint over mutual TLS (PostgreSQL + RabbitMQ)', () => {
  let stack: Stack;
  let db: { url: string; drop(): Promise<void> };
  let endpoint: PushEndpoint;
  let files: PushConfigFiles;
  let gatewayCert: X509Certificate;
  let pkiDir: string;
  let sender: PartnerClient;
  let recipient: PartnerClient;
  let operator: PartnerClient;

  beforeAll(async () => {
    pkiDir = await testPki();
    const layout = pkiLayout(pkiDir);
    // The endpoint is a district's server, trusting only the alliance CA. For its own server certificate it
    // borrows the gateway's (serverAuth, SAN localhost): the development PKI issues districts client-only ones.
    gatewayCert = new X509Certificate(readFileSync(layout.serverCert));
    endpoint = new PushEndpoint({ certFile: layout.serverCert, keyFile: layout.serverKey, caFile: layout.caCert });
    await endpoint.up();
    files = writePushConfig({ push: { [PUSHED]: endpoint.url }, delivery: DELIVERY });
    db = await createTestDatabase();
    stack = await startStack({ databaseUrl: db.url, amqpPrefix: uniquePrefix('push'), env: files.env });
    [sender, recipient, operator] = [stack.client(A), stack.client(PUSHED), stack.operator()];
  });
  afterAll(async () => {
    await stack?.stop();
    await db?.drop();
    await endpoint?.down();
    files?.remove();
    // testPki() is per test file (jest module registry); its process 'exit' hook does not fire under jest.
    if (pkiDir) rmSync(pkiDir, { recursive: true, force: true });
  });

  /** A signed 案件递交 HZ-ZHONGKAI → 440304, accepted (202); script the endpoint for `messageId` first. */
  async function submit(messageId: string = uuidv7()): Promise<{ messageId: string; envelope: string; receipt: string }> {
    const { envelope } = await signedMessage(stack.signingKey(A), {
      messageId,
      caseNumber: demoCaseNumber(A),
      collaborationId: uuidv7(),
      sender: A,
      recipient: PUSHED,
      messageType: MessageType.CASE_SUBMISSION,
      payload: demoSubmissionPayload(stack.config.alliance, A, PUSHED),
    });
    const accepted = await sender.submit(envelope);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ messageId });
    return { messageId, envelope, receipt: accepted.body.receipt as string };
  }

  async function statusOf(messageId: string): Promise<Status> {
    const r = await sender.messageStatus(messageId);
    expect(r.status).toBe(200);
    return r.body as unknown as Status;
  }

  const reaches = (messageId: string, status: string, timeoutMs = 15_000) =>
    eventually(async () => {
      const s = await statusOf(messageId);
      return s.status === status ? s : undefined;
    }, timeoutMs);

  const failedDeliveries = async () => (await stack.runtime.metrics.deliveries.get()).values.find((v) => v.labels.outcome === 'failed')?.value ?? 0;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('POSTs the exact envelope with the receipt, as the gateway (client certificate), and the 2xx acknowledges it', async () => {
    const { messageId, envelope, receipt } = await submit();
    const status = await reaches(messageId, 'ACKNOWLEDGED');
    expect(status).toMatchObject({ deadLetterReason: null });
    expect(status.deliveredAt).not.toBeNull();

    const [hit, ...more] = endpoint.hitsFor(messageId);
    expect(more).toEqual([]);
    expect(hit).toMatchObject({ method: 'POST', path: '/tongban/inbox', body: envelope, status: 200, peerAuthorized: true, peerSubjectCn: 'tongban-gateway' });
    // Exactly the gateway's certificate from the PKI (verified by the endpoint against the alliance CA).
    expect(hit.peerFingerprint256).toBe(gatewayCert.fingerprint256);
    expect(hit.headers).toMatchObject({
      'content-type': 'application/jose',
      'x-tongban-message-id': messageId,
      'x-tongban-message-type': MessageType.CASE_SUBMISSION,
      'x-tongban-receipt': receipt,
    });
    // The recipient sees the same status; a push district does not get the message a second time by pull.
    expect((await recipient.messageStatus(messageId)).body).toMatchObject({ status: 'ACKNOWLEDGED' });
    const pulled = await recipient.pull();
    expect(pulled.status).toBe(200);
    expect(pulled.body.items).toEqual([]);
    const deliveries = await stack.runtime.database.dataSource.query(`SELECT channel, recipient FROM deliveries WHERE message_id = $1`, [messageId]);
    expect(deliveries).toEqual([{ channel: 'PUSH', recipient: PUSHED }]);
    expect(endpoint.tlsErrors).toEqual([]);
  });

  it('retries a 503 with backoff and delivers on the third attempt, exactly one 2xx', async () => {
    const id = uuidv7();
    endpoint.respond(id, 503, 503, 200);
    const { envelope } = await submit(id);
    await reaches(id, 'ACKNOWLEDGED');

    const hits = endpoint.hitsFor(id);
    expect(hits.map((h) => h.status)).toEqual([503, 503, 200]);
    expect(hits.every((h) => h.body === envelope)).toBe(true);
    for (let i = 1; i < hits.length; i++) expect(hits[i].at - hits[i - 1].at).toBeGreaterThanOrEqual(BACKOFF_MS);
    await sleep(300);
    expect(endpoint.hitsFor(id).filter((h) => h.status >= 200 && h.status < 300)).toHaveLength(1);
  });

  it('dead-letters a 4xx refusal at once; an operator lists and replays it; a district may not', async () => {
    const id = uuidv7();
    endpoint.respond(id, 400);
    const { envelope } = await submit(id);
    const dead = await reaches(id, 'DEAD_LETTERED');
    expect(dead.deadLetterReason).toMatch(/^PUSH_REFUSED: .*HTTP 400/);
    // Permanent: no retry after a backoff.
    await sleep(BACKOFF_MS + 300);
    expect(endpoint.hitsFor(id).map((h) => h.status)).toEqual([400]);
    expect((await statusOf(id)).status).toBe('DEAD_LETTERED');

    const list = await operator.call<{ items: Array<Record<string, unknown>> }>('GET', `/v1/admin/dead-letters?recipient=${PUSHED}`);
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual(
      expect.objectContaining({ messageId: id, sender: A, recipient: PUSHED, messageType: MessageType.CASE_SUBMISSION, reason: dead.deadLetterReason, replayCount: 0 }),
    );

    const forbiddenList = await sender.call<{ code: string }>('GET', '/v1/admin/dead-letters');
    expect(forbiddenList.status).toBe(403);
    expect(forbiddenList.body).toMatchObject({ code: 'WRONG_CALLER_KIND' });
    const forbiddenReplay = await sender.call<{ code: string }>('POST', `/v1/admin/dead-letters/${id}/replay`);
    expect(forbiddenReplay.status).toBe(403);
    expect((await statusOf(id)).status).toBe('DEAD_LETTERED');

    // The district fixed its side: replay goes through.
    endpoint.respond(id, 200);
    const replay = await operator.call('POST', `/v1/admin/dead-letters/${id}/replay`);
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual({ messageId: id, replayed: true });
    await reaches(id, 'ACKNOWLEDGED');
    expect(endpoint.hitsFor(id).map((h) => h.status)).toEqual([400, 200]);
    expect(endpoint.hitsFor(id)[1].body).toBe(envelope);
    expect((await operator.call<{ items: Array<{ messageId: string }> }>('GET', '/v1/admin/dead-letters')).body.items.map((i) => i.messageId)).not.toContain(id);

    const sql = stack.runtime.database.dataSource;
    expect(await sql.query(`SELECT actor, action, target, outcome FROM admin_actions WHERE target = $1 ORDER BY id`, [id])).toEqual([
      { actor: 'admin', action: 'dead-letter.replay', target: id, outcome: 'OK' },
    ]);
    expect(await sql.query(`SELECT replay_count FROM messages WHERE message_id = $1`, [id])).toEqual([{ replay_count: 1 }]);

    // Only dead letters can be replayed; the refusal is recorded too.
    const again = await operator.call<{ code: string }>('POST', `/v1/admin/dead-letters/${id}/replay`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'NOT_DEAD_LETTERED' });
    expect(await sql.query(`SELECT actor, action, outcome FROM admin_actions WHERE target = $1 ORDER BY id`, [id])).toEqual([
      { actor: 'admin', action: 'dead-letter.replay', outcome: 'OK' },
      { actor: 'admin', action: 'dead-letter.replay', outcome: expect.stringMatching(/^REFUSED/) },
    ]);
    await sleep(300);
    expect(endpoint.hitsFor(id)).toHaveLength(2);
  });

  it('dead-letters with ATTEMPTS_EXHAUSTED when the endpoint stays unreachable for maxAttempts', async () => {
    await endpoint.down();
    let messageId: string;
    try {
      const failedBefore = await failedDeliveries();
      ({ messageId } = await submit());
      const dead = await reaches(messageId, 'DEAD_LETTERED');
      expect(dead.deadLetterReason).toMatch(/ATTEMPTS_EXHAUSTED/);
      expect(dead.deliveredAt).toBeNull();
      // maxAttempts attempts, with a backoff between each.
      expect(await failedDeliveries()).toBe(failedBefore + DELIVERY.maxAttempts);
      const waited = Date.parse(dead.deadLetteredAt!) - Date.parse(dead.acceptedAt);
      expect(waited).toBeGreaterThanOrEqual((DELIVERY.maxAttempts - 1) * BACKOFF_MS);
    } finally {
      await endpoint.up();
    }
    expect(endpoint.hitsFor(messageId)).toEqual([]);

    // Back up: a replay delivers it.
    expect((await operator.call('POST', `/v1/admin/dead-letters/${messageId}/replay`)).status).toBe(202);
    await reaches(messageId, 'ACKNOWLEDGED');
    expect(endpoint.hitsFor(messageId).map((h) => h.status)).toEqual([200]);
  });
});
