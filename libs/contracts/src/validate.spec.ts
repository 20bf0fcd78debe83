import { signEnvelope } from '@tongban/envelope';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ContractError, ContractErrorCode } from './contract.error';
import { canonicalJson } from './envelope.decode';
import { validateMessage, validatePayload } from './validate';

const CONTRACTS_DIR = resolve(__dirname, '../../../contracts');
const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(resolve(CONTRACTS_DIR, path), 'utf8')) as Record<string, unknown>;
const ack = readJson('case-acknowledgement/1.0.0/examples/valid/minimal.json');
const submission = readJson('case-submission/1.0.0/examples/valid/natural-person-remote-collection.json');
const submissionV2 = readJson('case-submission/2.0.0/examples/valid/natural-person-remote-collection.json');

function body(messageType: string, payload: unknown, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    messageId: '0192f5c4-8e7a-7c3e-9b1d-4a2f6e8c0d13',
    caseNumber: 'LH-2026-000123',
    collaborationId: 'XT-440303-440106-2026-0001',
    sender: '440303',
    recipient: '440106',
    messageType,
    sentAt: '2026-03-02T09:15:00+08:00',
    payload,
    ...overrides,
  };
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
/** An unsigned-but-well-formed compact JWS (signatures are not verified offline). */
function jws(header: Record<string, unknown>, payloadText: string): string {
  return `${b64(JSON.stringify(header))}.${b64(payloadText)}.${Buffer.alloc(64, 7).toString('base64url')}`;
}
const HEADER = { alg: 'EdDSA', kid: 'k1', typ: 'tongban-envelope+jws', ctr: 'case-acknowledgement@1.0.0' };

function thrown(fn: () => unknown): ContractError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ContractError) return error;
    throw error;
  }
  throw new Error('expected a ContractError');
}

describe('validatePayload', () => {
  it('accepts a valid payload and reports each violation with its pointer', () => {
    expect(validatePayload('case-acknowledgement', '1.0.0', ack)).toEqual([]);
    expect(validatePayload('case-acknowledgement', '1.0.0', { ...ack, signedAt: '2026-02-30T10:00:00+08:00' })).toEqual([
      { pointer: '/signedAt', keyword: 'format', message: expect.stringContaining('签收时间') },
    ]);
  });

  it('throws UNKNOWN_VERSION listing the known versions', () => {
    const error = thrown(() => validatePayload('case-acknowledgement', '9.0.0', ack));
    expect(error.code).toBe(ContractErrorCode.UNKNOWN_VERSION);
    expect(error.message).toContain('1.0.0');
  });
});

