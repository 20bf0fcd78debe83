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
  async findCaseByCollaborationId(id: string) {
    return [...this.cases.values()].find((c) => c.collaborationId === id) ?? null;
  }
  async commitAccepted(m: StoredMessage, change: CaseChange) {
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

  beforeEach(() => {
    store = new MemoryStore();
    notified = 0;
    let n = 0;
    useCase = new AcceptMessageUseCase(
      store as unknown as HandoffStore,
      keys,
      ContractRegistry.loadFromDirectory(join(ROOT, 'contracts')),
      { alliance: config.alliance, maxMessageBytes: 65536, sentAtPastSeconds: 900, sentAtFutureSeconds: 120 },
      new MessageCatalogue(),
      { gatewayId: 'gw', sign: async (body) => `receipt-for-${body.messageId}` },
      { notify: () => (notified += 1) },
      { now: () => NOW } as Clock,
      { next: () => `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}` } as IdGenerator,
    );
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

  // Two gateways get the same message at once. The loser finds no message yet; depending on when the
  // winner commits, it then finds the winner's case (and refuses it as existing), or its commit collides
  // on the case row, the case state or the message row. Each way it must answer with the winner's receipt.
  const allLookups = ['findMessage', 'findCase', 'findCaseByCollaborationId'] as const;
  it.each<[string, ReadonlyArray<(typeof allLookups)[number]>, (() => Error) | undefined]>([
    ['finds the case the winner opened', ['findMessage'], undefined],
    ['collides on the case row', allLookups, () => new DuplicateCaseError('ZK-2026-0001')],
    ['collides on the case state', allLookups, () => new CaseConflictError('ZK-2026-0001', CaseState.DISPATCHED)],
    ['collides on the message row', allLookups, () => new DuplicateMessageError(submission().messageId)],
  ])('answers the loser of a race on one message id that %s with the winner’s receipt', async (_how, blindTo, collision) => {
    const first = await (await send(submission())).result;
    const racing = () => {
      for (const method of blindTo) {
        const real = MemoryStore.prototype[method].bind(store);
        let blind = true;
        store[method] = async (key: string) => (blind ? ((blind = false), null) : real(key)) as never;
      }
      if (collision) {
        store.commitAccepted = async () => {
          throw collision();
        };
      }
    };
    racing();
    await expect((await send(submission())).result).resolves.toEqual({ ...first, duplicate: true });
    expect(store.rejections).toEqual([]);
    // The same race with another body under the id is still a reused id, not a duplicate.
    racing();
    const reused = await refusal((await send(submission({ sentAt: new Date(NOW.getTime() - 1_000).toISOString() }))).result);
    expect(reused.code).toBe(CaseErrorCode.MESSAGE_ID_REUSED);
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
    expect(error.detail.knownVersions).toEqual(['1.0.0']);
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
    expect(wrongParty.detail.allowedActions).toEqual([]);
    await (await send(ack(B, A, '0193a000-0000-7000-8000-000000000003'), B)).result;
    expect(store.cases.get('ZK-2026-0001')!.state).toBe(CaseState.ACKNOWLEDGED);
  });
});
