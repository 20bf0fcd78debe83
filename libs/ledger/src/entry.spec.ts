import { canonicalJson } from '@tongban/envelope';
import fc from 'fast-check';
import { LedgerEntryKind } from './entry-kind';
import { entryLeafData, entryLeafHash, type LedgerEntry } from './entry';
import { assertLedgerEntry, firstProblem, isValidEntryFast, parseLedgerEntry } from './entry.validator';
import { LedgerError, LedgerErrorCode } from './ledger.error';
import { leafHash } from './merkle';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const entry = (overrides: Partial<Record<keyof LedgerEntry, unknown>> = {}): LedgerEntry =>
  ({
    v: 1,
    id: '0192f5c4-8e7a-7c3e-9b1d-4a2f6e8c0d13',
    kind: LedgerEntryKind.MESSAGE_ACCEPTED,
    at: '2026-03-02T01:15:00.123Z',
    actor: 'gateway',
    caseNumber: 'LH-2026-000123',
    messageId: '0192f5c4-8e7a-7c3e-9b1d-4a2f6e8c0d99',
    messageType: 'case-submission',
    sender: '440303',
    recipient: 'HZ-ZHONGKAI',
    digest: DIGEST,
    ...overrides,
  }) as LedgerEntry;

function problemOf(value: unknown): { code: string; field: unknown; message: string } | null {
  try {
    assertLedgerEntry(value);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(LedgerError);
    const e = error as LedgerError;
    return { code: e.code, field: e.detail?.field, message: e.message };
  }
}

describe('ledger entries', () => {
  it('hashes the UTF-8 of the canonical JSON as an RFC 9162 leaf', () => {
    const e = entry({ detail: { attempt: 2, note: '通办', ok: true, none: null } });
    const data = entryLeafData(e);
    expect(data.toString('utf8')).toBe(canonicalJson(e));
    expect(data.toString('utf8').startsWith('{"actor":"gateway","at":')).toBe(true);
    expect(entryLeafHash(e)).toEqual(leafHash(data));
    // Member order does not matter: the canonical form is the same.
    const reordered = Object.fromEntries(Object.entries(e).reverse()) as unknown as LedgerEntry;
    expect(entryLeafHash(reordered)).toEqual(entryLeafHash(e));
  });

  it('accepts every kind with the fields it requires, and the actor forms', () => {
    for (const kind of Object.values(LedgerEntryKind)) {
      expect(problemOf(entry({ kind, receiptDigest: DIGEST, code: 'X', toState: 'ACCEPTED' }))).toBeNull();
    }
    for (const actor of ['gateway', '440303', 'HZ-ZHONGKAI', 'operator:admin', 'auditor:jiancha.1']) {
      expect(problemOf(entry({ actor }))).toBeNull();
    }
    expect(problemOf({ v: 1, id: '0192f5c4-8e7a-7c3e-9b1d-4a2f6e8c0d13', kind: 'CONFIG_LOADED', at: '2026-03-02T01:15:00Z', actor: 'gateway', caseNumber: undefined })).toBeNull();
  });

  it.each<[string, Partial<Record<keyof LedgerEntry | 'extra', unknown>>, string]>([
    ['a version other than 1', { v: 2 }, 'v'],
    ['a UUID that is not v7', { id: '0192f5c4-8e7a-4c3e-9b1d-4a2f6e8c0d13' }, 'id'],
    ['an upper-case id (two spellings, two leaves)', { id: '0192F5C4-8E7A-7C3E-9B1D-4A2F6E8C0D13' }, 'id'],
    ['an unknown kind', { kind: 'MESSAGE_LOST' }, 'kind'],
    ['a time with an offset other than Z', { at: '2026-03-02T09:15:00+08:00' }, 'at'],
    ['a time on a day that does not exist', { at: '2026-02-30T01:15:00Z' }, 'at'],
    ['an actor with a space', { actor: 'operator:li si' }, 'actor'],
    ['an operator without a name', { actor: 'operator:' }, 'actor'],
    ['an empty case number', { caseNumber: ' ' }, 'caseNumber'],
    ['a digest without the algorithm', { digest: 'ab'.repeat(32) }, 'digest'],
    ['a nested detail', { detail: { applicant: { name: '张三' } } }, 'detail'],
    ['a detail with a non-finite number', { detail: { n: Number.NaN } }, 'detail'],
    ['an unknown field', { extra: 'smuggled' }, 'extra'],
    ['an accepted message without digest', { digest: undefined }, 'digest'],
    ['an accepted message without messageId', { messageId: undefined }, 'messageId'],
    ['a receipt entry without receiptDigest', { kind: LedgerEntryKind.RECEIPT_ISSUED }, 'receiptDigest'],
    ['a rejection without code', { kind: LedgerEntryKind.MESSAGE_REJECTED }, 'code'],
    ['a state change without toState', { kind: LedgerEntryKind.CASE_STATE_CHANGED }, 'toState'],
  ])('refuses %s, naming the field', (_name, overrides, field) => {
    const problem = problemOf(entry(overrides));
    expect(problem).toMatchObject({ code: LedgerErrorCode.INVALID_ENTRY, field });
    expect(problem?.message).toContain(`"${field}"`);
  });

  it('never echoes the refused value (it may be personal data)', () => {
    expect(problemOf(entry({ caseNumber: '张三 110105194912310021'.padEnd(300, 'x') }))?.message).not.toContain('张三');
  });

  it('refuses to produce leaf data for an invalid entry', () => {
    expect(() => entryLeafData(entry({ at: 'yesterday' }))).toThrow(LedgerError);
  });

  it('parses leaf text, refusing what is not JSON', () => {
    const e = entry();
    expect(parseLedgerEntry(canonicalJson(e))).toEqual(e);
    expect(() => parseLedgerEntry('{"v":1')).toThrow(expect.objectContaining({ code: LedgerErrorCode.INVALID_ENTRY }));
    expect(() => parseLedgerEntry('[]')).toThrow(expect.objectContaining({ code: LedgerErrorCode.INVALID_ENTRY }));
  });
});

