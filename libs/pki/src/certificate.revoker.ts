import { X509Certificate } from 'node:crypto';
import { decodeCrls, encodeCrl, normaliseSerial, verifyCrlSignature } from './certificate-revocation-list.codec';
import { fileExists, PUBLIC_FILE_MODE, readRequiredFile, writeFileAtomic } from './pki-file.store';
import { PkiError, PkiErrorCode } from './pki.error';
import { pkiLayout } from './pki.layout';

/**
 * Adds the certificate's serial to the CA's CRL and rewrites ca/ca.crl.pem (cRLNumber + 1).
 * Revoking an already revoked certificate is a no-op. Not safe against two concurrent revokes on
 * the same directory (last writer wins): it is an operator command, not a service.
 */
export async function revokeCertificate(opts: { dir: string; certPem: string }): Promise<void> {
  const layout = pkiLayout(opts.dir);
  const [caCertPem, caKeyPem] = await Promise.all([readRequiredFile(layout.caCert), readRequiredFile(layout.caKey)]);
  const ca = new X509Certificate(caCertPem);
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(opts.certPem);
  } catch (err) {
    throw new PkiError(PkiErrorCode.CERT_INVALID, `not an X.509 certificate: ${(err as Error).message}`);
  }
  if (!leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) {
    throw new PkiError(PkiErrorCode.CERT_NOT_TRUSTED, `certificate serial ${leaf.serialNumber} was not issued by the CA in ${layout.dir}`);
  }
  if (leaf.ca) throw new PkiError(PkiErrorCode.CERT_WRONG_PURPOSE, 'the root CA cannot revoke itself; reissue the PKI instead');

  const existing = (await fileExists(layout.crl)) ? decodeCrls(await readRequiredFile(layout.crl))[0] : undefined;
  if (existing && !verifyCrlSignature(existing, ca.publicKey)) {
    throw new PkiError(PkiErrorCode.CRL_INVALID, `${layout.crl} is not signed by ${layout.caCert}`);
  }
  const serial = normaliseSerial(leaf.serialNumber);
  const revoked = existing?.revoked ?? [];
  if (revoked.some((entry) => entry.serial === serial)) return;

  const now = new Date();
  const crl = encodeCrl({
    caCertPem,
    caKeyPem,
    crlNumber: (existing?.crlNumber ?? 0) + 1,
    thisUpdate: now,
    nextUpdate: new Date(ca.validTo),
    revoked: [...revoked, { serial, revokedAt: now }],
  });
  await writeFileAtomic(layout.crl, crl, PUBLIC_FILE_MODE);
}
