import { canonicalJson } from './canonical-json';
import { signConversion, verifyConversion, type ConversionBody } from './conversion.jws';
import { EnvelopeErrorCode } from './envelope.error';
import type { SigningKey } from './envelope.types';
import { KeyRing } from './key.ring';
import { signReceipt } from './receipt.jws';
import { sha256Digest } from './sha256-digest';
import { testKey } from './test-keys.fixture';

const conversion = (): ConversionBody => ({
  messageId: '0192f5c4-8e7a-7c3e-9b1d-4a2f6e8c0d13',
  envelopeDigest: sha256Digest('header.payload.signature'),
  from: 'case-submission@2.0.0',
  to: 'case-submission@1.0.0',
  codes: { from: 'canonical', to: 'canonical' },
  convertedAt: '2026-03-02T01:15:00.123Z',
  gateway: 'tongban-gateway',
  payload: { applicant: { name: '欧阳娜娜' } },
});

describe('conversions', () => {
  let gatewayKey: SigningKey;
  let ring: KeyRing;

  beforeAll(async () => {
    const generated = await testKey('ES256');
    gatewayKey = generated.signingKey;
    ring = new KeyRing([{ owner: 'gateway', jwks: { keys: [generated.publicJwk] } }]);
  });

  it('refuses a conversion that does not say whose code tables were applied', async () => {
    const { codes: _codes, ...withoutCodes } = conversion();
    await expect(signConversion(withoutCodes as ConversionBody, gatewayKey)).rejects.toMatchObject({ code: EnvelopeErrorCode.MALFORMED_BODY });
    await expect(signConversion({ ...conversion(), codes: { from: 'canonical' } } as unknown as ConversionBody, gatewayKey)).rejects.toThrow(/codes/);
  });

  it('round-trips through the gateway key', async () => {
    await expect(verifyConversion(await signConversion(conversion(), gatewayKey), ring)).resolves.toEqual(conversion());
  });

  it('refuses a tampered converted payload', async () => {
    const [h, , s] = (await signConversion(conversion(), gatewayKey)).split('.');
    const forged = Buffer.from(canonicalJson({ ...conversion(), payload: { applicant: { name: 'X' } } })).toString('base64url');
    await expect(verifyConversion(`${h}.${forged}.${s}`, ring)).rejects.toMatchObject({ code: EnvelopeErrorCode.BAD_SIGNATURE });
  });

  it('is not interchangeable with a receipt', async () => {
    const receipt = await signReceipt(
      { receiptId: '0192f5c4-9000-7000-8000-000000000001', messageId: conversion().messageId, envelopeDigest: conversion().envelopeDigest, sender: 'a', recipient: 'b', caseNumber: 'c', receivedAt: conversion().convertedAt, gateway: 'g', status: 'ACCEPTED' },
      gatewayKey,
    );
    await expect(verifyConversion(receipt, ring)).rejects.toMatchObject({ code: EnvelopeErrorCode.MALFORMED_JWS });
  });
});
