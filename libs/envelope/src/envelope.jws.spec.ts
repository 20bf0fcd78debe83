import { CompactSign, importJWK, type JWK } from 'jose';
import { canonicalJson } from './canonical-json';
import { decodeEnvelope, signEnvelope, verifyEnvelope } from './envelope.jws';
import { EnvelopeError, EnvelopeErrorCode } from './envelope.error';
import { ENVELOPE_TYP, type SignatureAlgorithm, type SigningKey } from './envelope.types';
import { KeyRing } from './key.ring';
import { MessageType } from './message-type';
import { sha256Digest } from './sha256-digest';
import { testBody, testKey } from './test-keys.fixture';

const CONTRACT = { id: 'case-submission', version: '1.0.0' };
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/** Signs arbitrary header and payload text, so that tests can build envelopes signEnvelope would refuse to make. */
async function signRaw(key: SigningKey, header: Record<string, unknown>, payloadText: string): Promise<string> {
  const privateKey = await importJWK(key.privateJwk as JWK, key.alg);
  return new CompactSign(new TextEncoder().encode(payloadText)).setProtectedHeader(header as { alg: string }).sign(privateKey);
}

async function expectCode(promise: Promise<unknown>, code: EnvelopeErrorCode): Promise<EnvelopeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EnvelopeError);
  expect((error as EnvelopeError).code).toBe(code);
  return error as EnvelopeError;
}

function decodeError(jws: string): EnvelopeError {
  try {
    decodeEnvelope(jws);
  } catch (error) {
    if (error instanceof EnvelopeError) return error;
    throw error;
  }
  throw new Error('decodeEnvelope accepted the input');
}

describe.each<SignatureAlgorithm>(['ES256', 'EdDSA'])('envelope %s', (alg) => {
  let key: SigningKey;
  let ring: KeyRing;

  beforeAll(async () => {
    const generated = await testKey(alg);
    key = generated.signingKey;
    ring = new KeyRing([{ owner: '440303', jwks: { keys: [generated.publicJwk] } }]);
  });

  it('signs, decodes and verifies', async () => {
    const body = testBody();
    const jws = await signEnvelope(body, key, CONTRACT);
    const decoded = decodeEnvelope(jws);
    expect(decoded.header).toEqual({ alg, kid: key.kid, typ: ENVELOPE_TYP, ctr: 'case-submission@1.0.0' });
    expect(decoded.body).toEqual(body);
    expect(decoded.contract).toEqual(CONTRACT);
    expect(decoded.raw).toBe(jws);
    expect(decoded.digest).toBe(sha256Digest(jws));
    await expect(verifyEnvelope(decoded, ring)).resolves.toBeUndefined();
  });

  it('refuses a tampered payload with BAD_SIGNATURE', async () => {
    const [h, , sig] = (await signEnvelope(testBody(), key, CONTRACT)).split('.');
    // Canonical, so that the tampering reaches the signature check instead of NOT_CANONICAL.
    const forged = decodeEnvelope(`${h}.${b64(canonicalJson(testBody({ recipient: '440304' })))}.${sig}`);
    expect(forged.body.recipient).toBe('440304');
    await expectCode(verifyEnvelope(forged, ring), EnvelopeErrorCode.BAD_SIGNATURE);
  });

  it('refuses a signature made by another key under the same kid', async () => {
    const impostor = (await testKey(alg)).signingKey;
    const jws = await signEnvelope(testBody(), { ...impostor, kid: key.kid, privateJwk: { ...impostor.privateJwk, kid: key.kid } }, CONTRACT);
    await expectCode(verifyEnvelope(decodeEnvelope(jws), ring), EnvelopeErrorCode.BAD_SIGNATURE);
  });

  it('refuses a decoded envelope whose body was changed after decoding', async () => {
    const decoded = decodeEnvelope(await signEnvelope(testBody(), key, CONTRACT));
    decoded.body.recipient = '440304';
    await expectCode(verifyEnvelope(decoded, ring), EnvelopeErrorCode.BAD_SIGNATURE);
  });

  it('refuses a decoded envelope whose header was changed after decoding', async () => {
    const decoded = decodeEnvelope(await signEnvelope(testBody(), key, CONTRACT));
    decoded.header.ctr = 'case-submission@2.0.0';
    await expectCode(verifyEnvelope(decoded, ring), EnvelopeErrorCode.BAD_SIGNATURE);
  });

  it('refuses a non-canonical payload even when its signature is valid', async () => {
    const body = testBody();
    const { payload, ...rest } = body;
    const reordered = JSON.stringify({ payload, ...rest });
    const jws = await signRaw(key, { alg, kid: key.kid, typ: ENVELOPE_TYP, ctr: 'case-submission@1.0.0' }, reordered);
    expect(decodeError(jws).code).toBe(EnvelopeErrorCode.NOT_CANONICAL);
  });
});

