import { sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { asn1, pki } from 'node-forge';
import { PkiError, PkiErrorCode } from './pki.error';

// node-forge has no CRL support (its pkcs7 code says "TODO: implement CRLs"), so the RFC 5280
// CertificateList is built with forge.asn1 and signed/verified with node:crypto.

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const OID_AUTHORITY_KEY_IDENTIFIER = '2.5.29.35';
const OID_CRL_NUMBER = '2.5.29.20';
const { Class, Type } = asn1;

export interface RevokedCertificate {
  serial: string; // normalised hex, see normaliseSerial
  revokedAt: Date;
}

export interface CertificateRevocationList {
  thisUpdate: Date;
  nextUpdate?: Date;
  crlNumber: number;
  revoked: RevokedCertificate[];
  signatureAlgorithm: string;
  tbsDer: Buffer;
  signature: Buffer;
}

/** Serials compare as numbers: OpenSSL and node print them without the DER sign byte. */
export function normaliseSerial(hex: string): string {
  return BigInt(`0x${hex.replace(/[^0-9a-fA-F]/g, '') || '0'}`).toString(16).toUpperCase();
}

export function encodeCrl(opts: {
  caCertPem: string;
  caKeyPem: string;
  crlNumber: number;
  thisUpdate: Date;
  nextUpdate: Date;
  revoked: RevokedCertificate[];
}): string {
  const caCert = pki.certificateFromPem(opts.caCertPem);
  const ski = caCert.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | undefined;
  const keyId = ski?.subjectKeyIdentifier ? Buffer.from(ski.subjectKeyIdentifier, 'hex') : Buffer.from(caCert.generateSubjectKeyIdentifier().getBytes(), 'binary');

  const tbsChildren: asn1.Asn1[] = [
    asn1.create(Class.UNIVERSAL, Type.INTEGER, false, asn1.integerToDer(1).getBytes()), // v2: we carry extensions
    algorithmIdentifier(),
    subjectNameAsn1(opts.caCertPem),
    time(opts.thisUpdate),
    time(opts.nextUpdate),
  ];
  if (opts.revoked.length > 0) {
    // RFC 5280 §5.1.2.6: absent, not an empty SEQUENCE, when nothing is revoked.
    tbsChildren.push(
      asn1.create(
        Class.UNIVERSAL,
        Type.SEQUENCE,
        true,
        opts.revoked.map((r) => asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, [integerFromHex(r.serial), time(r.revokedAt)])),
      ),
    );
  }
  const akiValue = asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, [asn1.create(Class.CONTEXT_SPECIFIC, 0, false, keyId.toString('binary'))]);
  tbsChildren.push(
    asn1.create(Class.CONTEXT_SPECIFIC, 0, true, [
      asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, [
        extension(OID_AUTHORITY_KEY_IDENTIFIER, akiValue),
        extension(OID_CRL_NUMBER, asn1.create(Class.UNIVERSAL, Type.INTEGER, false, asn1.integerToDer(opts.crlNumber).getBytes())),
      ]),
    ]),
  );
  const tbs = asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, tbsChildren);
  const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary');
  const signature = sign('sha256', tbsDer, opts.caKeyPem);
  const crl = asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, [
    asn1.fromDer(tbsDer.toString('binary')),
    algorithmIdentifier(),
    asn1.create(Class.UNIVERSAL, Type.BITSTRING, false, `\u0000${signature.toString('binary')}`),
  ]);
  return toPem(Buffer.from(asn1.toDer(crl).getBytes(), 'binary'));
}

