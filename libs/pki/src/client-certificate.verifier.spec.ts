import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { md, pki } from 'node-forge';
import { revokeCertificate } from './certificate.revoker';
import { ClientCertificateVerifier } from './client-certificate.verifier';
import { issueDevelopmentPki } from './development-pki.issuer';
import { PkiError, PkiErrorCode } from './pki.error';
import type { PkiLayout } from './pki.layout';

const DAY_MS = 24 * 60 * 60 * 1000;

function expectPkiError(fn: () => unknown, code: PkiErrorCode): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(PkiError);
  expect((caught as PkiError).code).toBe(code);
}

describe('ClientCertificateVerifier', () => {
  let dir: string;
  let foreignDir: string;
  let layout: PkiLayout;
  let foreign: PkiLayout;
  let caCertPem: string;
  let districtPem: string;
  let operatorPem: string;

  beforeAll(async () => {
    [dir, foreignDir] = await Promise.all([mkdtemp(join(tmpdir(), 'tongban-pki-')), mkdtemp(join(tmpdir(), 'tongban-pki-foreign-'))]);
    const districts = [
      { id: '440303', name: '深圳市罗湖区' },
      { id: 'HZ-ZHONGKAI', name: '惠州仲恺高新区' },
    ];
    [{ layout }, { layout: foreign }] = await Promise.all([
      issueDevelopmentPki({ dir, districts, operators: ['admin', 'ops.li'] }),
      issueDevelopmentPki({ dir: foreignDir, districts: [districts[0]] }),
    ]);
    caCertPem = await readFile(layout.caCert, 'utf8');
    districtPem = await readFile(layout.district('440303').clientCert, 'utf8');
    operatorPem = await readFile(layout.operator('ops.li').clientCert, 'utf8');
  });
  afterAll(() => Promise.all([rm(dir, { recursive: true, force: true }), rm(foreignDir, { recursive: true, force: true })]));

  it('maps a district client certificate to its district, from PEM or DER', async () => {
    const verifier = new ClientCertificateVerifier({ caCertPem, crlPem: await readFile(layout.crl, 'utf8') });
    expect(verifier.identify(districtPem)).toEqual({ kind: 'district', districtId: '440303' });
    expect(verifier.identify(Buffer.from(new X509Certificate(districtPem).raw))).toEqual({ kind: 'district', districtId: '440303' });
    expect(verifier.identify(Buffer.from(districtPem))).toEqual({ kind: 'district', districtId: '440303' });
  });

  it('maps an operator client certificate to its operator', () => {
    const verifier = new ClientCertificateVerifier({ caCertPem });
    expect(verifier.identify(operatorPem)).toEqual({ kind: 'operator', operator: 'ops.li' });
  });

  it('maps an auditor client certificate to its auditor', async () => {
    const verifier = new ClientCertificateVerifier({ caCertPem });
    expect(verifier.identify(await readFile(layout.auditor('auditor').clientCert, 'utf8'))).toEqual({ kind: 'auditor', auditor: 'auditor' });
  });

  it('rejects a certificate issued by another CA, even with the same district id', async () => {
    const verifier = new ClientCertificateVerifier({ caCertPem });
    const foreignPem = await readFile(foreign.district('440303').clientCert, 'utf8');
    expectPkiError(() => verifier.identify(foreignPem), PkiErrorCode.CERT_NOT_TRUSTED);
    // Trusting both CAs (e.g. during a CA rollover) accepts both.
    const both = new ClientCertificateVerifier({ caCertPem: [caCertPem, await readFile(foreign.caCert, 'utf8')] });
    expect(both.identify(foreignPem)).toEqual({ kind: 'district', districtId: '440303' });
  });

  it('rejects an expired certificate, and a cached verdict expires with the certificate', () => {
    const notAfter = Date.parse(new X509Certificate(districtPem).validTo);
    let now = new Date();
    const verifier = new ClientCertificateVerifier({ caCertPem, clock: () => now });
    expect(verifier.identify(districtPem)).toEqual({ kind: 'district', districtId: '440303' }); // now cached
    now = new Date(notAfter + 1000);
    expectPkiError(() => verifier.identify(districtPem), PkiErrorCode.CERT_EXPIRED);
    expectPkiError(() => new ClientCertificateVerifier({ caCertPem, clock: () => new Date(notAfter + DAY_MS) }).identify(districtPem), PkiErrorCode.CERT_EXPIRED);
    expectPkiError(() => new ClientCertificateVerifier({ caCertPem, clock: () => new Date(Date.now() - DAY_MS) }).identify(districtPem), PkiErrorCode.CERT_NOT_YET_VALID);
  });

  it('rejects the gateway certificate as a caller (clientAuth for pushes, but no identity) and the CA', () => {
    const verifier = new ClientCertificateVerifier({ caCertPem });
    expectPkiError(() => verifier.identify(readFileSync(layout.serverCert, 'utf8')), PkiErrorCode.CERT_NO_IDENTITY);
    expectPkiError(() => verifier.identify(caCertPem), PkiErrorCode.CERT_WRONG_PURPOSE);
  });

  it('rejects a trusted client certificate without a tongban SAN URI', async () => {
    const caKey = pki.privateKeyFromPem(await readFile(layout.caKey, 'utf8'));
    const caCert = pki.certificateFromPem(caCertPem);
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const cert = pki.createCertificate();
    cert.publicKey = pki.publicKeyFromPem(publicKey);
    cert.serialNumber = '4a01';
    cert.validity.notBefore = new Date(Date.now() - DAY_MS);
    cert.validity.notAfter = new Date(Date.now() + DAY_MS);
    cert.setSubject([{ name: 'commonName', value: '440303' }]); // a CN alone must not be enough
    cert.setIssuer(caCert.subject.attributes);
    cert.setExtensions([{ name: 'extKeyUsage', clientAuth: true }, { name: 'subjectAltName', altNames: [{ type: 6, value: 'https://example.org/440303' }] }]);
    cert.sign(caKey, md.sha256.create());
    const verifier = new ClientCertificateVerifier({ caCertPem });
    expectPkiError(() => verifier.identify(pki.certificateToPem(cert)), PkiErrorCode.CERT_NO_IDENTITY);
  });

  it('rejects garbage input with CERT_INVALID', () => {
    const verifier = new ClientCertificateVerifier({ caCertPem });
    expectPkiError(() => verifier.identify('not a certificate'), PkiErrorCode.CERT_INVALID);
    expectPkiError(() => verifier.identify(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01])), PkiErrorCode.CERT_INVALID);
  });

  it('rejects a revoked certificate once the CRL lists it; others stay accepted', async () => {
    const hzPem = await readFile(layout.district('HZ-ZHONGKAI').clientCert, 'utf8');
    const verifier = new ClientCertificateVerifier({ caCertPem, crlPem: await readFile(layout.crl, 'utf8') });
    expect(verifier.identify(hzPem)).toEqual({ kind: 'district', districtId: 'HZ-ZHONGKAI' }); // cached before revocation

    await revokeCertificate({ dir, certPem: hzPem });
    await revokeCertificate({ dir, certPem: hzPem }); // idempotent
    const crlPem = await readFile(layout.crl, 'utf8');

    const fresh = new ClientCertificateVerifier({ caCertPem, crlPem });
    expectPkiError(() => fresh.identify(hzPem), PkiErrorCode.CERT_REVOKED);
    expect(fresh.identify(districtPem)).toEqual({ kind: 'district', districtId: '440303' });
    verifier.updateCrl(crlPem); // a reload must drop the cached acceptance
    expectPkiError(() => verifier.identify(hzPem), PkiErrorCode.CERT_REVOKED);

    // OpenSSL reads our hand-built CRL the same way.
    const crlText = execFileSync('openssl', ['crl', '-noout', '-text', '-CAfile', layout.caCert, '-in', layout.crl], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(crlText).toContain(`Serial Number: ${new X509Certificate(hzPem).serialNumber}`);
    expect(crlText).toMatch(/X509v3 CRL Number:\s+2\b/);
    expect(() =>
      execFileSync('openssl', ['verify', '-crl_check', '-CAfile', layout.caCert, '-CRLfile', layout.crl, layout.district('HZ-ZHONGKAI').clientCert], { stdio: 'pipe' }),
    ).toThrow(/certificate revoked/);
  });

  it('refuses to revoke a certificate from another CA', async () => {
    const foreignPem = await readFile(foreign.district('440303').clientCert, 'utf8');
    await expect(revokeCertificate({ dir, certPem: foreignPem })).rejects.toMatchObject({ code: PkiErrorCode.CERT_NOT_TRUSTED });
  });

  it('refuses a CRL that no trusted CA signed', async () => {
    const foreignCrl = await readFile(foreign.crl, 'utf8');
    expectPkiError(() => new ClientCertificateVerifier({ caCertPem, crlPem: foreignCrl }), PkiErrorCode.CRL_INVALID);
    expectPkiError(() => new ClientCertificateVerifier({ caCertPem, crlPem: 'garbage' }), PkiErrorCode.CRL_INVALID);
  });

  it('refuses a non-CA certificate as trust anchor', () => {
    expectPkiError(() => new ClientCertificateVerifier({ caCertPem: districtPem }), PkiErrorCode.CERT_INVALID);
  });
});