describe('envelope keys', () => {
  it('answers UNKNOWN_KID for a kid the sender never registered', async () => {
    const registered = await testKey('ES256');
    const other = await testKey('ES256');
    const ring = new KeyRing([{ owner: '440303', jwks: { keys: [registered.publicJwk] } }]);
    const error = await expectCode(verifyEnvelope(decodeEnvelope(await signEnvelope(testBody(), other.signingKey, CONTRACT)), ring), EnvelopeErrorCode.UNKNOWN_KID);
    expect(error.detail).toMatchObject({ owner: '440303', kid: other.signingKey.kid, knownKids: [registered.signingKey.kid] });
  });

  it("answers UNKNOWN_KID when the kid belongs to another district, not the body's sender", async () => {
    const hallB = await testKey('ES256');
    const ring = new KeyRing([{ owner: '440106', jwks: { keys: [hallB.publicJwk] } }]);
    // Signed by B's key but claiming to come from A: B cannot speak for A.
    const jws = await signEnvelope(testBody({ sender: '440303' }), hallB.signingKey, CONTRACT);
    await expectCode(verifyEnvelope(decodeEnvelope(jws), ring), EnvelopeErrorCode.UNKNOWN_KID);
  });

  it('verifies messages under both the old and the new key during rotation', async () => {
    const oldKey = await testKey('ES256');
    const newKey = await testKey('EdDSA');
    const ring = new KeyRing([{ owner: '440303', jwks: { keys: [oldKey.publicJwk] } }]);
    ring.add('440303', { keys: [newKey.publicJwk] });
    expect(ring.kids('440303').sort()).toEqual([oldKey.signingKey.kid, newKey.signingKey.kid].sort());
    for (const signer of [oldKey.signingKey, newKey.signingKey]) {
      await expect(verifyEnvelope(decodeEnvelope(await signEnvelope(testBody(), signer, CONTRACT)), ring)).resolves.toBeUndefined();
    }
  });

  it('answers ALG_MISMATCH when the header alg does not fit the registered key', async () => {
    const es = await testKey('ES256');
    const ring = new KeyRing([{ owner: '440303', jwks: { keys: [es.publicJwk] } }]);
    const decoded = decodeEnvelope(await signEnvelope(testBody(), es.signingKey, CONTRACT));
    decoded.header.alg = 'EdDSA';
    await expectCode(verifyEnvelope(decoded, ring), EnvelopeErrorCode.ALG_MISMATCH);
  });
});

