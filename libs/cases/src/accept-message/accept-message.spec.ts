import { loadCalendars } from '@tongban/calendar';
import { AppConfig, loadConfig } from '@tongban/config';
import { ContractRegistry } from '@tongban/contracts';
import { KeyRing, MessageType, SigningKey, sha256Digest, signEnvelope } from '@tongban/envelope';
import { issueSigningKey } from '@tongban/pki';
import { join } from 'node:path';
import { CaseError, CaseErrorCode } from '../case-error';
import { CaseState } from '../case-state';
import { MessageCatalogue } from '../catalogue/message-catalogue';
import { Clock, IdGenerator } from '../ports/clock.port';
import {
  CaseChange,
  CaseConflictError,
  CaseRecord,
  DuplicateCaseError,
  DuplicateMessageError,
  HandoffStore,
  Rejection,
  StoredMessage,
} from '../ports/handoff-store.port';
import { CheckMaterialReferencesUseCase } from '../materials/check-material-references.usecase';
import { AcceptMessageUseCase } from './accept-message.usecase';

const ROOT = join(__dirname, '..', '..', '..', '..');
const A = 'HZ-ZHONGKAI';
const B = '440303';
const NOW = new Date('2026-11-25T02:00:00Z');

/** Just enough of the store for the accepting rules; the real one is tested end to end in test/. */
class MemoryStore {
  messages = new Map<string, StoredMessage>();
  cases = new Map<string, CaseRecord>();
  rejections: Rejection[] = [];
  commits = 0;
  async findMessage(id: string) {
    return this.messages.get(id) ?? null;
  }
  async findCase(n: string) {
    return this.cases.get(n) ?? null;
  }
  /** Enforces the same unique keys and compare-and-set as the PostgreSQL store. */
  async commitAccepted(m: StoredMessage, change: CaseChange) {
    if (change.kind === 'open') {
      if (this.cases.has(change.record.caseNumber)) throw new DuplicateCaseError(change.record.caseNumber, 'caseNumber');
      if ([...this.cases.values()].some((c) => c.collaborationId === change.record.collaborationId)) {
        throw new DuplicateCaseError(change.record.caseNumber, 'collaborationId');
      }
    } else if (this.cases.get(change.caseNumber)?.state !== change.from) {
      throw new CaseConflictError(change.caseNumber, this.cases.get(change.caseNumber)?.state ?? null);
    }
    if (this.messages.has(m.messageId)) throw new DuplicateMessageError(m.messageId);
    this.commits += 1;
    if (change.kind === 'open') this.cases.set(change.record.caseNumber, change.record);
    else this.cases.set(change.caseNumber, { ...this.cases.get(change.caseNumber)!, state: change.to });
    this.messages.set(m.messageId, m);
  }
  async recordRejection(r: Rejection) {
    this.rejections.push(r);
  }
}

