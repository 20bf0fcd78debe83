import { MessageType, canonicalJson, sha256Digest, verifyReceipt } from '@tongban/envelope';
import { demoCaseNumber, demoSubmissionPayload, signedMessage } from '@tongban/partner-client';
import { v7 as uuidv7 } from 'uuid';
import { Stack, createTestDatabase, eventually, startStack, uniquePrefix } from '../support/harness';

const A = 'HZ-ZHONGKAI';
const B = '440303';

describe('hand-off backbone on PostgreSQL + RabbitMQ over mutual TLS', () => {
  let stack: Stack;
  let db: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    db = await createTestDatabase();
    stack = await startStack({ databaseUrl: db.url, amqpPrefix: uniquePrefix('handoff') });
  });
  afterAll(async () => {
    await stack?.stop();
    await db?.drop();
  });

  async function submission(from = A, to = B, overrides: Record<string, unknown> = {}) {
    return signedMessage(stack.signingKey(from), {
      caseNumber: demoCaseNumber(from),
      collaborationId: uuidv7(),
      sender: from,
      recipient: to,
      messageType: MessageType.CASE_SUBMISSION,
      payload: demoSubmissionPayload(stack.config.alliance, from, to),
      ...overrides,
    });
  }

  it('carries a submission from A to B and the acknowledgement back, with signed receipts and statuses', async () => {
    const a = stack.client(A);
    const b = stack.client(B);
    const { body, envelope } = await submission();

    const accepted = await a.submit(envelope);
    expect(accepted.status).toBe(202);
    const receipt = await verifyReceipt(accepted.body.receipt as string, stack.runtime.keys);
    expect(receipt).toMatchObject({ messageId: body.messageId, envelopeDigest: sha256Digest(envelope), sender: A, recipient: B, status: 'ACCEPTED' });

    const page = await eventually(async () => {
      const r = await b.pull();
      return r.body.items.find((i) => i.messageId === body.messageId) ? r.body : undefined;
    });
    const item = page.items.find((i) => i.messageId === body.messageId)!;
    expect(item.envelope).toBe(envelope);
    expect(item.receipt).toBe(accepted.body.receipt);
    expect((await a.messageStatus(body.messageId)).body.status).toBe('DELIVERED');

    expect((await b.ack([body.messageId])).body).toEqual({ acknowledged: [body.messageId], unknown: [] });
    expect((await a.messageStatus(body.messageId)).body).toMatchObject({ status: 'ACKNOWLEDGED', sender: A, recipient: B });
    expect((await b.pull()).body.items.find((i) => i.messageId === body.messageId)).toBeUndefined();

    expect((await b.getCase(body.caseNumber)).body).toMatchObject({ state: 'DISPATCHED', allowedActions: ['case.acknowledgement', 'case.withdrawal', 'case.termination'] });
    expect((await a.getCase(body.caseNumber)).body).toMatchObject({ state: 'DISPATCHED', allowedActions: ['case.originals-mailed', 'case.withdrawal', 'case.termination'] });

    const ack = await signedMessage(stack.signingKey(B), {
      caseNumber: body.caseNumber,
      collaborationId: body.collaborationId,
      sender: B,
      recipient: A,
      messageType: MessageType.CASE_ACKNOWLEDGEMENT,
      payload: { acknowledgedMessageId: body.messageId, acknowledgedEnvelopeDigest: sha256Digest(envelope), signedBy: { officer: 'approver-01' }, signedAt: new Date().toISOString() },
    });
    expect((await b.submit(ack.envelope)).status).toBe(202);
    const relayed = await eventually(async () => (await a.pull()).body.items.find((i) => i.messageId === ack.body.messageId));
    expect(relayed.envelope).toBe(ack.envelope);
    expect((await a.getCase(body.caseNumber)).body).toMatchObject({ state: 'ACKNOWLEDGED' });

    // A second 签收 of the same case is not allowed any more: 409 with the allowed actions.
    const again = await signedMessage(stack.signingKey(B), { ...ack.body, messageId: uuidv7(), sentAt: new Date().toISOString() });
    const refused = await b.submit(again.envelope);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'ACTION_NOT_ALLOWED', state: 'ACKNOWLEDGED' });
    expect(refused.body.allowedActions).not.toContain('case.acknowledgement');
  });

  it('returns the original receipt for a repeated message id and refuses the id with another body', async () => {
    const a = stack.client(A);
    const first = await submission();
    const r1 = await a.submit(first.envelope);
    expect(r1.status).toBe(202);
    const r2 = await a.submit(first.envelope);
    expect(r2.status).toBe(200);
    expect(r2.body).toMatchObject({ duplicate: true, receipt: r1.body.receipt });
    // Same body signed again (ECDSA signatures differ): still the same message.
    const resigned = await signedMessage(stack.signingKey(A), first.body);
    expect((await a.submit(resigned.envelope)).body).toMatchObject({ duplicate: true, receipt: r1.body.receipt });

    const reused = await submission(A, B, { messageId: first.body.messageId });
    const r3 = await a.submit(reused.envelope);
    expect(r3.status).toBe(409);
    expect(r3.body).toMatchObject({ code: 'MESSAGE_ID_REUSED' });
    const [{ n }] = await stack.runtime.database.dataSource.query(`SELECT count(*)::int AS n FROM messages WHERE message_id = $1`, [first.body.messageId]);
    expect(n).toBe(1);
  });

  it('lets exactly one of two racing acknowledgements of one case win', async () => {
    const a = stack.client(A);
    const b = stack.client(B);
    const { body, envelope } = await submission();
    expect((await a.submit(envelope)).status).toBe(202);
    const ackOf = () =>
      signedMessage(stack.signingKey(B), {
        caseNumber: body.caseNumber,
        collaborationId: body.collaborationId,
        sender: B,
        recipient: A,
        messageType: MessageType.CASE_ACKNOWLEDGEMENT,
        payload: { acknowledgedMessageId: body.messageId, acknowledgedEnvelopeDigest: sha256Digest(envelope), signedBy: { officer: 'x' }, signedAt: new Date().toISOString() },
      });
    const racers = await Promise.all([ackOf(), ackOf(), ackOf(), ackOf()]);
    const results = await Promise.all(racers.map((r) => b.submit(r.envelope)));
    expect(results.map((r) => r.status).sort()).toEqual([202, 409, 409, 409]);
  });

  it('keeps canonical JSON bytes: the digest in the receipt is over the exact envelope', async () => {
    const { body, envelope } = await submission();
    const payload = Buffer.from(envelope.split('.')[1], 'base64url').toString('utf8');
    expect(payload).toBe(canonicalJson(body));
  });
});
