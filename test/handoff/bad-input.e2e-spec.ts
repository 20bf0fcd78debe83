import { ENVELOPE_TYP, EnvelopeBody, MessageType, canonicalJson, sha256Digest, signEnvelope } from '@tongban/envelope';
import { demoCaseNumber, demoSubmissionPayload, signedMessage } from '@tongban/partner-client';
import { CompactSign, importJWK, type JWK } from 'jose';
import { v7 as uuidv7 } from 'uuid';
import { Stack, createTestDatabase, startStack, uniquePrefix } from '../support/harness';
import { RawHttp, RawResponse, lastRejectionId, partnerHttp, rejectionsSince, writeSnapshot } from '../support/partner-http';

/**
 * Issue #2, "Bad input and faults": every refusal of the partner API is an RFC 9457 problem+json
 * answer with a stable code and a readable detail, is recorded in `rejections`, and writes nothing
 * else (no message, no case, no outbox row).
 */
// The integration project's testTimeout is not applied per project by jest: set ours here.
jest.setTimeout(60_000);

const A = 'HZ-ZHONGKAI';
const B = '440303';
const QINGDAO = '370202';

describe('bad input on the partner API: problem+json, recorded, nothing half-written', () => {
  let stack: Stack;
  let db: { url: string; drop(): Promise<void> };
  let a: RawHttp;
  let b: RawHttp;

  beforeAll(async () => {
    db = await createTestDatabase();
    // No worker: refusals never reach the broker, and the few accepted set-up messages need no delivery.
    stack = await startStack({ databaseUrl: db.url, amqpPrefix: uniquePrefix('badinput'), worker: false });
    a = await partnerHttp(stack, { district: A });
    b = await partnerHttp(stack, { district: B });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await stack?.stop();
    await db?.drop();
  });

  const submit = (client: RawHttp, envelope: string | Buffer, contentType = 'application/jose') => client.send('POST', '/v1/messages', envelope, contentType);

  function submissionFields(from = A, to = B, overrides: Partial<EnvelopeBody> = {}) {
    return {
      caseNumber: demoCaseNumber(from),
      collaborationId: uuidv7(),
      sender: from,
      recipient: to,
      messageType: MessageType.CASE_SUBMISSION,
      ...overrides,
      payload: overrides.payload ?? demoSubmissionPayload(stack.config.alliance, from, to),
    };
  }

  async function submission(from = A, to = B, overrides: Partial<EnvelopeBody> = {}, contractVersion = '1.0.0') {
    return signedMessage(stack.signingKey(from), submissionFields(from, to, overrides), contractVersion);
  }

  /** Signs arbitrary payload bytes under a well-formed envelope header: what a buggy partner library might send. */
  async function signRawPayload(from: string, payload: string): Promise<string> {
    const key = stack.signingKey(from);
    const privateKey = await importJWK(key.privateJwk as JWK, key.alg);
    return new CompactSign(new TextEncoder().encode(payload))
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: ENVELOPE_TYP, ctr: 'case-submission@1.0.0' })
      .sign(privateKey);
  }

  interface Expected {
    status: number;
    code: string;
    detail: RegExp;
    /** District recorded as the peer of the rejection (the certificate's, never the message's). */
    peer?: string;
    /** When the envelope could be parsed: the message id the rejection row carries. */
    messageId?: string | null;
    /** sha256Digest of the exact envelope, when the gateway could compute it. */
    digest?: string | null;
  }

  /** Sends, then checks the answer, the rejection row and that no other row was written. */
  async function expectRefused(send: () => Promise<RawResponse>, expected: Expected): Promise<RawResponse> {
    const before = await writeSnapshot(stack);
    const mark = await lastRejectionId(stack);

    const res = await send();

    expect({ status: res.status, code: res.body?.code }).toEqual({ status: expected.status, code: expected.code });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json(;|$)/);
    expect(res.body).toMatchObject({
      type: `https://tongban.example/problems/${expected.code.toLowerCase().replace(/_/g, '-')}`,
      title: expect.any(String),
      status: expected.status,
      instance: '/v1/messages',
    });
    expect(typeof res.body.detail).toBe('string');
    expect(res.body.detail).toMatch(expected.detail);

    const rows = await rejectionsSince(stack, mark);
    expect(rows.map((r) => r.code)).toEqual([expected.code]);
    expect(rows[0]).toMatchObject({ peer: expected.peer ?? A, detail: res.body.detail });
    if (expected.messageId !== undefined) expect(rows[0].message_id).toBe(expected.messageId);
    if (expected.digest !== undefined) expect(rows[0].envelope_digest).toBe(expected.digest);

    expect(await writeSnapshot(stack)).toEqual(before);
    return res;
  }

  describe('envelopes that are not a verifiable JWS', () => {
    it('refuses garbage text as ENVELOPE_MALFORMED (400)', async () => {
      const garbage = 'this is not a JWS at all';
      await expectRefused(() => submit(a, garbage), {
        status: 400,
        code: 'ENVELOPE_MALFORMED',
        detail: /JWS must have 3 dot-separated parts/,
        messageId: null,
        digest: sha256Digest(garbage),
      });
    });

    it('refuses a correctly signed JWS whose payload is not JSON as ENVELOPE_MALFORMED (400)', async () => {
      const envelope = await signRawPayload(A, '{"messageId": "0193", this is not JSON');
      await expectRefused(() => submit(a, envelope), { status: 400, code: 'ENVELOPE_MALFORMED', detail: /payload is not JSON/, messageId: null });
    });

    it('refuses a valid signature over non-canonical JSON (keys out of order) as ENVELOPE_NOT_CANONICAL (400)', async () => {
      const { body } = await submission();
      // Same JSON value, keys in writing order instead of RFC 8785 order.
      const { sender, recipient, messageId, ...rest } = body;
      const text = JSON.stringify({ sender, recipient, messageId, ...rest });
      expect(text).not.toBe(canonicalJson(body));
      const envelope = await signRawPayload(A, text);
      await expectRefused(() => submit(a, envelope), { status: 400, code: 'ENVELOPE_NOT_CANONICAL', detail: /canonical/, messageId: null });
    });

    it('refuses a flipped signature character as SIGNATURE_INVALID (400)', async () => {
      const { body, envelope } = await submission();
      const [h, p, s] = envelope.split('.');
      // A middle character: flipping the last one could leave non-canonical base64url (a different refusal).
      const i = 20;
      const tampered = `${h}.${p}.${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`;
      await expectRefused(() => submit(a, tampered), {
        status: 400,
        code: 'SIGNATURE_INVALID',
        detail: new RegExp(`signature of message ${body.messageId} does not verify`),
        messageId: body.messageId,
        digest: sha256Digest(tampered),
      });
    });

    it('refuses a kid the sender never registered as UNKNOWN_KEY_ID (400)', async () => {
      const key = stack.signingKey(A);
      const rogue = { kid: 'not-a-registered-kid', alg: key.alg, privateJwk: { ...key.privateJwk, kid: 'not-a-registered-kid' } };
      const body = { messageId: uuidv7(), sentAt: new Date().toISOString(), ...submissionFields() } as EnvelopeBody;
      const envelope = await signEnvelope(body, rogue, { id: 'case-submission', version: '1.0.0' });
      await expectRefused(() => submit(a, envelope), { status: 400, code: 'UNKNOWN_KEY_ID', detail: /not-a-registered-kid/, messageId: body.messageId });
    });
  });

  describe('who may send what to whom', () => {
    it("refuses an envelope whose sender is not the certificate's district as SENDER_NOT_CALLER (403), even when the sender signed it", async () => {
      // A's system holds (somehow) B's signing key: the certificate still says A.
      const { body, envelope } = await submission(B, A);
      const res = await expectRefused(() => submit(a, envelope), {
        status: 403,
        code: 'SENDER_NOT_CALLER',
        detail: new RegExp(`sender is ${B} but the client certificate belongs to ${A}`),
        peer: A,
        messageId: body.messageId,
      });
      expect(res.body).toMatchObject({ sender: B, certificateDistrict: A });
    });

    it('refuses a recipient no agreement links to the sender as NOT_IN_AGREEMENT (403): Huizhou Zhongkai → Qingdao Shinan', async () => {
      const { body, envelope } = await submission(A, QINGDAO, { payload: demoSubmissionPayload(stack.config.alliance, A, B) });
      const res = await expectRefused(() => submit(a, envelope), {
        status: 403,
        code: 'NOT_IN_AGREEMENT',
        detail: new RegExp(`No agreement lets ${A} collect item .* for ${QINGDAO}`),
        messageId: body.messageId,
      });
      expect(res.body).toMatchObject({ sender: A, recipient: QINGDAO });
    });

    it('refuses an item the agreement between the two districts does not cover as NOT_IN_AGREEMENT (403)', async () => {
      // 无犯罪证明 is covered between Zhongkai and Luohu, but not between Zhongkai and Nanshan (440309).
      const noCriminalRecord = stack.config.alliance.agreements.flatMap((g) => g.items).find((i) => i.key === 'no-criminal-record')!;
      expect(stack.config.alliance.findAgreement(A, '440309', noCriminalRecord.implementationCode)).toBeUndefined();
      const payload = demoSubmissionPayload(stack.config.alliance, A, B, noCriminalRecord.implementationCode);
      const { body, envelope } = await submission(A, '440309', { payload });
      const res = await expectRefused(() => submit(a, envelope), {
        status: 403,
        code: 'NOT_IN_AGREEMENT',
        detail: new RegExp(`item ${noCriminalRecord.implementationCode}`),
        messageId: body.messageId,
      });
      expect(res.body).toMatchObject({ itemCode: noCriminalRecord.implementationCode, recipient: '440309' });
    });
  });

  describe('contract and clock', () => {
    it('refuses a payload that breaks the contract schema as SCHEMA_VIOLATION (422) naming the JSON pointer', async () => {
      const payload = demoSubmissionPayload(stack.config.alliance, A, B);
      (payload.applicant as Record<string, unknown>).idNumber = '12345';
      const { body, envelope } = await submission(A, B, { payload });
      const res = await expectRefused(() => submit(a, envelope), {
        status: 422,
        code: 'SCHEMA_VIOLATION',
        detail: /\/payload\/applicant\/idNumber/,
        messageId: body.messageId,
      });
      const violations = res.body.violations as Array<{ pointer: string; message: string }>;
      expect(violations).toEqual(expect.arrayContaining([{ pointer: '/payload/applicant/idNumber', message: expect.any(String) }]));
    });

    it('refuses an unknown contract version as UNKNOWN_CONTRACT_VERSION (400) listing the known ones', async () => {
      const { body, envelope } = await submission(A, B, {}, '9.0.0');
      expect(JSON.parse(Buffer.from(envelope.split('.')[0], 'base64url').toString('utf8')).ctr).toBe('case-submission@9.0.0');
      const res = await expectRefused(() => submit(a, envelope), {
        status: 400,
        code: 'UNKNOWN_CONTRACT_VERSION',
        detail: /no version 9\.0\.0/,
        messageId: body.messageId,
      });
      expect(res.body.knownVersions).toEqual(['1.0.0', '2.0.0']);
    });

    it('refuses a sent-at older than the window as SENT_AT_OUT_OF_WINDOW (400)', async () => {
      const old = new Date(Date.now() - (stack.config.messages.sentAtPastSeconds + 60) * 1000).toISOString();
      const { body, envelope } = await submission(A, B, { sentAt: old });
      await expectRefused(() => submit(a, envelope), { status: 400, code: 'SENT_AT_OUT_OF_WINDOW', detail: /outside the accepted window/, messageId: body.messageId });
    });

    it('refuses a sent-at too far in the future as SENT_AT_OUT_OF_WINDOW (400)', async () => {
      const future = new Date(Date.now() + (stack.config.messages.sentAtFutureSeconds + 60) * 1000).toISOString();
      const { body, envelope } = await submission(A, B, { sentAt: future });
      await expectRefused(() => submit(a, envelope), { status: 400, code: 'SENT_AT_OUT_OF_WINDOW', detail: /Check the sender's clock/, messageId: body.messageId });
    });
  });

  it('refuses a message id already used for another body as MESSAGE_ID_REUSED (409)', async () => {
    const first = await submission();
    expect((await submit(a, first.envelope)).status).toBe(202);
    const reused = await submission(A, B, { messageId: first.body.messageId });
    await expectRefused(() => submit(a, reused.envelope), {
      status: 409,
      code: 'MESSAGE_ID_REUSED',
      detail: new RegExp(`Message id ${first.body.messageId} was already used`),
      messageId: first.body.messageId,
      digest: sha256Digest(reused.envelope),
    });
  });

  describe('size and media type', () => {
    it('refuses an envelope just over messages.maxBytes in the use case: PAYLOAD_TOO_LARGE (413) with the limit', async () => {
      const max = stack.config.messages.maxBytes;
      let filler = Math.floor(max * 0.74);
      let message = await submission();
      for (let round = 0; round < 10; round++) {
        const payload = { ...demoSubmissionPayload(stack.config.alliance, A, B), remark: 'x'.repeat(filler) };
        message = await submission(A, B, { payload });
        const missing = max + 1 - message.envelope.length;
        if (missing <= 0) break;
        filler += Math.ceil((missing * 3) / 4);
      }
      const size = message.envelope.length;
      expect(size).toBeGreaterThan(max);
      expect(size).toBeLessThan(max + 64); // just over: below the HTTP layer's own body limit
      const res = await expectRefused(() => submit(a, message.envelope), {
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        detail: new RegExp(`${size} bytes; the limit is ${max}`),
        messageId: null,
        digest: sha256Digest(message.envelope),
      });
      expect(res.body.limit).toBe(max);
    });

    it('refuses a body far over the limit at the HTTP layer, and the filter still records it: PAYLOAD_TOO_LARGE (413)', async () => {
      const max = stack.config.messages.maxBytes;
      const huge = Buffer.alloc(max * 3, 'x');
      const mark = await lastRejectionId(stack);
      await expectRefused(() => submit(a, huge), {
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        detail: new RegExp(`exceeds the limit of ${max} bytes`),
        messageId: null,
        digest: null,
      });
      const [row] = await rejectionsSince(stack, mark);
      expect(row.size_bytes).toBe(huge.length);
    });

    it.each([
      ['application/xml', (e: string) => e],
      ['text/plain', (e: string) => e],
      ['application/json', (e: string) => JSON.stringify(e)],
    ])('refuses an envelope sent as %s: UNSUPPORTED_MEDIA_TYPE (415)', async (contentType, encode) => {
      const { envelope } = await submission();
      await expectRefused(() => submit(a, encode(envelope), contentType), {
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        detail: /application\/jose/,
        messageId: null,
      });
    });
  });

  describe('acknowledgements (签收) that do not fit the case', () => {
    const ackPayload = (messageId: string, digest: string) => ({
      acknowledgedMessageId: messageId,
      acknowledgedEnvelopeDigest: digest,
      signedBy: { officer: 'approver-01' },
      signedAt: new Date().toISOString(),
    });

    it('refuses the acknowledgement of a case the gateway never saw as CASE_NOT_FOUND (404)', async () => {
      const caseNumber = demoCaseNumber(A);
      const { body, envelope } = await signedMessage(stack.signingKey(B), {
        caseNumber,
        collaborationId: uuidv7(),
        sender: B,
        recipient: A,
        messageType: MessageType.CASE_ACKNOWLEDGEMENT,
        payload: ackPayload(uuidv7(), sha256Digest('no such envelope')),
      });
      const res = await expectRefused(() => submit(b, envelope), {
        status: 404,
        code: 'CASE_NOT_FOUND',
        detail: new RegExp(`No case ${caseNumber}`),
        peer: B,
        messageId: body.messageId,
      });
      expect(res.body.caseNumber).toBe(caseNumber);
    });

    it('refuses the collecting district acknowledging its own case as ACTION_NOT_ALLOWED (409) with allowedActions', async () => {
      const submitted = await submission();
      expect((await submit(a, submitted.envelope)).status).toBe(202);
      const { body, envelope } = await signedMessage(stack.signingKey(A), {
        caseNumber: submitted.body.caseNumber,
        collaborationId: submitted.body.collaborationId,
        sender: A,
        recipient: B,
        messageType: MessageType.CASE_ACKNOWLEDGEMENT,
        payload: ackPayload(submitted.body.messageId, sha256Digest(submitted.envelope)),
      });
      const res = await expectRefused(() => submit(a, envelope), {
        status: 409,
        code: 'ACTION_NOT_ALLOWED',
        detail: new RegExp(`${A} may not send case.acknowledgement on case ${submitted.body.caseNumber} while it is DISPATCHED`),
        messageId: body.messageId,
      });
      expect(res.body).toMatchObject({ state: 'DISPATCHED', allowedActions: ['case.originals-mailed', 'case.withdrawal', 'case.termination'] });
      // The approving district still may.
      expect((await b.send('GET', `/v1/cases/${encodeURIComponent(submitted.body.caseNumber)}`)).body).toMatchObject({
        state: 'DISPATCHED',
        allowedActions: ['case.acknowledgement', 'case.withdrawal', 'case.termination'],
      });
    });
  });

  it('answers malformed JSON on a JSON route (inbox ack) with problem+json BAD_REQUEST and writes nothing', async () => {
    const before = await writeSnapshot(stack);
    const res = await b.send('POST', '/v1/inbox/ack', '{"messageIds": [', 'application/json');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'BAD_REQUEST', detail: expect.any(String) });
    expect(await writeSnapshot(stack)).toEqual(before);
  });
});