describe('the fast entry check', () => {
  // assertLedgerEntry trusts isValidEntryFast when it says yes: it must never say yes to what the
  // ordered, message-producing rules refuse.
  const field = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  const anyValue = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean(), fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.object())));
  const entryLike = fc.record(
    {
      v: fc.oneof(fc.constant(1), anyValue),
      id: fc.oneof(fc.constant('0192f5c4-8e7a-7c3e-9b1d-4a2f6e8c0d13'), fc.uuid(), anyValue),
      kind: fc.oneof(fc.constantFrom(...Object.values(LedgerEntryKind)), anyValue),
      at: fc.oneof(fc.constant('2026-03-02T01:15:00Z'), fc.constant('2026-02-30T01:15:00Z'), anyValue),
      actor: fc.oneof(fc.constantFrom('gateway', '440303', 'operator:admin', 'operator:', 'a b'), anyValue),
      caseNumber: field(fc.oneof(fc.constant('LH-1'), fc.constant(' '), anyValue)),
      messageId: field(fc.oneof(fc.uuid(), anyValue)),
      digest: field(fc.oneof(fc.constant(DIGEST), fc.constant(`sha256:${'AB'.repeat(32)}`), anyValue)),
      receiptDigest: field(fc.oneof(fc.constant(DIGEST), anyValue)),
      code: field(fc.oneof(fc.constant('X'), anyValue)),
      toState: field(fc.oneof(fc.constant('ACCEPTED'), anyValue)),
      detail: field(fc.oneof(fc.constant({ a: 1 }), anyValue)),
      extra: field(anyValue),
    },
    { requiredKeys: [] },
  );

  it('agrees with the ordered rules on every input', () => {
    fc.assert(
      fc.property(entryLike, (value) => {
        const record = value as Record<string, unknown>;
        if (isValidEntryFast(record)) expect(firstProblem(record)).toBeNull();
      }),
      { numRuns: 3000 },
    );
  });

  it('says yes to valid entries (else the verifier would be slow, not wrong)', () => {
    expect(isValidEntryFast(entry() as unknown as Record<string, unknown>)).toBe(true);
    expect(isValidEntryFast(entry({ detail: { a: 1, b: 'x', c: null, d: false } }) as unknown as Record<string, unknown>)).toBe(true);
  });
});
