import { CompactSign, importJWK, type JWK } from 'jose';
import { canonicalJson } from './canonical-json';
import { EnvelopeErrorCode } from './envelope.error';
import { RECEIPT_TYP, type SigningKey } from './envelope.types';
import { KeyRing } from './key.ring';
import { signReceipt, verifyReceipt, type ReceiptBody } from './receipt.jws';
import { sha256Digest } from './sha256-digest';
import { testKey } from './test-keys.fixture';

const receipt = (overrides: Partial<ReceiptBody> = {}): ReceiptBody => ({
  receiptId: '0192f5c4-9000-7000-8000-000000000001',
  messageId: '0192f5c4-8e7a-7c3e-9b1d-4a2f6e8c0d13',
  envelopeDigest: sha256Digest('header.payload.signature'),
  sender: '440303',
  recipient: '440106',
  caseNumber: 'LH-2026-000123',
  receivedAt: '2026-03-02T01:15:00.123Z',
  gateway: 'tongban-gba',
  status: 'ACCEPTED',
  ...overrides,
});

describe('receipts', () => {
  let gatewayKey: SigningKey;
  let ring: KeyRing;

  beforeAll(async () => {
    const generated = await testKey('ES256');
    gatewayKey = generated.signingKey;
    ring = new KeyRing([{ owner: 'gateway', jwks: { keys: [generated.publicJwk] } }]);
  });

  it('signs with the receipt typ and verifies back to the same body', async () => {
    const jws = await signReceipt(receipt(), gatewayKey);
    expect(JSON.parse(Buffer.from(jws.split('.')[0], 'base64url').toString())).toEqual({ alg: 'ES256', kid: gatewayKey.kid, typ: RECEIPT_TYP });
    await expect(verifyReceipt(jws, ring)).resolves.toEqual(receipt());
  });

  it('verifies against a gateway owner other than the default', async () => {
    const ed = await testKey('EdDSA');
    const jws = await signReceipt(receipt(), ed.signingKey);
    await expect(verifyReceipt(jws, new KeyRing([{ owner: 'gateway-2', jwks: { keys: [ed.publicJwk] } }]), 'gateway-2')).resolves.toEqual(receipt());
    await expect(verifyReceipt(jws, ring)).rejects.toMatchObject({ code: EnvelopeErrorCode.UNKNOWN_KID });
  });

  it('refuses a receipt whose body was altered', async () => {
    const [h, , s] = (await signReceipt(receipt(), gatewayKey)).split('.');
    const forged = `${h}.${Buffer.from(canonicalJson(receipt({ receivedAt: '2026-03-01T01:15:00Z' }))).toString('base64url')}.${s}`;
    await expect(verifyReceipt(forged, ring)).rejects.toMatchObject({ code: EnvelopeErrorCode.BAD_SIGNATURE });
  });

  it('refuses a receipt signed by a district key, even a registered one', async () => {
    const district = await testKey('ES256');
    ring.add('440303', { keys: [district.publicJwk] });
    await expect(verifyReceipt(await signReceipt(receipt(), district.signingKey), ring)).rejects.toMatchObject({ code: EnvelopeErrorCode.UNKNOWN_KID });
  });

  it('refuses an envelope presented as a receipt (typ confusion)', async () => {
    const privateKey = await importJWK(gatewayKey.privateJwk as JWK, 'ES256');
    const jws = await new CompactSign(new TextEncoder().encode(canonicalJson(receipt())))
      .setProtectedHeader({ alg: 'ES256', kid: gatewayKey.kid, typ: 'tongban-envelope+jws' })
      .sign(privateKey);
    await expect(verifyReceipt(jws, ring)).rejects.toMatchObject({ code: EnvelopeErrorCode.MALFORMED_JWS });
  });

  it.each<[string, Partial<Record<keyof ReceiptBody, unknown>>]>([
    ['a status other than ACCEPTED', { status: 'REJECTED' }],
    ['an envelopeDigest without algorithm prefix', { envelopeDigest: 'ab'.repeat(32) }],
    ['a receivedAt without offset', { receivedAt: '2026-03-02 01:15' }],
  ])('refuses to sign %s', async (_name, overrides) => {
    await expect(signReceipt(receipt(overrides as Partial<ReceiptBody>), gatewayKey)).rejects.toMatchObject({ code: EnvelopeErrorCode.MALFORMED_BODY });
  });
});
