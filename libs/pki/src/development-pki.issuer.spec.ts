import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { md, pki } from 'node-forge';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueDevelopmentPki } from './development-pki.issuer';
import { PkiError, PkiErrorCode } from './pki.error';
import { pkiLayout, type PkiLayout } from './pki.layout';

const DISTRICTS = [
  { id: '440303', name: '深圳市罗湖区', uscc: '11440303MB2C60431X' },
  { id: 'HZ-ZHONGKAI', name: '惠州仲恺高新区' },
];

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('issueDevelopmentPki', () => {
  let dir: string;
  let layout: PkiLayout;
  let created: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tongban-pki-'));
    ({ layout, created } = await issueDevelopmentPki({ dir, districts: DISTRICTS }));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes every file of the layout on first run', () => {
    const expected = [
      layout.caCert,
      layout.caKey,
      layout.crl,
      layout.serverCert,
      layout.serverKey,
      layout.gatewaySigningPrivateJwk,
      layout.gatewaySigningJwks,
      layout.ledgerSigningPrivateJwk,
      layout.ledgerSigningJwks,
      ...DISTRICTS.flatMap((d) => Object.values(layout.district(d.id))),
      ...Object.values(layout.operator('admin')),
      ...Object.values(layout.auditor('auditor')),
      ...Object.values(layout.auditor('auditor-qingdao')),
    ];
    expect([...created].sort()).toEqual([...expected].sort());
  });

  it('issues a server certificate openssl accepts for TLS server use, with the default SANs', () => {
    expect(openssl(['verify', '-purpose', 'sslserver', '-CAfile', layout.caCert, layout.serverCert])).toContain(': OK');
    const san = openssl(['x509', '-noout', '-ext', 'subjectAltName', '-in', layout.serverCert]);
    expect(san).toContain('DNS:localhost');
    expect(san).toContain('IP Address:127.0.0.1');
    expect(san).toContain('IP Address:0:0:0:0:0:0:0:1');
    // It is also the gateway's client certificate for pushes to district endpoints (mutual TLS); the
    // partner API still refuses it as a caller (no urn:tongban identity, see client-certificate.verifier.spec).
    expect(openssl(['verify', '-purpose', 'sslclient', '-CAfile', layout.caCert, layout.serverCert])).toContain(': OK');
  });


  it('issues district and operator client certificates openssl accepts for TLS client use, CRL checked', () => {
    const clients = [...DISTRICTS.map((d) => layout.district(d.id).clientCert), layout.operator('admin').clientCert];
    for (const cert of clients) {
      expect(openssl(['verify', '-purpose', 'sslclient', '-CAfile', layout.caCert, cert])).toContain(': OK');
      expect(openssl(['verify', '-crl_check', '-purpose', 'sslclient', '-CAfile', layout.caCert, '-CRLfile', layout.crl, cert])).toContain(': OK');
      expect(() => openssl(['verify', '-purpose', 'sslserver', '-CAfile', layout.caCert, cert])).toThrow();
    }
  });

  it('issues a root CA with the required constraints and a CRL signed by it', async () => {
    const text = openssl(['x509', '-noout', '-text', '-in', layout.caCert]);
    expect(text).toContain('Subject: C = CN, O = Tongban Alliance (Development), CN = Tongban Alliance Development Root CA');
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE/);
    expect(text).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(text).toContain('Subject Key Identifier');
    const serial = new X509Certificate(await readFile(layout.caCert)).serialNumber;
    expect(BigInt(`0x${serial}`) > 0n).toBe(true);
    expect(serial.length).toBe(32); // 16 bytes, no sign byte needed
    const crl = openssl(['crl', '-noout', '-text', '-CAfile', layout.caCert, '-in', layout.crl]);
    expect(crl).toContain('No Revoked Certificates');
    expect(crl).toMatch(/X509v3 CRL Number:\s+1\b/);
  });

  it('keeps Chinese organisation names and the USCC intact in the district subject', async () => {
    const subject = openssl(['x509', '-noout', '-subject', '-nameopt', 'utf8,sep_comma_plus_space,sname', '-in', layout.district('440303').clientCert]);
    expect(subject).toContain('O=深圳市罗湖区');
    expect(subject).toContain('CN=440303');
    expect(subject).toContain('serialNumber=11440303MB2C60431X');
    const san = openssl(['x509', '-noout', '-ext', 'subjectAltName,extendedKeyUsage,authorityKeyIdentifier', '-in', layout.district('440303').clientCert]);
    expect(san).toContain('URI:urn:tongban:district:440303');
    expect(san).toContain('TLS Web Client Authentication');
    // The leaf's authority key id is the CA's subject key id (not its own).
    const caSki = /Subject Key Identifier:\s+([0-9A-F:]+)/.exec(openssl(['x509', '-noout', '-ext', 'subjectKeyIdentifier', '-in', layout.caCert]))?.[1];
    expect(caSki).toBeDefined();
    expect(san).toContain(caSki);
    expect(new X509Certificate(await readFile(layout.district('HZ-ZHONGKAI').clientCert)).subject).toContain('O=惠州仲恺高新区');
  });

  it('writes private keys and private JWKs with mode 0600', async () => {
    const privateFiles = [layout.caKey, layout.serverKey, layout.gatewaySigningPrivateJwk, layout.district('440303').clientKey, layout.district('440303').signingPrivateJwk, layout.operator('admin').clientKey];
    for (const file of privateFiles) expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(layout.caCert)).mode & 0o077).not.toBe(0); // public files stay readable
  });

  it('writes ES256 signing keys by default, public JWKS without private members', async () => {
    const jwks = JSON.parse(await readFile(layout.district('440303').signingJwks, 'utf8'));
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(jwks.keys[0].d).toBeUndefined();
    const privateJwk = JSON.parse(await readFile(layout.district('440303').signingPrivateJwk, 'utf8'));
    expect(privateJwk.kid).toBe(jwks.keys[0].kid);
    expect(typeof privateJwk.d).toBe('string');
  });

  it('is idempotent: a second run creates nothing and keeps the CA', async () => {
    const before = await readFile(layout.caCert, 'utf8');
    const second = await issueDevelopmentPki({ dir, districts: DISTRICTS });
    expect(second.created).toEqual([]);
    expect(await readFile(layout.caCert, 'utf8')).toBe(before);
  });

  it('issues only what is missing: a new district, a lost JWKS rebuilt from its private key', async () => {
    const jwksBefore = await readFile(layout.gatewaySigningJwks, 'utf8');
    await unlink(layout.gatewaySigningJwks);
    const { created: again } = await issueDevelopmentPki({ dir, districts: [...DISTRICTS, { id: '441302', name: '惠州市惠城区' }] });
    expect([...again].sort()).toEqual([layout.gatewaySigningJwks, ...Object.values(layout.district('441302'))].sort());
    expect(await readFile(layout.gatewaySigningJwks, 'utf8')).toBe(jwksBefore);
  });

  it('reissues a kept gateway certificate without clientAuth (it pushes to districts as a TLS client), keeping the CA', async () => {
    // A serverAuth-only gateway certificate, as issued before pushes needed clientAuth: same CA, same key.
    const caPem = await readFile(layout.caCert, 'utf8');
    const caCert = pki.certificateFromPem(caPem);
    const serverKey = pki.privateKeyFromPem(await readFile(layout.serverKey, 'utf8')) as pki.rsa.PrivateKey;
    const legacy = pki.createCertificate();
    legacy.publicKey = pki.setRsaPublicKey(serverKey.n, serverKey.e);
    legacy.serialNumber = '0badc0de';
    legacy.validity.notBefore = new Date(Date.now() - 60_000);
    legacy.validity.notAfter = new Date(Date.now() + 86_400_000);
    legacy.setSubject([{ name: 'commonName', value: 'tongban-gateway' }]);
    legacy.setIssuer(caCert.subject.attributes);
    legacy.setExtensions([{ name: 'extKeyUsage', serverAuth: true }, { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }] }]);
    legacy.sign(pki.privateKeyFromPem(await readFile(layout.caKey, 'utf8')), md.sha256.create());
    await writeFile(layout.serverCert, pki.certificateToPem(legacy));
    expect(() => openssl(['verify', '-purpose', 'sslclient', '-CAfile', layout.caCert, layout.serverCert])).toThrow();

    const { created: again } = await issueDevelopmentPki({ dir, districts: DISTRICTS });
    expect([...again].sort()).toEqual([layout.serverCert, layout.serverKey].sort());
    expect(await readFile(layout.caCert, 'utf8')).toBe(caPem);
    expect(openssl(['verify', '-purpose', 'sslserver', '-CAfile', layout.caCert, layout.serverCert])).toContain(': OK');
    expect(openssl(['verify', '-purpose', 'sslclient', '-CAfile', layout.caCert, layout.serverCert])).toContain(': OK');
  });

  it('refuses to replace half a CA', async () => {
    const other = await mkdtemp(join(tmpdir(), 'tongban-pki-'));
    try {
      const { layout: l } = await issueDevelopmentPki({ dir: other, districts: [], operators: [] });
      await unlink(l.caKey);
      await expect(issueDevelopmentPki({ dir: other, districts: [] })).rejects.toMatchObject({ code: PkiErrorCode.PKI_FILE_MISSING });
      // overwrite reissues everything under a new CA
      const before = await readFile(l.caCert, 'utf8');
      const { created: all } = await issueDevelopmentPki({ dir: other, districts: [], operators: [], overwrite: true, signingAlg: 'EdDSA' });
      expect(all).toEqual(expect.arrayContaining([l.caCert, l.caKey, l.crl, l.serverCert, l.gatewaySigningJwks]));
      expect(await readFile(l.caCert, 'utf8')).not.toBe(before);
      expect(JSON.parse(await readFile(l.gatewaySigningJwks, 'utf8')).keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
      expect(openssl(['verify', '-purpose', 'sslserver', '-CAfile', l.caCert, l.serverCert])).toContain(': OK');
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('rejects ids that would escape the directory or break the URN, and bad options', async () => {
    await expect(issueDevelopmentPki({ dir, districts: [{ id: '../etc', name: 'x' }] })).rejects.toMatchObject({ code: PkiErrorCode.INVALID_SUBJECT });
    await expect(issueDevelopmentPki({ dir, districts: [DISTRICTS[0], DISTRICTS[0]] })).rejects.toMatchObject({ code: PkiErrorCode.INVALID_SUBJECT });
    await expect(issueDevelopmentPki({ dir, districts: [{ id: 'A', name: 'x', uscc: 'nope' }] })).rejects.toMatchObject({ code: PkiErrorCode.INVALID_SUBJECT });
    await expect(issueDevelopmentPki({ dir, districts: [], operators: ['a/b'] })).rejects.toBeInstanceOf(PkiError);
    await expect(issueDevelopmentPki({ dir, districts: [], validityDays: 0 })).rejects.toMatchObject({ code: PkiErrorCode.INVALID_OPTIONS });
  });
});

describe('pkiLayout', () => {
  it('computes absolute paths without touching the disk', () => {
    const l = pkiLayout('relative/pki');
    expect(l.dir).toBe(join(process.cwd(), 'relative/pki'));
    expect(l.caCert).toBe(join(l.dir, 'ca', 'ca.crt.pem'));
    expect(l.crl).toBe(join(l.dir, 'ca', 'ca.crl.pem'));
    expect(l.gatewaySigningJwks).toBe(join(l.dir, 'gateway', 'signing.jwks.json'));
    expect(l.district('440303')).toEqual({
      clientCert: join(l.dir, 'districts', '440303', 'client.crt.pem'),
      clientKey: join(l.dir, 'districts', '440303', 'client.key.pem'),
      signingPrivateJwk: join(l.dir, 'districts', '440303', 'signing.private.jwk.json'),
      signingJwks: join(l.dir, 'districts', '440303', 'signing.jwks.json'),
    });
    expect(l.operator('admin').clientKey).toBe(join(l.dir, 'operators', 'admin', 'client.key.pem'));
    expect(() => l.district('..')).toThrow(PkiError);
  });
});