/** Every `X509 CRL` block in the text, decoded (signature not checked: see verifyCrlSignature). */
export function decodeCrls(pemText: string): CertificateRevocationList[] {
  const blocks = [...pemText.matchAll(/-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/g)];
  if (blocks.length === 0) throw new PkiError(PkiErrorCode.CRL_INVALID, 'no "X509 CRL" PEM block found');
  return blocks.map((m) => decodeCrlDer(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')));
}

export function verifyCrlSignature(crl: CertificateRevocationList, caPublicKey: KeyObject): boolean {
  return crl.signatureAlgorithm === SHA256_WITH_RSA && verify('sha256', crl.tbsDer, caPublicKey, crl.signature);
}

/** Which of the CAs signed this CRL (the signature is the only binding we need). */
export function findCrlIssuer(crl: CertificateRevocationList, cas: X509Certificate[]): X509Certificate | undefined {
  return cas.find((ca) => {
    try {
      return verifyCrlSignature(crl, ca.publicKey);
    } catch {
      return false;
    }
  });
}

function decodeCrlDer(der: Buffer): CertificateRevocationList {
  try {
    // Slice the raw TLVs so the signature is checked over the exact bytes received.
    const outer = readTlv(der, 0);
    const tbsTlv = readTlv(der, outer.contentStart);
    const algTlv = readTlv(der, tbsTlv.end);
    const sigTlv = readTlv(der, algTlv.end);
    if (der[sigTlv.start] !== 0x03 || der[sigTlv.contentStart] !== 0) throw new Error('signature is not a BIT STRING');
    const tbsDer = der.subarray(tbsTlv.start, tbsTlv.end);
    const alg = asn1.fromDer(der.subarray(algTlv.start, algTlv.end).toString('binary'));
    const signatureAlgorithm = asn1.derToOid(children(alg)[0].value as string);

    const fields = children(asn1.fromDer(tbsDer.toString('binary')));
    let i = 0;
    if (fields[i].tagClass === Class.UNIVERSAL && fields[i].type === Type.INTEGER) i++; // version
    i += 2; // signature algorithm, issuer
    const thisUpdate = readTime(fields[i++]);
    let nextUpdate: Date | undefined;
    if (fields[i] && isTime(fields[i])) nextUpdate = readTime(fields[i++]);
    let revoked: RevokedCertificate[] = [];
    if (fields[i] && fields[i].tagClass === Class.UNIVERSAL && fields[i].type === Type.SEQUENCE) {
      revoked = children(fields[i++]).map((entry) => {
        const [serial, date] = children(entry);
        return { serial: normaliseSerial(Buffer.from(serial.value as string, 'binary').toString('hex')), revokedAt: readTime(date) };
      });
    }
    let crlNumber = 0;
    if (fields[i] && fields[i].tagClass === Class.CONTEXT_SPECIFIC && fields[i].type === 0) {
      for (const ext of children(children(fields[i])[0])) {
        const parts = children(ext);
        if (asn1.derToOid(parts[0].value as string) === OID_CRL_NUMBER) {
          const int = asn1.fromDer(parts[parts.length - 1].value as string);
          crlNumber = Number(BigInt(`0x${Buffer.from(int.value as string, 'binary').toString('hex') || '0'}`));
        }
      }
    }
    return { thisUpdate, nextUpdate, crlNumber, revoked, signatureAlgorithm, tbsDer: Buffer.from(tbsDer), signature: der.subarray(sigTlv.contentStart + 1, sigTlv.end) };
  } catch (err) {
    if (err instanceof PkiError) throw err;
    throw new PkiError(PkiErrorCode.CRL_INVALID, `malformed CRL: ${(err as Error).message}`);
  }
}

interface Tlv {
  start: number;
  contentStart: number;
  end: number;
}

function readTlv(buf: Buffer, start: number): Tlv {
  if (start + 2 > buf.length) throw new Error('truncated DER');
  let length = buf[start + 1];
  let contentStart = start + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4) throw new Error('unsupported DER length');
    length = 0;
    for (let k = 0; k < n; k++) length = length * 256 + buf[contentStart + k];
    contentStart += n;
  }
  const end = contentStart + length;
  if (end > buf.length) throw new Error('truncated DER');
  return { start, contentStart, end };
}

function children(node: asn1.Asn1): asn1.Asn1[] {
  if (!Array.isArray(node.value)) throw new Error('expected a constructed ASN.1 value');
  return node.value;
}

function isTime(node: asn1.Asn1): boolean {
  return node.tagClass === Class.UNIVERSAL && (node.type === Type.UTCTIME || node.type === Type.GENERALIZEDTIME);
}

function readTime(node: asn1.Asn1): Date {
  if (!isTime(node)) throw new Error('expected a Time');
  return node.type === Type.UTCTIME ? asn1.utcTimeToDate(node.value as string) : asn1.generalizedTimeToDate(node.value as string);
}

function time(date: Date): asn1.Asn1 {
  // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
  return date.getUTCFullYear() < 2050
    ? asn1.create(Class.UNIVERSAL, Type.UTCTIME, false, asn1.dateToUtcTime(date))
    : asn1.create(Class.UNIVERSAL, Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

function algorithmIdentifier(): asn1.Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, [
    asn1.create(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(SHA256_WITH_RSA).getBytes()),
    asn1.create(Class.UNIVERSAL, Type.NULL, false, ''),
  ]);
}

function extension(oid: string, value: asn1.Asn1): asn1.Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, [
    asn1.create(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(oid).getBytes()),
    asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, asn1.toDer(value).getBytes()),
  ]);
}

function integerFromHex(hex: string): asn1.Asn1 {
  let h = normaliseSerial(hex);
  if (h.length % 2) h = `0${h}`;
  if (parseInt(h.slice(0, 2), 16) >= 0x80) h = `00${h}`; // keep it positive
  return asn1.create(Class.UNIVERSAL, Type.INTEGER, false, Buffer.from(h, 'hex').toString('binary'));
}

/** The CA's subject exactly as encoded in its certificate, so the CRL issuer matches byte for byte. */
function subjectNameAsn1(caCertPem: string): asn1.Asn1 {
  const cert = asn1.fromDer(Buffer.from(new X509Certificate(caCertPem).raw).toString('binary'));
  const tbs = children(cert)[0];
  const fields = children(tbs);
  const hasVersion = fields[0].tagClass === Class.CONTEXT_SPECIFIC;
  return fields[hasVersion ? 5 : 4];
}

function toPem(der: Buffer): string {
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN X509 CRL-----\n${body}\n-----END X509 CRL-----\n`;
}
