import { canonicalJson, KeyRing, type SigningKey } from '@tongban/envelope';
import { CompactSign, importJWK, type JWK } from 'jose';
import {
  CHECKPOINT_KEY_OWNER,
  CHECKPOINT_TYP,
  COSIGNATURE_TYP,
  isSameCheckpoint,
  signCheckpoint,
  signCosignature,
  verifyCheckpoint,
  verifyCosignature,
  type CheckpointBody,
  type CosignatureBody,
} from './checkpoint.jws';
import { LedgerErrorCode } from './ledger.error';
import { generateTestKey } from './test-keys.fixture';

const checkpoint = (overrides: Partial<Record<keyof CheckpointBody, unknown>> = {}): CheckpointBody =>
  ({
    origin: 'tongban-gba',
    treeSize: 8,
    rootHash: '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    signedAt: '2026-03-02T01:15:00.123Z',
    ...overrides,
  }) as CheckpointBody;

const cosignature = (overrides: Partial<CosignatureBody> = {}): CosignatureBody => ({
  checkpoint: checkpoint(),
  cosigner: '440303',
  cosignedAt: '2026-03-02T09:15:01+08:00',
  ...overrides,
});

const headerOf = (jws: string): unknown => JSON.parse(Buffer.from(jws.split('.')[0], 'base64url').toString());

/** Signs arbitrary payload bytes under an arbitrary header, as a forger would. */
async function rawSign(payload: string, key: SigningKey, header: Record<string, unknown>): Promise<string> {
  const privateKey = await importJWK(key.privateJwk as JWK, key.alg);
  return new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader({ alg: key.alg, kid: key.kid, ...header }).sign(privateKey);
}