describe('AcceptMessageUseCase', () => {
  let config: AppConfig;
  let keys: KeyRing;
  let signing: Record<string, SigningKey>;
  let store: MemoryStore;
  let useCase: AcceptMessageUseCase;
  let notified: number;

  beforeAll(async () => {
    config = loadConfig({ rootDir: ROOT, env: {} });
    keys = new KeyRing();
    signing = {};
    for (const id of [A, B]) {
      const { privateJwk, publicJwk } = await issueSigningKey('ES256');
      keys.add(id, { keys: [publicJwk] });
      signing[id] = { kid: privateJwk.kid, alg: 'ES256', privateJwk };
    }
  });

  const makeUseCase = (now: Date) => {
    let n = 0;
    return new AcceptMessageUseCase(
      store as unknown as HandoffStore,
      keys,
      ContractRegistry.loadFromDirectory(join(ROOT, 'contracts')),
      { alliance: config.alliance, maxMessageBytes: 65536, sentAtPastSeconds: 900, sentAtFutureSeconds: 120, calendars: loadCalendars(join(ROOT, 'config', 'calendars')) },
      new MessageCatalogue(),
      { gatewayId: 'gw', signReceipt: async (body) => `receipt-for-${body.messageId}`, signConversion: async (body) => `conversion-for-${body.messageId}`, signEnvelope: async () => 'envelope' },
      { notify: () => (notified += 1) },
      { now: () => now } as Clock,
      { next: () => `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}` } as IdGenerator,
      // Materials have their own spec (materials.spec.ts); these payloads reference none.
      { execute: async () => [] } as unknown as CheckMaterialReferencesUseCase,
    );
  };

  beforeEach(() => {
    store = new MemoryStore();
    notified = 0;
    useCase = makeUseCase(NOW);
  });

  const submission = (overrides: Record<string, unknown> = {}) => ({
    messageId: '0193a000-0000-7000-8000-000000000001',
    caseNumber: 'ZK-2026-0001',
    collaborationId: 'collab-0001',
    sender: A,
    recipient: B,
    messageType: MessageType.CASE_SUBMISSION,
    sentAt: NOW.toISOString(),
    payload: {
      item: { basicCode: config.alliance.findAgreement(A, B, config.alliance.agreements.find((a) => a.approvingDistrict === B)!.items[0].implementationCode)!.item.basicCode, implementationCode: config.alliance.agreements.find((a) => a.approvingDistrict === B)!.items[0].implementationCode, name: '无犯罪记录证明' },
      caseType: '2',
      mode: 'REMOTE_COLLECTION',
      applicant: { kind: 'NATURAL_PERSON', name: '张三', idType: '111', idNumber: '11010519491231002X' },
      source: 'WINDOW',
      appliedAt: NOW.toISOString(),
      collectedBy: { officer: 'desk-07', hallName: '仲恺跨域通办窗口', collectedAt: NOW.toISOString() },
      intakeReceipt: { number: 'SJ-1' },
      materials: [{ code: 'M1', name: '身份证', form: 'COPY', count: 1, receivedAt: NOW.toISOString() }],
    },
    ...overrides,
  });

  async function send(body: Record<string, unknown>, as = A, key = signing[(body.sender as string) ?? A], version = '1.0.0') {
    const id = body.messageType === MessageType.CASE_ACKNOWLEDGEMENT ? 'case-acknowledgement' : 'case-submission';
    const envelope = await signEnvelope(body as never, key, { id, version });
    return { envelope, result: useCase.execute({ envelope, callerDistrict: as, sizeBytes: envelope.length }) };
  }

  async function refusal(promise: Promise<unknown>): Promise<CaseError> {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(CaseError);
    return error as CaseError;
  }

  it('accepts a submission: opens the case DISPATCHED, returns the receipt, wakes the relay', async () => {
    const { result } = await send(submission());
    await expect(result).resolves.toEqual({ messageId: submission().messageId, messageType: 'case.submission', receipt: `receipt-for-${submission().messageId}`, duplicate: false });
    expect(store.cases.get('ZK-2026-0001')).toMatchObject({ state: CaseState.DISPATCHED, collectingDistrict: A, approvingDistrict: B });
    expect(notified).toBe(1);
  });

  it('answers a repeated message id with the original receipt and refuses it with another body', async () => {
    await (await send(submission())).result;
    await expect((await send(submission())).result).resolves.toMatchObject({ duplicate: true });
    const reused = await refusal((await send(submission({ caseNumber: 'other' }))).result);
    expect(reused.code).toBe(CaseErrorCode.MESSAGE_ID_REUSED);
    expect(store.commits).toBe(1);
  });

  // A repeated id is not looked up first; whatever it trips over (its own row, its case, the case's new
  // state, a sentAt now out of the window) leads back to the earlier message. This is also how the loser
  // of two concurrent submissions of one message through two gateways gets the winner's receipt.
  it.each<[string, () => Error]>([
    ['the message row', () => new DuplicateMessageError(submission().messageId)],
    ['the case row', () => new DuplicateCaseError('ZK-2026-0001', 'caseNumber')],
    ['the case state', () => new CaseConflictError('ZK-2026-0001', CaseState.ACKNOWLEDGED)],
  ])('answers a repeat that collides on %s with the original receipt, or MESSAGE_ID_REUSED', async (_what, collision) => {
    const first = await (await send(submission())).result;
    store.commitAccepted = async () => {
      throw collision();
    };
    await expect((await send(submission())).result).resolves.toEqual({ ...first, duplicate: true });
    const reused = await refusal((await send(submission({ sentAt: new Date(NOW.getTime() - 1_000).toISOString() }))).result);
    expect(reused.code).toBe(CaseErrorCode.MESSAGE_ID_REUSED);
    expect(store.rejections.map((r) => r.code)).toEqual(['MESSAGE_ID_REUSED']);
  });

  it('answers a repeat whose sentAt has left the window with the original receipt', async () => {
    const first = await (await send(submission())).result;
    useCase = makeUseCase(new Date(NOW.getTime() + 3_600_000));
    await expect((await send(submission())).result).resolves.toEqual({ ...first, duplicate: true });
    // …while a new message with that sentAt is refused.
    const late = await refusal((await send(submission({ messageId: '0193a000-0000-7000-8000-0000000000b1', caseNumber: 'ZK-3', collaborationId: 'c3' }))).result);
    expect(late.code).toBe(CaseErrorCode.SENT_AT_OUT_OF_WINDOW);
  });

  it('refuses a second case with a used case number or collaboration id', async () => {
    await (await send(submission())).result;
    const sameNumber = await refusal((await send(submission({ messageId: '0193a000-0000-7000-8000-0000000000a1', collaborationId: 'other' }))).result);
    expect(sameNumber).toMatchObject({ code: CaseErrorCode.CASE_EXISTS, detail: { caseNumber: 'ZK-2026-0001' } });
    const sameCollaboration = await refusal((await send(submission({ messageId: '0193a000-0000-7000-8000-0000000000a2', caseNumber: 'ZK-2' }))).result);
    expect(sameCollaboration).toMatchObject({ code: CaseErrorCode.CASE_EXISTS, detail: { collaborationId: 'collab-0001' } });
  });

  it('refuses a sender other than the certificate before anything else, and records the refusal', async () => {
    const error = await refusal((await send(submission(), B)).result);
    expect(error.code).toBe(CaseErrorCode.SENDER_NOT_CALLER);
    expect(store.rejections).toEqual([expect.objectContaining({ peer: B, code: 'SENDER_NOT_CALLER', messageId: submission().messageId })]);
    expect(store.commits).toBe(0);
  });

  it('refuses a signature by another key', async () => {
    const error = await refusal((await send(submission(), A, { ...signing[B], kid: signing[A].kid, privateJwk: { ...signing[B].privateJwk, kid: undefined } as never })).result);
    expect(error.code).toBe(CaseErrorCode.SIGNATURE_INVALID);
  });

  it('names the failing JSON pointer of a schema violation', async () => {
    const body = submission();
    (body.payload as { applicant: { idNumber: string } }).applicant.idNumber = '123';
    const error = await refusal((await send(body)).result);
    expect(error.code).toBe(CaseErrorCode.SCHEMA_VIOLATION);
    expect(error.detail.violations).toEqual(expect.arrayContaining([expect.objectContaining({ pointer: '/payload/applicant/idNumber' })]));
  });

  it('refuses an unknown contract version, listing the known ones', async () => {
    const error = await refusal((await send(submission(), A, signing[A], '9.0.0')).result);
    expect(error.code).toBe(CaseErrorCode.UNKNOWN_CONTRACT_VERSION);
    expect(error.detail.knownVersions).toEqual(['1.0.0', '2.0.0']);
  });

  it.each([
    ['too old', -901],
    ['in the future', 121],
  ])('refuses sentAt %s', async (_label, offsetSeconds) => {
    const error = await refusal((await send(submission({ sentAt: new Date(NOW.getTime() + offsetSeconds * 1000).toISOString() }))).result);
    expect(error.code).toBe(CaseErrorCode.SENT_AT_OUT_OF_WINDOW);
  });

  it('refuses a recipient outside every agreement', async () => {
    const error = await refusal((await send(submission({ recipient: '370202' }))).result);
    expect([CaseErrorCode.NOT_IN_AGREEMENT, CaseErrorCode.CONTRACT_VERSION_NOT_ACCEPTED]).toContain(error.code);
  });

  it('refuses an envelope over the size limit without parsing it', async () => {
    const error = await refusal(useCase.execute({ envelope: 'x', callerDistrict: A, sizeBytes: 65537 }));
    expect(error.code).toBe(CaseErrorCode.PAYLOAD_TOO_LARGE);
    expect(store.rejections[0]).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', envelopeDigest: sha256Digest('x') });
  });

  it('moves the case to ACKNOWLEDGED on the approving side’s 签收, and refuses it from the collecting side', async () => {
    const { envelope } = await send(submission());
    await (await send(submission())).result;
    const ack = (from: string, to: string, id: string) => ({
      messageId: id,
      caseNumber: 'ZK-2026-0001',
      collaborationId: 'collab-0001',
      sender: from,
      recipient: to,
      messageType: MessageType.CASE_ACKNOWLEDGEMENT,
      sentAt: NOW.toISOString(),
      payload: { acknowledgedMessageId: submission().messageId, acknowledgedEnvelopeDigest: store.messages.get(submission().messageId)!.envelopeDigest, signedBy: { officer: 'x' }, signedAt: NOW.toISOString() },
    });
    expect(envelope).toBeDefined();
    const wrongParty = await refusal((await send(ack(A, B, '0193a000-0000-7000-8000-000000000002'))).result);
    expect(wrongParty.code).toBe(CaseErrorCode.ACTION_NOT_ALLOWED);
    expect([...(wrongParty.detail.allowedActions as string[])].sort()).toEqual(['case.originals-mailed', 'case.termination', 'case.withdrawal']);
    await (await send(ack(B, A, '0193a000-0000-7000-8000-000000000003'), B)).result;
    expect(store.cases.get('ZK-2026-0001')!.state).toBe(CaseState.ACKNOWLEDGED);
  });
});
