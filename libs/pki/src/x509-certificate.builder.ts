import { generateKeyPair, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { promisify } from 'node:util';
import { asn1, md, pki, util } from 'node-forge';

/** node-forge signs X.509 with RSA only; node:crypto generates the key because forge's JS keygen is slow. */
export interface RsaKeyPairPem {
  privateKeyPem: string; // PKCS#8
  publicKeyPem: string; // SPKI
}

const generateKeyPairAsync = promisify(generateKeyPair);

export async function generateRsaKeyPair(): Promise<RsaKeyPairPem> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

export interface Validity {
  notBefore: Date;
  notAfter: Date;
}

/** The CA as forge needs it to sign: its certificate (for the issuer name and key id) and key. */
export interface CertificateIssuer {
  cert: pki.Certificate;
  key: pki.rsa.PrivateKey;
}

export function loadIssuer(caCertPem: string, caKeyPem: string): CertificateIssuer {
  return { cert: pki.certificateFromPem(caCertPem), key: pki.privateKeyFromPem(caKeyPem) };
}

export const ROOT_CA_COMMON_NAME = 'Tongban Alliance Development Root CA';
export const GATEWAY_COMMON_NAME = 'tongban-gateway';
const ALLIANCE_ORGANIZATION = 'Tongban Alliance (Development)';

export function districtIdentityUri(districtId: string): string {
  return `urn:tongban:district:${districtId}`;
}

export function operatorIdentityUri(operator: string): string {
  return `urn:tongban:operator:${operator}`;
}

export function buildRootCaCertificate(keys: RsaKeyPairPem, validity: Validity): string {
  const cert = newCertificate(keys, validity);
  const subject = [
    utf8Attr('countryName', 'CN'),
    utf8Attr('organizationName', ALLIANCE_ORGANIZATION),
    utf8Attr('commonName', ROOT_CA_COMMON_NAME),
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(pki.privateKeyFromPem(keys.privateKeyPem), md.sha256.create());
  return pki.certificateToPem(cert);
}

export function buildServerCertificate(issuer: CertificateIssuer, keys: RsaKeyPairPem, hosts: string[], validity: Validity): string {
  const altNames = hosts.map((host) => (isIP(host) ? { type: 7, ip: host } : { type: 2, value: host }));
  return buildLeaf(issuer, keys, validity, {
    subject: [utf8Attr('organizationName', ALLIANCE_ORGANIZATION), utf8Attr('commonName', GATEWAY_COMMON_NAME)],
    altNames,
    // clientAuth too: the worker presents this certificate as its CLIENT certificate when it pushes to a
    // district's endpoint over mutual TLS (TLS servers reject client certificates without clientAuth).
    // It carries no urn:tongban identity URI, so the partner API still refuses it as a caller.
    extKeyUsage: { serverAuth: true, clientAuth: true },
  });
}

export function buildDistrictClientCertificate(
  issuer: CertificateIssuer,
  keys: RsaKeyPairPem,
  district: { id: string; name: string; uscc?: string },
  validity: Validity,
): string {
  const subject = [utf8Attr('commonName', district.id), utf8Attr('organizationName', district.name)];
  if (district.uscc) {
    // X.520 serialNumber is a PrintableString; the USCC alphabet (digits + capitals) fits it.
    subject.push({ type: '2.5.4.5', value: district.uscc, valueTagClass: tagClass(asn1.Type.PRINTABLESTRING) });
  }
  return buildLeaf(issuer, keys, validity, {
    subject,
    altNames: [{ type: 6, value: districtIdentityUri(district.id) }],
    extKeyUsage: { clientAuth: true },
  });
}

export function auditorIdentityUri(auditor: string): string {
  return `urn:tongban:auditor:${auditor}`;
}

/** An operator's (administrator's) or an auditor's client certificate: the SAN URI says which. */
export function buildOperatorClientCertificate(issuer: CertificateIssuer, keys: RsaKeyPairPem, operator: string, validity: Validity, kind: 'operator' | 'auditor' = 'operator'): string {
  return buildLeaf(issuer, keys, validity, {
    subject: [utf8Attr('organizationName', ALLIANCE_ORGANIZATION), utf8Attr('commonName', operator)],
    altNames: [{ type: 6, value: kind === 'auditor' ? auditorIdentityUri(operator) : operatorIdentityUri(operator) }],
    extKeyUsage: { clientAuth: true },
  });
}

interface LeafSpec {
  subject: pki.CertificateField[];
  altNames: object[];
  extKeyUsage: { serverAuth?: boolean; clientAuth?: boolean };
}

function buildLeaf(issuer: CertificateIssuer, keys: RsaKeyPairPem, validity: Validity, spec: LeafSpec): string {
  // A leaf must not outlive its CA, or verifiers reject it before its own notAfter.
  const notAfter = new Date(Math.min(validity.notAfter.getTime(), issuer.cert.validity.notAfter.getTime()));
  const cert = newCertificate(keys, { notBefore: validity.notBefore, notAfter });
  cert.setSubject(spec.subject);
  cert.setIssuer(issuer.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', ...spec.extKeyUsage },
    { name: 'subjectAltName', altNames: spec.altNames },
    { name: 'subjectKeyIdentifier' },
    // forge's `keyIdentifier: true` would use the leaf's own key: pass the CA's key id explicitly.
    { name: 'authorityKeyIdentifier', keyIdentifier: issuerKeyIdentifier(issuer.cert) },
  ]);
  cert.sign(issuer.key, md.sha256.create());
  return pki.certificateToPem(cert);
}

function newCertificate(keys: RsaKeyPairPem, validity: Validity): pki.Certificate {
  const cert = pki.createCertificate();
  cert.publicKey = pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = randomSerialHex();
  cert.validity.notBefore = validity.notBefore;
  cert.validity.notAfter = validity.notAfter;
  return cert;
}

/** 16 random bytes, top bit clear (positive INTEGER) and next bit set (no DER leading-zero byte). */
export function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x40;
  return bytes.toString('hex');
}

function issuerKeyIdentifier(caCert: pki.Certificate): string {
  const ski = caCert.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | undefined;
  return ski?.subjectKeyIdentifier ? util.hexToBytes(ski.subjectKeyIdentifier) : caCert.generateSubjectKeyIdentifier().getBytes();
}

function utf8Attr(name: string, value: string): pki.CertificateField {
  // UTF8String everywhere: Chinese names need it, and PrintableString forbids `_` in ids.
  return { name, value, valueTagClass: tagClass(asn1.Type.UTF8) };
}

/** @types/node-forge types valueTagClass as asn1.Class, but forge reads it as a universal asn1.Type. */
function tagClass(type: asn1.Type): asn1.Class {
  return type as unknown as asn1.Class;
}