describe('decodeEnvelope refuses malformed input', () => {
  let key: SigningKey;
  let good: string;
  const header = { alg: 'ES256', kid: 'k1', typ: ENVELOPE_TYP, ctr: 'case-submission@1.0.0' };

  beforeAll(async () => {
    key = (await testKey('ES256')).signingKey;
    header.kid = key.kid;
    good = await signEnvelope(testBody(), key, CONTRACT);
  });

  const withHeader = (h: unknown): string => `${b64(JSON.stringify(h))}.${good.split('.')[1]}.${good.split('.')[2]}`;
  const withPayload = (text: string): string => `${good.split('.')[0]}.${b64(text)}.${good.split('.')[2]}`;

  it.each<[string, () => string]>([
    ['two parts', () => good.split('.').slice(0, 2).join('.')],
    ['four parts', () => `${good}.x`],
    ['an empty signature', () => good.replace(/\.[^.]+$/, '.')],
    ['non-base64url characters', () => good.replace('.', '.+')],
    ['padding', () => `${good}==`],
    ['a header that is not JSON', () => `${b64('{alg:')}.${good.split('.')[1]}.${good.split('.')[2]}`],
    ['a header that is an array', () => withHeader([header])],
    ['a wrong typ', () => withHeader({ ...header, typ: 'JWT' })],
    ['the receipt typ', () => withHeader({ ...header, typ: 'tongban-receipt+jws' })],
    ['a missing kid', () => withHeader({ ...header, kid: undefined })],
    ['a missing ctr', () => withHeader({ ...header, ctr: undefined })],
    ['a ctr without version', () => withHeader({ ...header, ctr: 'case-submission' })],
    ['a ctr with a non-semver version', () => withHeader({ ...header, ctr: 'case-submission@1.0' })],
    ['alg none', () => withHeader({ ...header, alg: 'none' })],
    ['alg HS256', () => withHeader({ ...header, alg: 'HS256' })],
    ['a missing alg', () => withHeader({ ...header, alg: undefined })],
    ['a crit parameter', () => withHeader({ ...header, crit: ['b64'], b64: false })],
    ['an embedded jwk', () => withHeader({ ...header, jwk: { kty: 'OKP' } })],
  ])('MALFORMED_JWS for %s', (_name, make) => {
    expect(decodeError(make()).code).toBe(EnvelopeErrorCode.MALFORMED_JWS);
  });

  it('MALFORMED_JWS for a signature segment with non-canonical trailing bits (a second spelling of the same signature)', () => {
    const sig = good.split('.')[2];
    const last = sig.at(-1) as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 64-byte signatures end with 2 unused bits in the last character.
    const twin = alphabet[alphabet.indexOf(last) ^ 1];
    expect(Buffer.from(`${sig.slice(0, -1)}${twin}`, 'base64url')).toEqual(Buffer.from(sig, 'base64url'));
    expect(decodeError(`${good.slice(0, -1)}${twin}`).code).toBe(EnvelopeErrorCode.MALFORMED_JWS);
  });

  it.each<[string, () => string, string | undefined]>([
    ['a payload that is not JSON', () => withPayload('{"messageId":'), undefined],
    ['a payload that is not UTF-8', () => `${good.split('.')[0]}.${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')}.${good.split('.')[2]}`, undefined],
    ['a payload that is an array', () => withPayload('[]'), undefined],
    ['a missing messageId', () => withPayload(canonicalJson({ ...testBody(), messageId: undefined })), 'messageId'],
    ['a messageId that is not a UUID', () => withPayload(canonicalJson(testBody({ messageId: 'msg-1' }))), 'messageId'],
    ['an empty caseNumber', () => withPayload(canonicalJson(testBody({ caseNumber: '' }))), 'caseNumber'],
    ['a numeric sender', () => withPayload(canonicalJson({ ...testBody(), sender: 440303 })), 'sender'],
    ['an unknown messageType', () => withPayload(canonicalJson({ ...testBody(), messageType: 'case.teleport' })), 'messageType'],
    ['a sentAt without offset', () => withPayload(canonicalJson(testBody({ sentAt: '2026-03-02T09:15:00' }))), 'sentAt'],
    ['a sentAt on 30 February', () => withPayload(canonicalJson(testBody({ sentAt: '2026-02-30T09:15:00+08:00' }))), 'sentAt'],
    ['a payload that is a string', () => withPayload(canonicalJson({ ...testBody(), payload: 'x' })), 'payload'],
    ['an extra body field', () => withPayload(canonicalJson({ ...testBody(), priority: 'high' })), 'priority'],
  ])('MALFORMED_BODY for %s', (_name, make, field) => {
    const error = decodeError(make());
    expect(error.code).toBe(EnvelopeErrorCode.MALFORMED_BODY);
    if (field) {
      expect(error.detail).toEqual({ field });
      expect(error.message).toContain(`"${field}"`);
    }
  });

  it.each<[string, string]>([
    // testBody() lists messageId before caseNumber: insertion order, not canonical order.
    ['keys in another order', JSON.stringify(testBody())],
    ['whitespace', JSON.stringify(testBody(), null, 2)],
    ['a number spelled 4.50', canonicalJson(testBody()).replace('"amount":4.5', '"amount":4.50')],
    ['an escaped character that needs no escape', canonicalJson(testBody()).replace('é', '\\u00e9')],
    ['a duplicated key', canonicalJson(testBody()).replace('{"caseNumber"', '{"caseNumber":"X","caseNumber"')],
  ])('NOT_CANONICAL for %s', (_name, text) => {
    expect(decodeError(withPayload(text)).code).toBe(EnvelopeErrorCode.NOT_CANONICAL);
  });

  it('does not echo body values in errors (they may be personal data)', () => {
    const error = decodeError(withPayload(canonicalJson(testBody({ messageId: '11010519491231002X' }))));
    expect(error.message).not.toContain('11010519491231002X');
  });
});

describe('signEnvelope refuses to produce envelopes decodeEnvelope would refuse', () => {
  let key: SigningKey;
  beforeAll(async () => {
    key = (await testKey('EdDSA')).signingKey;
  });

  it('refuses an ill-typed body', async () => {
    await expectCode(signEnvelope(testBody({ sentAt: 'yesterday' }), key, CONTRACT), EnvelopeErrorCode.MALFORMED_BODY);
  });

  it('refuses a contract reference that is not <kebab-id>@<semver>', async () => {
    await expectCode(signEnvelope(testBody(), key, { id: 'Case Submission', version: '1' }), EnvelopeErrorCode.MALFORMED_JWS);
  });

  it('refuses a payload with no JSON form', async () => {
    await expectCode(signEnvelope(testBody({ payload: { n: NaN } }), key, CONTRACT), EnvelopeErrorCode.MALFORMED_BODY);
  });

  it('throws TypeError for a signing key that is not private', async () => {
    const { d: _d, ...publicOnly } = key.privateJwk;
    await expect(signEnvelope(testBody(), { ...key, privateJwk: publicOnly }, CONTRACT)).rejects.toThrow(TypeError);
  });

  it('throws TypeError for a signing key used with the wrong alg', async () => {
    await expect(signEnvelope(testBody(), { ...key, alg: 'ES256' }, CONTRACT)).rejects.toThrow(TypeError);
  });

  it('signs an acknowledgement under its own contract', async () => {
    const jws = await signEnvelope(testBody({ messageType: MessageType.CASE_ACKNOWLEDGEMENT }), key, { id: 'case-acknowledgement', version: '1.0.0' });
    expect(decodeEnvelope(jws).contract).toEqual({ id: 'case-acknowledgement', version: '1.0.0' });
  });
});
