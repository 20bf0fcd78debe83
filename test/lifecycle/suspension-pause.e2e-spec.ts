import { MessageType, sha256Digest } from '@tongban/envelope';
import { demoCaseNumber, demoLifecyclePayload, demoSubmissionPayload, signedMessage } from '@tongban/partner-client';
import { v7 as uuidv7 } from 'uuid';
import { MovableClock, Stack, createTestDatabase, eventually, startStack, uniquePrefix } from '../support/harness';

const A = 'HZ-ZHONGKAI'; // collecting hall
const B = '440303'; // approving jurisdiction: its calendar (national, 2026) decides

interface Deadlines {
  promisedDueAt: string;
  statutoryDueAt: string;
  suspendedAt: string | null;
  pausedWorkingDays: number;
}

/**
 * Suspensions stop the clock (DOMAIN §5): the due dates move by exactly the working days paused.
 * Times are the gateway's own (when it accepted each message), so the test moves the gateway's clock.
 */
describe('suspended working days extend the due dates, on PostgreSQL + RabbitMQ', () => {
  const clock = new MovableClock('2026-03-02T02:00:00Z'); // a Monday, 10:00 in Beijing
  let stack: Stack;
  let db: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    db = await createTestDatabase();
    stack = await startStack({ databaseUrl: db.url, amqpPrefix: uniquePrefix('pause'), clock });
  });
  afterAll(async () => {
    await stack?.stop();
    await db?.drop();
  });

  const caseNumber = demoCaseNumber(A);
  const collaborationId = uuidv7();

  async function step(from: string, messageType: MessageType, payload: Record<string, unknown>) {
    const to = from === A ? B : A;
    const signed = await signedMessage(stack.signingKey(from), {
      caseNumber, collaborationId, sender: from, recipient: to, messageType, payload,
      sentAt: clock.now().toISOString(), // within the gateway's window around its (moved) clock
    });
    const response = await stack.client(from).submit(signed.envelope);
    expect({ messageType, status: response.status, body: response.body }).toMatchObject({ messageType, status: 202 });
    await eventually(async () => (await stack.client(to).pull()).body.items.find((i) => i.messageId === signed.body.messageId));
    return signed;
  }

  /** Both districts see the same deadlines. */
  async function deadlines(): Promise<Deadlines> {
    const [a, b] = await Promise.all([A, B].map(async (d) => ((await stack.client(d).getCase(caseNumber)).body as { deadlines: Deadlines }).deadlines));
    expect(a).toEqual(b);
    return a;
  }

  it('a special procedure over a weekend pauses 3 working days, a supplement after acceptance 2 more; the due dates move by exactly that', async () => {
    const calendar = stack.runtime.calendars.forDistrict(B);
    const submission = await step(A, MessageType.CASE_SUBMISSION, { ...demoSubmissionPayload(stack.config.alliance, A, B), caseType: '2' });
    await step(B, MessageType.CASE_ACKNOWLEDGEMENT, {
      acknowledgedMessageId: submission.body.messageId,
      acknowledgedEnvelopeDigest: sha256Digest(submission.envelope),
      signedBy: { officer: 'approver-01' },
      signedAt: clock.now().toISOString(),
    });
    await step(B, MessageType.ACCEPTANCE, demoLifecyclePayload(MessageType.ACCEPTANCE)); // Monday 2026-03-02 10:00 CST
    const accepted = await deadlines();
    expect(accepted.pausedWorkingDays).toBe(0);
    await step(B, MessageType.PROCESSING_STEP, demoLifecyclePayload(MessageType.PROCESSING_STEP, 'undertake'));

    clock.set('2026-03-05T02:00:00Z'); // Thursday 10:00: expert review (特别程序) starts
    await step(B, MessageType.SUSPENSION, demoLifecyclePayload(MessageType.SUSPENSION));
    expect(await deadlines()).toMatchObject({ suspendedAt: '2026-03-05T02:00:00.000Z', promisedDueAt: accepted.promisedDueAt });
    clock.set('2026-03-10T02:00:00Z'); // next Tuesday 10:00: Thu→Fri, Fri→Mon, Mon→Tue = 3 working days, 5 natural ones
    await step(B, MessageType.RESUMPTION, demoLifecyclePayload(MessageType.RESUMPTION));
    const resumed = await deadlines();
    expect(resumed.suspendedAt).toBeNull();
    expect(resumed.pausedWorkingDays).toBe(3);
    for (const due of ['promisedDueAt', 'statutoryDueAt'] as const) {
      expect({ due, moved: calendar.workingDaysBetween(new Date(accepted[due]), new Date(resumed[due])) }).toEqual({ due, moved: 3 });
    }

    clock.set('2026-03-10T06:00:00Z'); // Tuesday 14:00: a supplement after acceptance stops the clock again
    await step(B, MessageType.SUPPLEMENT_REQUEST, demoLifecyclePayload(MessageType.SUPPLEMENT_REQUEST, 'after-acceptance'));
    clock.set('2026-03-12T06:00:00Z'); // Thursday 14:00: it comes
    await step(A, MessageType.SUPPLEMENT, demoLifecyclePayload(MessageType.SUPPLEMENT));
    const supplemented = await deadlines();
    expect(supplemented.pausedWorkingDays).toBe(5);
    for (const due of ['promisedDueAt', 'statutoryDueAt'] as const) {
      expect({ due, moved: calendar.workingDaysBetween(new Date(accepted[due]), new Date(supplemented[due])) }).toEqual({ due, moved: 5 });
    }
    expect(((await stack.client(A).getCase(caseNumber)).body as { state: string }).state).toBe('IN_REVIEW');
  });
});
