import { MessageType, sha256Digest, verifyConversion } from '@tongban/envelope';
import { demoCaseNumber, demoLifecyclePayload, demoSubmissionPayload, signedMessage } from '@tongban/partner-client';
import { v7 as uuidv7 } from 'uuid';
import { Stack, createTestDatabase, eventually, startStack, uniquePrefix } from '../support/harness';
import { lastRejectionId, rejectionsSince } from '../support/partner-http';

// Two Qingdao districts whose systems speak their own codes (config/alliance/demo.json → codes):
const SHINAN = '370202'; // collects; reporting-interface satisfaction digits (1 = 非常不满意), own status codes
const HUANGDAO = '370211'; // approves; GB/T 39046 satisfaction digits (1 = 非常满意), own result codes

/** Per-partner code tables at the edge (issue 4 point 7), on PostgreSQL + RabbitMQ. */
describe('partner codes translated at the edge', () => {
  let stack: Stack;
  let db: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    db = await createTestDatabase();
    stack = await startStack({ databaseUrl: db.url, amqpPrefix: uniquePrefix('codes') });
  });
  afterAll(async () => {
    await stack?.stop();
    await db?.drop();
  });

  const caseNumber = demoCaseNumber(SHINAN);
  const collaborationId = uuidv7();

  async function send(from: string, to: string, messageType: MessageType, payload: Record<string, unknown>) {
    const signed = await signedMessage(stack.signingKey(from), { caseNumber, collaborationId, sender: from, recipient: to, messageType, payload });
    return { signed, response: await stack.client(from).submit(signed.envelope) };
  }

  /** Sends a step that must be accepted and returns what the recipient pulls for it. */
  async function delivered(from: string, to: string, messageType: MessageType, payload: Record<string, unknown>) {
    const { signed, response } = await send(from, to, messageType, payload);
    expect({ messageType, status: response.status, body: response.body }).toMatchObject({ messageType, status: 202 });
    const recipient = stack.client(to);
    const item = await eventually(async () => (await recipient.pull()).body.items.find((i) => i.messageId === signed.body.messageId));
    await recipient.ack([item.messageId]);
    return { signed, item };
  }

  const view = async (district: string) => (await stack.client(district).getCase(caseNumber)).body as { state: string; partnerStateCode: string | null };

  it('carries a case whose two districts use different result and satisfaction codes, each seeing its own', async () => {
    const submission = await delivered(SHINAN, HUANGDAO, MessageType.CASE_SUBMISSION, { ...demoSubmissionPayload(stack.config.alliance, SHINAN, HUANGDAO), caseType: '1' });
    expect(submission.item.conversion).toBeNull(); // nothing coded in a submission: the envelope suffices
    await delivered(HUANGDAO, SHINAN, MessageType.CASE_ACKNOWLEDGEMENT, {
      acknowledgedMessageId: submission.signed.body.messageId,
      acknowledgedEnvelopeDigest: sha256Digest(submission.signed.envelope),
      signedBy: { officer: 'approver-01' },
      signedAt: new Date().toISOString(),
    });
    await delivered(HUANGDAO, SHINAN, MessageType.ACCEPTANCE, demoLifecyclePayload(MessageType.ACCEPTANCE));

    // Huangdao concludes with its own code "0" (准予); the gateway reads it as APPROVED and gives
    // Shinan its own code "1", in a gateway-signed conversion next to Huangdao's untouched envelope.
    const conclusion = await delivered(HUANGDAO, SHINAN, MessageType.CONCLUSION, { ...demoLifecyclePayload(MessageType.CONCLUSION), resultCode: '0' });
    expect(conclusion.item.envelope).toBe(conclusion.signed.envelope);
    const forShinan = await verifyConversion(conclusion.item.conversion!, stack.runtime.keys);
    expect(forShinan).toMatchObject({
      messageId: conclusion.signed.body.messageId,
      envelopeDigest: sha256Digest(conclusion.signed.envelope),
      from: 'conclusion@1.0.0',
      to: 'conclusion@1.0.0',
      codes: { from: HUANGDAO, to: SHINAN },
      payload: { decision: 'APPROVED', resultCode: '1' },
    });
    // The canonical state, and for Shinan also its own status code (its caseState table); Huangdao has none.
    expect(await view(SHINAN)).toMatchObject({ state: 'APPROVED', partnerStateCode: '40' });
    expect(await view(HUANGDAO)).toMatchObject({ state: 'APPROVED', partnerStateCode: null });

    // The two opposite satisfaction encodings: Shinan's "1" is 非常不满意, which is Huangdao's "5".
    const rating = await delivered(SHINAN, HUANGDAO, MessageType.EVALUATION, { ...demoLifecyclePayload(MessageType.EVALUATION), target: 'CASE_HANDLING', level: '1' });
    const forHuangdao = await verifyConversion(rating.item.conversion!, stack.runtime.keys);
    expect(forHuangdao).toMatchObject({ codes: { from: SHINAN, to: HUANGDAO }, payload: { target: 'CASE_HANDLING', level: '5' } });
  });

  it('refuses an unmapped code with 422 UNMAPPED_CODE naming the table to extend; the refusal is recorded, nothing else changes', async () => {
    const before = await view(SHINAN);
    const mark = await lastRejectionId(stack);
    const { signed, response } = await send(SHINAN, HUANGDAO, MessageType.EVALUATION, {
      ...demoLifecyclePayload(MessageType.EVALUATION),
      target: 'WINDOW_SERVICE',
      level: 'VERY_SATISFIED', // a canonical name, but Shinan's table lists digits only
    });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      code: 'UNMAPPED_CODE',
      table: 'satisfactionLevel',
      configKey: 'alliance.districts[6].codes.satisfactionLevel',
      knownCodes: ['1', '2', '3', '4', '5'],
    });
    expect(String(response.body.detail)).toContain('extend the table');
    expect(await rejectionsSince(stack, mark)).toMatchObject([{ code: 'UNMAPPED_CODE', message_id: signed.body.messageId }]);
    expect((await stack.client(SHINAN).messageStatus(signed.body.messageId)).status).toBe(404);
    expect(await view(SHINAN)).toEqual(before);
  });
});
