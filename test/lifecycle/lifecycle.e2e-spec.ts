import { MessageType, decodeEnvelope, sha256Digest, verifyEnvelope } from '@tongban/envelope';
import { demoCaseNumber, demoLifecyclePayload, demoSubmissionPayload, signedMessage } from '@tongban/partner-client';
import { v7 as uuidv7 } from 'uuid';
import { Stack, createTestDatabase, eventually, startStack, uniquePrefix } from '../support/harness';

const A = 'HZ-ZHONGKAI'; // collecting hall
const B = '440303'; // approving jurisdiction

interface CaseView {
  state: string;
  allowedActions: string[];
  timeline: Array<{ messageType: string; sender: string }>;
}

/** A whole 异地代收代办 case, step by step, each checked from both districts' side. */
describe('the cross-region case lifecycle on PostgreSQL + RabbitMQ', () => {
  let stack: Stack;
  let db: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    db = await createTestDatabase();
    stack = await startStack({ databaseUrl: db.url, amqpPrefix: uniquePrefix('lifecycle'), env: { DEADLINE_CHECK_INTERVAL_MS: '200' } });
  });
  afterAll(async () => {
    await stack?.stop();
    await db?.drop();
  });

  class Case {
    readonly caseNumber = demoCaseNumber(A);
    readonly collaborationId = uuidv7();
    submission?: { messageId: string; envelope: string };
    steps = 0;

    async submit(caseType = '2'): Promise<void> {
      const payload = { ...demoSubmissionPayload(stack.config.alliance, A, B), caseType };
      const signed = await signedMessage(stack.signingKey(A), this.fields(A, B, MessageType.CASE_SUBMISSION, payload));
      expect((await stack.client(A).submit(signed.envelope)).status).toBe(202);
      this.submission = { messageId: signed.body.messageId, envelope: signed.envelope };
      this.steps += 1;
      await this.expectState('DISPATCHED', { [B]: [MessageType.CASE_ACKNOWLEDGEMENT, MessageType.WITHDRAWAL, MessageType.TERMINATION] });
    }

    async acknowledge(): Promise<void> {
      await this.send(B, MessageType.CASE_ACKNOWLEDGEMENT, {
        acknowledgedMessageId: this.submission!.messageId,
        acknowledgedEnvelopeDigest: sha256Digest(this.submission!.envelope),
        signedBy: { officer: 'approver-01' },
        signedAt: new Date().toISOString(),
      });
    }

    /** Sends one step, checks it was accepted and delivered to the other district. */
    async step(from: string, type: MessageType, variant?: string, file?: Parameters<typeof demoLifecyclePayload>[2]): Promise<void> {
      await this.send(from, type, demoLifecyclePayload(type, variant, file));
    }

    async send(from: string, type: MessageType, payload: Record<string, unknown>): Promise<void> {
      const to = from === A ? B : A;
      const signed = await signedMessage(stack.signingKey(from), this.fields(from, to, type, payload));
      const response = await stack.client(from).submit(signed.envelope);
      expect({ type, status: response.status, body: response.body }).toMatchObject({ type, status: 202 });
      this.steps += 1;
      const recipient = stack.client(to);
      await eventually(async () => {
        const page = await recipient.pull();
        const item = page.body.items.find((i) => i.messageId === signed.body.messageId);
        if (item) await recipient.ack([item.messageId]);
        return item;
      });
    }

    async refused(from: string, type: MessageType, variant?: string): Promise<Record<string, unknown>> {
      const to = from === A ? B : A;
      const signed = await signedMessage(stack.signingKey(from), this.fields(from, to, type, demoLifecyclePayload(type, variant)));
      const response = await stack.client(from).submit(signed.envelope);
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ code: 'ACTION_NOT_ALLOWED' });
      return response.body;
    }

    /** State and timeline are the same for both districts; allowed actions are each district's own. */
    async expectState(state: string, allowed: Partial<Record<string, string[]>> = {}): Promise<void> {
      for (const district of [A, B]) {
        const view = (await stack.client(district).getCase(this.caseNumber)).body as unknown as CaseView;
        expect({ district, state: view.state, steps: view.timeline.length }).toEqual({ district, state, steps: this.steps });
        if (allowed[district]) expect({ district, allowed: [...view.allowedActions].sort() }).toEqual({ district, allowed: [...allowed[district]!].sort() });
      }
    }

    private fields(sender: string, recipient: string, messageType: MessageType, payload: Record<string, unknown>) {
      return { caseNumber: this.caseNumber, collaborationId: this.collaborationId, sender, recipient, messageType, payload };
    }
  }

  it('happy path: one supplement round before acceptance, originals mailed, approval, result mailed, delivered, rated and re-rated', async () => {
    const c = new Case();
    await c.submit();
    await c.acknowledge();
    await c.expectState('ACKNOWLEDGED', {
      [B]: [MessageType.SUPPLEMENT_REQUEST, MessageType.ACCEPTANCE, MessageType.TOLERANCE_ACCEPTANCE, MessageType.NON_ACCEPTANCE, MessageType.WITHDRAWAL, MessageType.TERMINATION],
      [A]: [MessageType.ORIGINALS_MAILED, MessageType.WITHDRAWAL, MessageType.TERMINATION],
    });
    await c.step(B, MessageType.SUPPLEMENT_REQUEST);
    await c.expectState('SUPPLEMENT_REQUESTED', { [A]: [MessageType.SUPPLEMENT, MessageType.ORIGINALS_MAILED, MessageType.WITHDRAWAL, MessageType.TERMINATION] });
    await c.step(A, MessageType.SUPPLEMENT);
    await c.expectState('ACKNOWLEDGED');
    await c.step(B, MessageType.ACCEPTANCE);
    await c.expectState('ACCEPTED');
    await c.step(A, MessageType.ORIGINALS_MAILED);
    await c.expectState('ACCEPTED');
    await c.refused(B, MessageType.CONCLUSION); // not an immediate case: review steps first
    await c.step(B, MessageType.PROCESSING_STEP, 'undertake');
    await c.step(B, MessageType.PROCESSING_STEP, 'review');
    await c.step(B, MessageType.PROCESSING_STEP, 'approve');
    await c.expectState('IN_REVIEW');
    await c.step(B, MessageType.CONCLUSION, 'mail');
    await c.expectState('APPROVED', { [B]: [MessageType.RESULT_RETURN, MessageType.EVALUATION, MessageType.WITHDRAWAL, MessageType.TERMINATION] });
    await c.step(B, MessageType.RESULT_RETURN, 'mail');
    await c.expectState('RESULT_IN_TRANSIT', { [A]: [MessageType.DELIVERY_CONFIRMATION, MessageType.ORIGINALS_MAILED, MessageType.EVALUATION, MessageType.WITHDRAWAL, MessageType.TERMINATION] });
    await c.step(A, MessageType.DELIVERY_CONFIRMATION);
    await c.expectState('DELIVERED', { [A]: [MessageType.EVALUATION], [B]: [MessageType.EVALUATION] });
    await c.step(A, MessageType.EVALUATION);
    await c.step(A, MessageType.EVALUATION, 'round-2');
    await c.refused(A, MessageType.EVALUATION, 'round-2'); // a rating is changed once, no more
    await c.expectState('DELIVERED');
  });

  it('non-acceptance ends the case', async () => {
    const c = new Case();
    await c.submit();
    await c.acknowledge();
    await c.step(B, MessageType.NON_ACCEPTANCE);
    await c.expectState('NOT_ACCEPTED', { [A]: [], [B]: [] });
    await c.refused(B, MessageType.ACCEPTANCE);
  });

  it('tolerance acceptance (容缺受理) whose items never come: the gateway terminates the case at their due date', async () => {
    const c = new Case();
    await c.submit();
    await c.acknowledge();
    await c.step(B, MessageType.TOLERANCE_ACCEPTANCE, 'overdue'); // the pending item was due yesterday
    for (const district of [A, B]) {
      const termination = await eventually(async () =>
        (await stack.client(district).pull(null, 500)).body.items.find((i) => i.caseNumber === c.caseNumber && i.messageType === MessageType.TERMINATION),
      );
      expect(termination.sender).toBe('gateway');
      expect(decodeEnvelope(termination.envelope).body.payload).toMatchObject({ reasonCode: 'MISSING_TOLERATED_ITEMS' });
      await stack.client(district).ack([termination.messageId]);
    }
    c.steps += 2; // the gateway's termination, to each district
    await c.expectState('TERMINATED', { [A]: [], [B]: [] });
  });

  it('tolerance acceptance whose items arrive in time: the supplement clears them, the case goes on', async () => {
    const c = new Case();
    await c.submit();
    await c.acknowledge();
    await c.step(B, MessageType.TOLERANCE_ACCEPTANCE);
    await c.expectState('ACCEPTED', { [A]: [MessageType.SUPPLEMENT, MessageType.ORIGINALS_MAILED, MessageType.EVALUATION, MessageType.WITHDRAWAL, MessageType.TERMINATION] });
    await c.step(A, MessageType.SUPPLEMENT);
    await c.expectState('ACCEPTED', { [A]: [MessageType.ORIGINALS_MAILED, MessageType.EVALUATION, MessageType.WITHDRAWAL, MessageType.TERMINATION] });
    await c.refused(A, MessageType.SUPPLEMENT); // nothing pending any more
  });

  it('suspension for a special procedure, resumption, then approval; a supplement after acceptance pauses until it comes', async () => {
    const c = new Case();
    await c.submit();
    await c.acknowledge();
    await c.step(B, MessageType.ACCEPTANCE);
    const deadlines = async () => ((await stack.client(A).getCase(c.caseNumber)).body as { deadlines: Record<string, unknown> }).deadlines;
    const accepted = await deadlines();
    expect(accepted).toMatchObject({ receivedAt: expect.any(String), supplementNoticeDueAt: expect.any(String), acceptedAt: expect.any(String), pausedWorkingDays: 0 });
    expect(Date.parse(accepted.promisedDueAt as string)).toBeLessThanOrEqual(Date.parse(accepted.statutoryDueAt as string));
    await c.step(B, MessageType.PROCESSING_STEP);
    await c.step(B, MessageType.SUSPENSION);
    expect(await deadlines()).toMatchObject({ suspendedAt: expect.any(String) });
    await c.expectState('SUSPENDED', { [B]: [MessageType.RESUMPTION, MessageType.EVALUATION, MessageType.WITHDRAWAL, MessageType.TERMINATION] });
    await c.refused(A, MessageType.SUPPLEMENT); // suspended for an expert review, not waiting for A
    await c.step(B, MessageType.RESUMPTION);
    await c.expectState('IN_REVIEW');
    // Suspended and resumed on the same working day: no working day paused, due dates unchanged
    // (pauses across working days: suspension-pause.e2e-spec.ts moves the gateway's clock).
    expect(await deadlines()).toMatchObject({ suspendedAt: null, pausedWorkingDays: 0, promisedDueAt: accepted.promisedDueAt, statutoryDueAt: accepted.statutoryDueAt });
    await c.step(B, MessageType.SUPPLEMENT_REQUEST, 'after-acceptance');
    await c.expectState('SUSPENDED', { [B]: [MessageType.EVALUATION, MessageType.WITHDRAWAL, MessageType.TERMINATION] });
    await c.step(A, MessageType.SUPPLEMENT);
    await c.expectState('IN_REVIEW');
    await c.step(B, MessageType.CONCLUSION);
    await c.expectState('APPROVED');
  });

  it('an immediate case (即办件) goes from acceptance straight to conclusion', async () => {
    const c = new Case();
    await c.submit('1');
    await c.acknowledge();
    await c.step(B, MessageType.ACCEPTANCE);
    await c.step(B, MessageType.CONCLUSION, 'denied');
    await c.expectState('DENIED');
    // The electronic result: uploaded first, referenced by digest, then downloadable by the collecting hall only.
    const content = Buffer.from(`%PDF-1.4 不予许可决定书 ${c.caseNumber}`);
    const uploaded = await stack.client(B).uploadMaterial(content, { name: 'decision.pdf', mediaType: 'application/pdf' });
    expect(uploaded.status).toBe(201);
    expect((await stack.client(A).downloadMaterial(uploaded.body.digest)).status).toBe(403); // not yet part of A's case
    await c.step(B, MessageType.RESULT_RETURN, 'default', uploaded.body);
    await c.expectState('RESULT_RETURNED');
    const download = await stack.client(A).downloadMaterial(uploaded.body.digest, c.caseNumber);
    expect(download.status).toBe(200);
    expect(Buffer.concat(await download.body.toArray())).toEqual(content);
    const outsider = await stack.client('440304').downloadMaterial(uploaded.body.digest, c.caseNumber);
    expect(outsider.status).toBe(403);
    outsider.body.resume();
  });

  it('withdrawal by the applicant through the collecting hall; the approving side can do nothing more', async () => {
    const c = new Case();
    await c.submit();
    await c.acknowledge();
    await c.step(B, MessageType.ACCEPTANCE);
    await c.step(A, MessageType.WITHDRAWAL);
    await c.expectState('WITHDRAWN', { [A]: [], [B]: [] });
    const refusal = await c.refused(B, MessageType.PROCESSING_STEP);
    expect(refusal).toMatchObject({ state: 'WITHDRAWN', allowedActions: [] });
  });

  it('a withdrawal racing a conclusion: exactly one wins, the other gets 409', async () => {
    const c = new Case();
    await c.submit();
    await c.acknowledge();
    await c.step(B, MessageType.ACCEPTANCE);
    await c.step(B, MessageType.PROCESSING_STEP);
    const make = (from: string, type: MessageType) =>
      signedMessage(stack.signingKey(from), {
        caseNumber: c.caseNumber,
        collaborationId: c.collaborationId,
        sender: from,
        recipient: from === A ? B : A,
        messageType: type,
        payload: demoLifecyclePayload(type),
      });
    const [withdrawal, conclusion] = await Promise.all([make(A, MessageType.WITHDRAWAL), make(B, MessageType.CONCLUSION)]);
    const results = await Promise.all([stack.client(A).submit(withdrawal.envelope), stack.client(B).submit(conclusion.envelope)]);
    expect(results.map((r) => r.status).sort()).toEqual([202, 409]);
    const state = ((await stack.client(A).getCase(c.caseNumber)).body as unknown as CaseView).state;
    expect(state).toBe(results[0].status === 202 ? 'WITHDRAWN' : 'APPROVED');
  });

  it('refuses a step from the wrong party with 409 and the caller’s allowed actions; nothing changes', async () => {
    const c = new Case();
    await c.submit();
    await c.acknowledge();
    const refusal = await c.refused(A, MessageType.ACCEPTANCE);
    expect(refusal).toMatchObject({ state: 'ACKNOWLEDGED' });
    expect([...(refusal.allowedActions as string[])].sort()).toEqual([MessageType.ORIGINALS_MAILED, MessageType.TERMINATION, MessageType.WITHDRAWAL].sort());
    await c.expectState('ACKNOWLEDGED');
  });

  it('refuses a message whose referenced material was never uploaded: MATERIAL_MISSING (422)', async () => {
    const c = new Case();
    await c.submit('1');
    await c.acknowledge();
    await c.step(B, MessageType.ACCEPTANCE);
    await c.step(B, MessageType.CONCLUSION);
    const ghost = { digest: `sha256:${'ab'.repeat(32)}`, size: 1024, mediaType: 'application/pdf', name: 'ghost.pdf' };
    const signed = await signedMessage(stack.signingKey(B), {
      caseNumber: c.caseNumber,
      collaborationId: c.collaborationId,
      sender: B,
      recipient: A,
      messageType: MessageType.RESULT_RETURN,
      payload: demoLifecyclePayload(MessageType.RESULT_RETURN, 'default', ghost),
    });
    const refused = await stack.client(B).submit(signed.envelope);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'MATERIAL_MISSING', materials: [expect.objectContaining({ pointer: '/resultFile', reason: 'NOT_STORED' })] });
    await c.expectState('APPROVED');
  });

  it('warns both districts at 80% of a limit and tells them when it is overdue, once each, signed by the gateway', async () => {
    const c = new Case();
    await c.submit();
    await c.acknowledge();
    await c.step(B, MessageType.ACCEPTANCE);
    // Move the clocks back instead of waiting days: accepted 10 days ago, promised limit passed an hour
    // ago, statutory limit due tomorrow (past its 80% mark).
    await stack.runtime.database.dataSource.query(
      `UPDATE cases SET accepted_at = now() - interval '10 days', promised_due_at = now() - interval '1 hour',
              statutory_due_at = now() + interval '1 day' WHERE case_number = $1`,
      [c.caseNumber],
    );
    // The promised limit is already overdue, so its (late) warning is not sent; the statutory one warns.
    const expected = ['PROMISED/OVERDUE', 'STATUTORY/WARNING'];
    for (const district of [A, B]) {
      const events = await eventually(async () => {
        const items = (await stack.client(district).pull(null, 500)).body.items.filter(
          (i) => i.caseNumber === c.caseNumber && i.messageType === MessageType.DEADLINE_EVENT,
        );
        return items.length >= expected.length ? items : undefined;
      });
      expect(events.every((e) => e.sender === 'gateway')).toBe(true);
      const payloads = await Promise.all(
        events.map(async (e) => {
          const decoded = decodeEnvelope(e.envelope);
          await verifyEnvelope(decoded, stack.runtime.keys); // the gateway's published key
          const p = decoded.body.payload as { deadline: string; kind: string };
          return `${p.deadline}/${p.kind}`;
        }),
      );
      expect(payloads.sort()).toEqual(expected);
      await stack.client(district).ack(events.map((e) => e.messageId));
    }
    // Several more timer ticks: nothing is announced twice.
    await new Promise((r) => setTimeout(r, 1_000));
    const [{ events, messages }] = await stack.runtime.database.dataSource.query(
      `SELECT (SELECT count(*)::int FROM deadline_events WHERE case_number = $1) AS events,
              (SELECT count(*)::int FROM messages WHERE case_number = $1 AND message_type = 'case.deadline-event') AS messages`,
      [c.caseNumber],
    );
    expect({ events, messages }).toEqual({ events: 2, messages: 4 });
    // A district cannot send one itself.
    const forged = await signedMessage(stack.signingKey(A), {
      caseNumber: c.caseNumber,
      collaborationId: c.collaborationId,
      sender: A,
      recipient: B,
      messageType: MessageType.DEADLINE_EVENT,
      payload: { deadline: 'PROMISED', kind: 'OVERDUE', dueAt: new Date().toISOString(), startedAt: new Date().toISOString(), emittedAt: new Date().toISOString() },
    });
    expect((await stack.client(A).submit(forged.envelope)).body).toMatchObject({ code: 'ACTION_NOT_ALLOWED' });
  });
});
