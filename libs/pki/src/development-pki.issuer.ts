import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { encodeCrl } from './certificate-revocation-list.codec';
import { fileExists, PRIVATE_FILE_MODE, PUBLIC_FILE_MODE, readRequiredFile, writeFileAtomic } from './pki-file.store';
import { PkiError, PkiErrorCode } from './pki.error';
import { pkiLayout, SUBJECT_ID_PATTERN, type PkiLayout } from './pki.layout';
import { issueSigningKey, publicJwkOf, SIGNING_ALGS, type SigningAlg, type SigningPrivateJwk } from './signing-key.issuer';
import {
  buildDistrictClientCertificate,
  buildOperatorClientCertificate,
  buildRootCaCertificate,
  buildServerCertificate,
  generateRsaKeyPair,
  loadIssuer,
  type CertificateIssuer,
  type RsaKeyPairPem,
  type Validity,
} from './x509-certificate.builder';

export interface PkiSubject {
  id: string; // district id, e.g. "440303" or "HZ-ZHONGKAI"
  name: string; // Chinese name
  uscc?: string; // unified social credit code (统一社会信用代码)
}

export interface IssueDevelopmentPkiOptions {
  dir: string;
  districts: PkiSubject[];
  operators?: string[];
  /** Read-only ledger auditors (urn:tongban:auditor:<name>); their scope is gateway config `auditors`. */
  auditors?: string[];
  gatewayHosts?: string[];
  signingAlg?: SigningAlg;
  validityDays?: number;
  overwrite?: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const CA_MIN_VALIDITY_DAYS = 3650;
const SERVER_AUTH_OID = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';
// Backdate a little so a peer whose clock is slightly behind does not see "not yet valid".
const CLOCK_SKEW_MS = 5 * 60 * 1000;
const USCC_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

interface LoadedCa {
  certPem: string;
  keyPem: string;
  x509: X509Certificate;
  issuer: CertificateIssuer;
  fresh: boolean;
}

/**
 * Issues a development PKI: a root CA, its CRL, the gateway's TLS server certificate, one TLS client
 * certificate per district and operator, and JWS signing keys for the gateway and each district.
 * Existing files are kept unless `overwrite`, so it is safe to run on every first start; a file that
 * no longer chains to the current CA is reissued.
 */
export async function issueDevelopmentPki(opts: IssueDevelopmentPkiOptions): Promise<{ layout: PkiLayout; created: string[] }> {
  const operators = opts.operators ?? ['admin'];
  const auditors = opts.auditors ?? ['auditor', 'auditor-qingdao'];
  const hosts = opts.gatewayHosts ?? ['localhost', '127.0.0.1', '::1'];
  const alg = opts.signingAlg ?? 'ES256';
  const validityDays = opts.validityDays ?? 825;
  const overwrite = opts.overwrite ?? false;
  validateOptions(opts.districts, [...operators, ...auditors], hosts, alg, validityDays);

  const layout = pkiLayout(opts.dir);
  const now = Date.now();
  const validity: Validity = { notBefore: new Date(now - CLOCK_SKEW_MS), notAfter: new Date(now + validityDays * DAY_MS) };
  const created: string[] = [];

  const ca = await ensureCa(layout, overwrite, { notBefore: validity.notBefore, notAfter: new Date(now + Math.max(validityDays, CA_MIN_VALIDITY_DAYS) * DAY_MS) }, created);
  const reissue = overwrite || ca.fresh;

  if (reissue || !(await fileExists(layout.crl))) {
    // The CRL stays valid as long as the CA: a dev PKI has no CRL publisher to refresh it.
    const crl = encodeCrl({ caCertPem: ca.certPem, caKeyPem: ca.keyPem, crlNumber: 1, thisUpdate: new Date(now), nextUpdate: new Date(ca.x509.validTo), revoked: [] });
    await write(layout.crl, crl, PUBLIC_FILE_MODE, created);
  }

  // Keys come from node:crypto's thread pool, so issuing in parallel is faster; `created` keeps a stable order.
  const tasks: Array<(out: string[]) => Promise<void>> = [
    // A gateway certificate issued before it carried clientAuth (needed to push over mutual TLS) is reissued.
    (out) => ensureLeaf(layout.serverCert, layout.serverKey, ca, reissue, out, (keys) => buildServerCertificate(ca.issuer, keys, hosts, validity), [SERVER_AUTH_OID, CLIENT_AUTH_OID]),
    (out) => ensureSigningKey(layout.gatewaySigningPrivateJwk, layout.gatewaySigningJwks, alg, overwrite, out),
    // A key of its own for ledger checkpoints: rotating the receipt key must not touch years of signed tree heads.
    (out) => ensureSigningKey(layout.ledgerSigningPrivateJwk, layout.ledgerSigningJwks, alg, overwrite, out),
    ...opts.districts.flatMap((district) => {
      const paths = layout.district(district.id);
      return [
        (out: string[]) => ensureLeaf(paths.clientCert, paths.clientKey, ca, reissue, out, (keys) => buildDistrictClientCertificate(ca.issuer, keys, district, validity)),
        (out: string[]) => ensureSigningKey(paths.signingPrivateJwk, paths.signingJwks, alg, overwrite, out),
      ];
    }),
    ...operators.map((operator) => {
      const paths = layout.operator(operator);
      return (out: string[]) => ensureLeaf(paths.clientCert, paths.clientKey, ca, reissue, out, (keys) => buildOperatorClientCertificate(ca.issuer, keys, operator, validity));
    }),
    ...auditors.map((auditor) => {
      const paths = layout.auditor(auditor);
      return (out: string[]) =>
        ensureLeaf(paths.clientCert, paths.clientKey, ca, reissue, out, (keys) => buildOperatorClientCertificate(ca.issuer, keys, auditor, validity, 'auditor'));
    }),
  ];
  const outputs = tasks.map((): string[] => []);
  await Promise.all(tasks.map((task, i) => task(outputs[i])));
  created.push(...outputs.flat());
  return { layout, created };
}

function validateOptions(districts: PkiSubject[], operators: string[], hosts: string[], alg: SigningAlg, validityDays: number): void {
  const invalid = (message: string) => new PkiError(PkiErrorCode.INVALID_OPTIONS, message);
  if (!SIGNING_ALGS.includes(alg)) throw new PkiError(PkiErrorCode.UNSUPPORTED_ALGORITHM, `signingAlg must be one of ${SIGNING_ALGS.join(', ')}`);
  if (!Number.isInteger(validityDays) || validityDays < 1) throw invalid(`validityDays must be a positive integer, got ${validityDays}`);
  if (hosts.length === 0 || hosts.some((h) => !/^[A-Za-z0-9.:*-]+$/.test(h))) throw invalid(`gatewayHosts must be host names or IP addresses, got ${JSON.stringify(hosts)}`);
  const seen = new Set<string>();
  for (const d of districts) {
    if (!SUBJECT_ID_PATTERN.test(d.id)) throw new PkiError(PkiErrorCode.INVALID_SUBJECT, `district id "${d.id}" must match ${SUBJECT_ID_PATTERN}`);
    if (seen.has(d.id)) throw new PkiError(PkiErrorCode.INVALID_SUBJECT, `district id "${d.id}" appears twice`);
    seen.add(d.id);
    if (!d.name || !d.name.trim()) throw new PkiError(PkiErrorCode.INVALID_SUBJECT, `district "${d.id}" has no name`);
    if (d.uscc !== undefined && !USCC_PATTERN.test(d.uscc)) throw new PkiError(PkiErrorCode.INVALID_SUBJECT, `district "${d.id}" has a malformed USCC "${d.uscc}"`);
  }
  const seenOperators = new Set<string>();
  for (const op of operators) {
    if (!SUBJECT_ID_PATTERN.test(op)) throw new PkiError(PkiErrorCode.INVALID_SUBJECT, `operator name "${op}" must match ${SUBJECT_ID_PATTERN}`);
    if (seenOperators.has(op)) throw new PkiError(PkiErrorCode.INVALID_SUBJECT, `operator "${op}" appears twice`);
    seenOperators.add(op);
  }
}

async function ensureCa(layout: PkiLayout, overwrite: boolean, validity: Validity, created: string[]): Promise<LoadedCa> {
  const [hasCert, hasKey] = await Promise.all([fileExists(layout.caCert), fileExists(layout.caKey)]);
  if (!overwrite && hasCert !== hasKey) {
    // Never silently replace half a trust anchor: every partner would have to re-import it.
    const missing = hasCert ? layout.caKey : layout.caCert;
    throw new PkiError(PkiErrorCode.PKI_FILE_MISSING, `${missing} is missing while its pair exists; restore it or reissue with overwrite`);
  }
  if (!overwrite && hasCert && hasKey) {
    const [certPem, keyPem] = await Promise.all([readRequiredFile(layout.caCert), readRequiredFile(layout.caKey)]);
    const x509 = parseCertificate(certPem, layout.caCert);
    if (!x509.ca || !x509.checkPrivateKey(createPrivateKeySafe(keyPem, layout.caKey))) {
      throw new PkiError(PkiErrorCode.PKI_FILE_INVALID, `${layout.caCert} is not a CA certificate matching ${layout.caKey}`);
    }
    return { certPem, keyPem, x509, issuer: loadIssuer(certPem, keyPem), fresh: false };
  }
  const keys = await generateRsaKeyPair();
  const certPem = buildRootCaCertificate(keys, validity);
  await write(layout.caKey, keys.privateKeyPem, PRIVATE_FILE_MODE, created);
  await write(layout.caCert, certPem, PUBLIC_FILE_MODE, created);
  return { certPem, keyPem: keys.privateKeyPem, x509: new X509Certificate(certPem), issuer: loadIssuer(certPem, keys.privateKeyPem), fresh: true };
}

async function ensureLeaf(
  certPath: string,
  keyPath: string,
  ca: LoadedCa,
  reissue: boolean,
  created: string[],
  build: (keys: RsaKeyPairPem) => string,
  requiredExtKeyUsage: string[] = [],
): Promise<void> {
  if (!reissue && (await isKeptLeafUsable(certPath, keyPath, ca.x509, requiredExtKeyUsage))) return;
  const keys = await generateRsaKeyPair();
  const certPem = build(keys);
  // Key first: a crash in between leaves a key without a certificate, which the next run reissues.
  await write(keyPath, keys.privateKeyPem, PRIVATE_FILE_MODE, created);
  await write(certPath, certPem, PUBLIC_FILE_MODE, created);
}

async function isKeptLeafUsable(certPath: string, keyPath: string, ca: X509Certificate, requiredExtKeyUsage: string[]): Promise<boolean> {
  if (!(await fileExists(certPath)) || !(await fileExists(keyPath))) return false;
  try {
    const cert = new X509Certificate(await readFile(certPath));
    const usages = cert.keyUsage ?? [];
    return (
      cert.checkIssued(ca) &&
      cert.verify(ca.publicKey) &&
      cert.checkPrivateKey(createPrivateKey(await readFile(keyPath))) &&
      requiredExtKeyUsage.every((oid) => usages.includes(oid))
    );
  } catch {
    return false; // unreadable or foreign: reissue rather than keep something that cannot work
  }
}

async function ensureSigningKey(privatePath: string, jwksPath: string, alg: SigningAlg, overwrite: boolean, created: string[]): Promise<void> {
  if (!overwrite && (await fileExists(privatePath))) {
    if (await fileExists(jwksPath)) return;
    // Partners may already hold this key: rebuild the public JWKS from it rather than rotate.
    const privateJwk = JSON.parse(await readRequiredFile(privatePath)) as SigningPrivateJwk;
    await write(jwksPath, jwksJson(publicJwkOf(privateJwk)), PUBLIC_FILE_MODE, created);
    return;
  }
  const { privateJwk, publicJwk } = await issueSigningKey(alg);
  await write(privatePath, `${JSON.stringify(privateJwk, null, 2)}\n`, PRIVATE_FILE_MODE, created);
  await write(jwksPath, jwksJson(publicJwk), PUBLIC_FILE_MODE, created);
}

function jwksJson(publicJwk: object): string {
  return `${JSON.stringify({ keys: [publicJwk] }, null, 2)}\n`;
}

async function write(path: string, data: string, mode: number, created: string[]): Promise<void> {
  await writeFileAtomic(path, data, mode);
  created.push(path);
}

function parseCertificate(pem: string, path: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (err) {
    throw new PkiError(PkiErrorCode.PKI_FILE_INVALID, `${path} is not a certificate: ${(err as Error).message}`);
  }
}

function createPrivateKeySafe(pem: string, path: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (err) {
    throw new PkiError(PkiErrorCode.PKI_FILE_INVALID, `${path} is not a private key: ${(err as Error).message}`);
  }
}
