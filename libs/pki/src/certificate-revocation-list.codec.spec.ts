import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeCrls, encodeCrl, findCrlIssuer, normaliseSerial, verifyCrlSignature } from './certificate-revocation-list.codec';
import { PkiErrorCode } from './pki.error';
import { buildRootCaCertificate, generateRsaKeyPair } from './x509-certificate.builder';

describe('certificate revocation list codec', () => {
  let caCertPem: string;
  let caKeyPem: string;
  const validity = { notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2060-01-01T00:00:00Z') };

  beforeAll(async () => {
    const keys = await generateRsaKeyPair();
    caKeyPem = keys.privateKeyPem;
    caCertPem = buildRootCaCertificate(keys, validity);
  });

  it('normalises serials numerically', () => {
    expect(normaliseSerial('00ff01')).toBe('FF01');
    expect(normaliseSerial('0a:bc')).toBe('ABC');
    expect(normaliseSerial('')).toBe('0');
  });

  it('round-trips entries, including serials with the high bit set, and a post-2049 nextUpdate', () => {
    const revokedAt = new Date('2026-11-25T10:00:00Z');
    const pem = encodeCrl({
      caCertPem,
      caKeyPem,
      crlNumber: 7,
      thisUpdate: new Date('2026-11-25T10:00:01Z'),
      nextUpdate: validity.notAfter,
      revoked: [
        { serial: 'FF01', revokedAt },
        { serial: '4A5B6C', revokedAt },
      ],
    });
    const [crl] = decodeCrls(pem);
    expect(crl.crlNumber).toBe(7);
    expect(crl.thisUpdate.toISOString()).toBe('2026-11-25T10:00:01.000Z');
    expect(crl.nextUpdate?.toISOString()).toBe('2060-01-01T00:00:00.000Z');
    expect(crl.revoked).toEqual([
      { serial: 'FF01', revokedAt },
      { serial: '4A5B6C', revokedAt },
    ]);
    const ca = new X509Certificate(caCertPem);
    expect(verifyCrlSignature(crl, ca.publicKey)).toBe(true);
    expect(findCrlIssuer(crl, [ca])).toBe(ca);
  });

  it('produces a CRL openssl accepts as signed by the CA', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tongban-crl-'));
    try {
      await writeFile(join(dir, 'ca.pem'), caCertPem);
      await writeFile(join(dir, 'crl.pem'), encodeCrl({ caCertPem, caKeyPem, crlNumber: 1, thisUpdate: new Date(), nextUpdate: validity.notAfter, revoked: [{ serial: 'FF01', revokedAt: new Date() }] }));
      const out = execFileSync('openssl', ['crl', '-noout', '-text', '-CAfile', join(dir, 'ca.pem'), '-in', join(dir, 'crl.pem')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(out).toContain('Serial Number: FF01');
      expect(out).toContain('Next Update: Jan  1 00:00:00 2060 GMT');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('detects a tampered CRL', () => {
    const pem = encodeCrl({ caCertPem, caKeyPem, crlNumber: 1, thisUpdate: new Date(), nextUpdate: validity.notAfter, revoked: [{ serial: 'FF01', revokedAt: new Date() }] });
    const der = Buffer.from(pem.replace(/-----[A-Z0-9 ]+-----|\s+/g, ''), 'base64');
    const at = der.indexOf(Buffer.from([0x02, 0x03, 0x00, 0xff, 0x01])); // the revoked serial's INTEGER
    expect(at).toBeGreaterThan(0);
    der[at + 4] = 0x02; // un-revoke FF01 by turning it into FF02
    const tampered = `-----BEGIN X509 CRL-----\n${der.toString('base64')}\n-----END X509 CRL-----\n`;
    const [crl] = decodeCrls(tampered);
    expect(crl.revoked[0].serial).toBe('FF02');
    expect(verifyCrlSignature(crl, new X509Certificate(caCertPem).publicKey)).toBe(false);
  });

  it('rejects text without a CRL and malformed DER with CRL_INVALID', () => {
    expect(() => decodeCrls('nothing here')).toThrow(expect.objectContaining({ code: PkiErrorCode.CRL_INVALID }));
    expect(() => decodeCrls('-----BEGIN X509 CRL-----\nMAMCAQE=\n-----END X509 CRL-----')).toThrow(expect.objectContaining({ code: PkiErrorCode.CRL_INVALID }));
  });
});