describe('validateMessage', () => {
  describe('a bare payload', () => {
    it('needs a contract, by id or message type, with or without version', () => {
      for (const contract of ['case-acknowledgement@1.0.0', 'case.acknowledgement@1.0.0', 'case.acknowledgement']) {
        expect(validateMessage(ack, { contract })).toEqual({
          kind: 'payload',
          contract: { id: 'case-acknowledgement', version: '1.0.0' },
          versionSource: 'option',
          valid: true,
          violations: [],
          payloadPointer: '',
        });
      }
      expect(thrown(() => validateMessage(ack)).code).toBe(ContractErrorCode.CONTRACT_REQUIRED);
      expect(thrown(() => validateMessage(ack, { contract: 'case-nothing' })).code).toBe(ContractErrorCode.UNKNOWN_CONTRACT);
    });

    it('reports payload violations with pointers into the payload, from an object or from JSON text', () => {
      const broken = { ...ack, remark: 7 };
      for (const input of [broken, JSON.stringify(broken, null, 2)]) {
        const result = validateMessage(input, { contract: 'case-acknowledgement@1.0.0' });
        expect(result.valid).toBe(false);
        expect(result.violations).toEqual([{ target: 'payload', pointer: '/remark', keyword: 'type', message: expect.stringContaining('备注 / Remark') }]);
      }
    });

    it('reports text that is not JSON as a syntax violation', () => {
      const result = validateMessage('{"acknowledgedMessageId": ', { contract: 'case-acknowledgement' });
      expect(result).toMatchObject({ kind: 'payload', valid: false, violations: [{ target: 'document', keyword: 'syntax', pointer: '' }] });
      expect(validateMessage('hello world').violations[0].message).toContain('neither JSON nor a compact JWS');
    });
  });

  describe('envelope JSON', () => {
    it('picks the contract by messageType, the newest version unless told', () => {
      const result = validateMessage(body('case.submission', submissionV2));
      expect(result).toMatchObject({ kind: 'envelope-json', contract: { id: 'case-submission', version: '2.0.0' }, versionSource: 'newest', valid: true, payloadPointer: '/payload' });
      expect(validateMessage(body('case.submission', submission), { contract: 'case-submission@1.0.0' })).toMatchObject({ versionSource: 'option', valid: true });
      // A 1.0.0 payload checked against the newest version fails on the applicant name it no longer has.
      expect(validateMessage(body('case.submission', submission)).violations.map((v) => v.pointer)).toEqual(
        expect.arrayContaining(['/applicant/name', '/applicant/familyName', '/applicant/givenName']),
      );
    });

    it('reports envelope and payload violations apart', () => {
      const result = validateMessage(body('case.acknowledgement', { ...ack, signedBy: {} }, { messageId: 'nope', extra: 1 }));
      expect(result.violations.map((v) => [v.target, v.pointer])).toEqual([
        ['envelope', '/messageId'],
        ['envelope', '/extra'],
        ['payload', '/signedBy/officer'],
      ]);
    });

    it('refuses a messageType that is not the contract asked for, and an unknown one', () => {
      const result = validateMessage(body('case.submission', ack), { contract: 'case-acknowledgement@1.0.0' });
      expect(result.violations).toContainEqual(expect.objectContaining({ target: 'envelope', pointer: '/messageType' }));
      expect(thrown(() => validateMessage(body('case.unknown', ack))).code).toBe(ContractErrorCode.UNKNOWN_CONTRACT);
    });
  });

  describe('a JWS envelope', () => {
    it('accepts an envelope signed by @tongban/envelope, as the gateway receives it', async () => {
      const { privateKey } = generateKeyPairSync('ed25519');
      const key = { kid: 'k1', alg: 'EdDSA' as const, privateJwk: { ...privateKey.export({ format: 'jwk' }), kid: 'k1' } };
      const signed = await signEnvelope(body('case.submission', submission) as never, key, { id: 'case-submission', version: '1.0.0' });
      for (const input of [signed, `${signed}\n`, JSON.stringify(signed)]) {
        expect(validateMessage(input)).toEqual({
          kind: 'jws',
          contract: { id: 'case-submission', version: '1.0.0' },
          versionSource: 'ctr',
          valid: true,
          violations: [],
          payloadPointer: null,
        });
      }
    });

    it('validates the payload against the contract named by ctr', () => {
      const result = validateMessage(jws(HEADER, canonicalJson(body('case.acknowledgement', { ...ack, acknowledgedEnvelopeDigest: 'sha256:XYZ' }))));
      expect(result.contract).toEqual({ id: 'case-acknowledgement', version: '1.0.0' });
      expect(result.violations).toEqual([expect.objectContaining({ target: 'payload', pointer: '/acknowledgedEnvelopeDigest', keyword: 'pattern' })]);
    });

    it('reports a non-canonical payload, a wrong header and a messageType that ctr does not name', () => {
      const text = JSON.stringify(body('case.submission', ack), null, 1); // not RFC 8785
      const result = validateMessage(jws({ ...HEADER, typ: 'JWT', x5u: 'https://example.org' }, text));
      expect(result.violations.map((v) => [v.target, v.keyword, v.pointer])).toEqual([
        ['header', 'header', '/typ'],
        ['header', 'header', '/x5u'],
        ['document', 'canonical', ''],
        ['envelope', 'envelope', '/messageType'],
      ]);
    });

    it('has no contract when the header has no usable ctr, and throws for an unknown version', () => {
      const result = validateMessage(jws({ ...HEADER, ctr: 'case-acknowledgement' }, canonicalJson(body('case.acknowledgement', ack))));
      expect(result).toMatchObject({ kind: 'jws', contract: null, valid: false, violations: [expect.objectContaining({ target: 'header', pointer: '/ctr' })] });
      const error = thrown(() => validateMessage(jws({ ...HEADER, ctr: 'case-acknowledgement@2.0.0' }, canonicalJson(body('case.acknowledgement', ack)))));
      expect(error.code).toBe(ContractErrorCode.UNKNOWN_VERSION);
    });

    it('reports what is wrong with a JWS that does not decode', () => {
      expect(validateMessage('WyJ4Il0.bm90IGpzb24.c2ln')).toMatchObject({ kind: 'jws', contract: null, violations: [{ target: 'document', message: expect.stringContaining('protected header') }] });
      expect(validateMessage(`${b64(JSON.stringify(HEADER))}.bm90IGpzb24.c2ln`).violations[0].message).toBe('JWS payload is not JSON');
    });
  });
});