describe('checkpoints and co-signatures', () => {
  let ledgerKey: SigningKey;
  let districtKey: SigningKey;
  let otherKey: SigningKey;
  let ring: KeyRing;

  beforeAll(async () => {
    const ledger = await generateTestKey('ES256');
    const district = await generateTestKey('EdDSA');
    const other = await generateTestKey('ES256');
    ledgerKey = ledger.signingKey;
    districtKey = district.signingKey;
    otherKey = other.signingKey;
    ring = new KeyRing([
      { owner: CHECKPOINT_KEY_OWNER, jwks: { keys: [ledger.publicJwk] } },
      { owner: '440303', jwks: { keys: [district.publicJwk] } },
      { owner: 'gateway', jwks: { keys: [other.publicJwk] } },
    ]);
  });

  it('signs a checkpoint over its canonical JSON with the checkpoint typ, and verifies it back', async () => {
    const jws = await signCheckpoint(checkpoint(), ledgerKey);
    expect(headerOf(jws)).toEqual({ alg: 'ES256', kid: ledgerKey.kid, typ: CHECKPOINT_TYP });
    expect(Buffer.from(jws.split('.')[1], 'base64url').toString()).toBe(canonicalJson(checkpoint()));
    await expect(verifyCheckpoint(jws, ring)).resolves.toEqual(checkpoint());
  });

  it('signs and verifies a co-signature with the district key, EdDSA too', async () => {
    const jws = await signCosignature(cosignature(), districtKey);
    expect(headerOf(jws)).toEqual({ alg: 'EdDSA', kid: districtKey.kid, typ: COSIGNATURE_TYP });
    const body = await verifyCosignature(jws, ring);
    expect(body).toEqual(cosignature());
    expect(isSameCheckpoint(body.checkpoint, checkpoint())).toBe(true);
    expect(isSameCheckpoint(body.checkpoint, checkpoint({ treeSize: 9 }))).toBe(false);
  });

  it('refuses a checkpoint signed by a key other than the ledger key, even a registered one', async () => {
    await expect(verifyCheckpoint(await signCheckpoint(checkpoint(), otherKey), ring)).rejects.toMatchObject({ code: LedgerErrorCode.UNKNOWN_KEY });
    await expect(verifyCheckpoint(await signCheckpoint(checkpoint(), districtKey), ring)).rejects.toMatchObject({ code: LedgerErrorCode.UNKNOWN_KEY });
  });

  it('refuses a forged body under a genuine signature', async () => {
    const [h, , s] = (await signCheckpoint(checkpoint(), ledgerKey)).split('.');
    const forged = `${h}.${Buffer.from(canonicalJson(checkpoint({ treeSize: 7 }))).toString('base64url')}.${s}`;
    await expect(verifyCheckpoint(forged, ring)).rejects.toMatchObject({ code: LedgerErrorCode.BAD_SIGNATURE });
  });

  it('refuses a co-signature that claims another cosigner than its key', async () => {
    const jws = await signCosignature(cosignature({ cosigner: '440106' }), districtKey);
    await expect(verifyCosignature(jws, ring)).rejects.toMatchObject({ code: LedgerErrorCode.UNKNOWN_KEY });
  });

  it('refuses non-canonical payload bytes even when validly signed', async () => {
    const spaced = JSON.stringify(checkpoint(), null, 1);
    await expect(verifyCheckpoint(await rawSign(spaced, ledgerKey, { typ: CHECKPOINT_TYP }), ring)).rejects.toMatchObject({ code: LedgerErrorCode.NOT_CANONICAL });
  });

  it('refuses type confusion and extra header parameters', async () => {
    const payload = canonicalJson(checkpoint());
    await expect(verifyCheckpoint(await rawSign(payload, ledgerKey, { typ: COSIGNATURE_TYP }), ring)).rejects.toMatchObject({ code: LedgerErrorCode.MALFORMED_JWS });
    await expect(verifyCheckpoint(await rawSign(payload, ledgerKey, { typ: CHECKPOINT_TYP, x5u: 'https://example.org/key' }), ring)).rejects.toMatchObject({
      code: LedgerErrorCode.MALFORMED_JWS,
    });
    await expect(verifyCheckpoint('not.a.jws', ring)).rejects.toMatchObject({ code: LedgerErrorCode.MALFORMED_JWS });
  });

  it.each<[string, Partial<Record<keyof CheckpointBody, unknown>>, string]>([
    ['a negative tree size', { treeSize: -1 }, 'treeSize'],
    ['a fractional tree size', { treeSize: 1.5 }, 'treeSize'],
    ['an upper-case root', { rootHash: '5DC9DA79A70659A9AD559CB701DED9A2AB9D823AAD2F4960CFE370EFF4604328' }, 'rootHash'],
    ['an empty tree with a root other than SHA-256("")', { treeSize: 0 }, 'rootHash'],
    ['a time without offset', { signedAt: '2026-03-02 01:15' }, 'signedAt'],
    ['an unknown field', { note: 'x' } as Partial<Record<keyof CheckpointBody, unknown>>, 'note'],
  ])('refuses to sign or verify a checkpoint with %s', async (_name, overrides, field) => {
    await expect(signCheckpoint(checkpoint(overrides), ledgerKey)).rejects.toMatchObject({ code: LedgerErrorCode.MALFORMED_BODY, detail: { field } });
    const jws = await rawSign(canonicalJson(checkpoint(overrides)), ledgerKey, { typ: CHECKPOINT_TYP });
    await expect(verifyCheckpoint(jws, ring)).rejects.toMatchObject({ code: LedgerErrorCode.MALFORMED_BODY, detail: { field } });
  });

  it('accepts the empty tree with its one root', async () => {
    const empty = checkpoint({ treeSize: 0, rootHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });
    await expect(verifyCheckpoint(await signCheckpoint(empty, ledgerKey), ring)).resolves.toEqual(empty);
  });

  it('refuses a signing key whose JWK disowns its kid (a configuration error)', async () => {
    await expect(signCheckpoint(checkpoint(), { ...ledgerKey, kid: 'other' })).rejects.toThrow(TypeError);
  });
});
