import { EnvelopeError, EnvelopeErrorCode } from './envelope.error';
import { KeyRing } from './key.ring';
import { testKey } from './test-keys.fixture';

describe('KeyRing', () => {
  it('resolves each registered kid with its own algorithm, and caches the imported key', async () => {
    const es = await testKey('ES256');
    const ed = await testKey('EdDSA');
    const ring = new KeyRing([{ owner: '440303', jwks: { keys: [es.publicJwk, ed.publicJwk] } }]);
    const first = await ring.resolve('440303', es.signingKey.kid, 'ES256');
    expect(await ring.resolve('440303', es.signingKey.kid, 'ES256')).toBe(first);
    expect(await ring.resolve('440303', ed.signingKey.kid, 'EdDSA')).not.toBe(first);
    expect(ring.owners()).toEqual(['440303']);
  });

  it('keeps owners apart: a kid of one owner is unknown for another', async () => {
    const a = await testKey('ES256');
    const ring = new KeyRing([{ owner: '440303', jwks: { keys: [a.publicJwk] } }]);
    await expect(ring.resolve('440106', a.signingKey.kid, 'ES256')).rejects.toMatchObject({ code: EnvelopeErrorCode.UNKNOWN_KID });
    expect(ring.kids('440106')).toEqual([]);
  });

  it('answers ALG_MISMATCH for a known kid asked for with another or a disallowed alg', async () => {
    const es = await testKey('ES256');
    const ring = new KeyRing([{ owner: 'gateway', jwks: { keys: [es.publicJwk] } }]);
    for (const alg of ['EdDSA', 'ES384', 'none']) {
      const error: unknown = await ring.resolve('gateway', es.signingKey.kid, alg).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EnvelopeError);
      expect((error as EnvelopeError).code).toBe(EnvelopeErrorCode.ALG_MISMATCH);
    }
  });

  it('accepts the same key twice (config reload) but refuses another key under a known kid', async () => {
    const a = await testKey('ES256');
    const b = await testKey('ES256');
    const ring = new KeyRing([{ owner: '440303', jwks: { keys: [a.publicJwk] } }]);
    ring.add('440303', { keys: [{ ...a.publicJwk, alg: undefined, use: undefined }] });
    expect(ring.kids('440303')).toEqual([a.signingKey.kid]);
    expect(() => ring.add('440303', { keys: [{ ...b.publicJwk, kid: a.signingKey.kid }] })).toThrow(/already registered/);
  });

  it('leaves the ring unchanged when one key of a set is bad', async () => {
    const a = await testKey('ES256');
    const b = await testKey('EdDSA');
    const ring = new KeyRing();
    expect(() => ring.add('440303', { keys: [a.publicJwk, { ...b.publicJwk, kid: undefined }] })).toThrow(TypeError);
    expect(ring.kids('440303')).toEqual([]);
    expect(ring.owners()).toEqual([]);
  });

  it.each<[string, (jwk: Record<string, unknown>, priv: Record<string, unknown>) => Record<string, unknown>, RegExp]>([
    ['without kid', (jwk) => ({ ...jwk, kid: undefined }), /needs a kid/],
    ['with private material', (_jwk, priv) => priv, /private key material/],
    ['for encryption', (jwk) => ({ ...jwk, use: 'enc' }), /not a signature key/],
    ['on another curve', (jwk) => ({ ...jwk, crv: 'P-384' }), /neither an EC P-256 nor an Ed25519/],
    ['declaring another alg', (jwk) => ({ ...jwk, alg: 'ES384' }), /declares alg ES384/],
    ['whose point is not on the curve', (jwk) => ({ ...jwk, y: jwk.x }), /not a valid public key/],
  ])('refuses at add() a key %s, with TypeError (a config error, not a message error)', async (_name, mutate, message) => {
    const { publicJwk, signingKey } = await testKey('ES256');
    const bad = mutate(publicJwk as Record<string, unknown>, signingKey.privateJwk as Record<string, unknown>);
    expect(() => new KeyRing([{ owner: '440303', jwks: { keys: [bad] } }])).toThrow(message);
    expect(() => new KeyRing([{ owner: '440303', jwks: { keys: [bad] } }])).toThrow(TypeError);
  });

  it('is not affected by later mutation of the config object it was given', async () => {
    const a = await testKey('ES256');
    const b = await testKey('ES256');
    const jwks = { keys: [{ ...a.publicJwk }] };
    const ring = new KeyRing([{ owner: '440303', jwks }]);
    Object.assign(jwks.keys[0], { x: b.publicJwk.x, y: b.publicJwk.y });
    const { exportJWK } = await import('jose');
    const resolved = await ring.resolve('440303', a.signingKey.kid, 'ES256');
    expect((await exportJWK(resolved)).x).toBe(a.publicJwk.x);
  });
});
