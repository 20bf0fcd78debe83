import { X509Certificate } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeCrls, normaliseSerial, type CertificateRevocationList } from './certificate-revocation-list.codec';
import { fileExists, readRequiredFile } from './pki-file.store';
import { pkiLayout } from './pki.layout';

export interface IssuedCertificateSummary {
  role: 'ca' | 'server' | 'district' | 'operator';
  name: string; // district id / operator name; CN for the CA and server
  file: string;
  subject: string; // one line, "C=CN, O=..., CN=..."
  subjectAltName?: string;
  serial: string;
  notBefore: Date;
  notAfter: Date;
  revoked: boolean;
  signingKey?: { kid: string; alg: string }; // JWS key beside the certificate, when there is one
}

export interface PkiInventory {
  dir: string;
  crl?: { crlNumber: number; thisUpdate: Date; revokedSerials: string[] };
  certificates: IssuedCertificateSummary[];
}

/** What `tongban pki show` prints: read-only, tolerant of missing optional files. */
export async function inspectPki(dir: string): Promise<PkiInventory> {
  const layout = pkiLayout(dir);
  await readRequiredFile(layout.caCert); // fails with PKI_FILE_MISSING when nothing was issued
  let crl: CertificateRevocationList | undefined;
  if (await fileExists(layout.crl)) crl = decodeCrls(await readRequiredFile(layout.crl))[0];
  const revoked = new Set(crl?.revoked.map((r) => r.serial) ?? []);

  const certificates: IssuedCertificateSummary[] = [];
  const add = async (role: IssuedCertificateSummary['role'], name: string | undefined, file: string, jwkFile?: string) => {
    if (!(await fileExists(file))) return;
    const cert = new X509Certificate(await readFile(file));
    certificates.push({
      role,
      name: name ?? commonName(cert),
      file,
      subject: cert.subject.split('\n').join(', '),
      subjectAltName: cert.subjectAltName,
      serial: cert.serialNumber,
      notBefore: new Date(cert.validFrom),
      notAfter: new Date(cert.validTo),
      revoked: revoked.has(normaliseSerial(cert.serialNumber)),
      signingKey: jwkFile ? await signingKeyOf(jwkFile) : undefined,
    });
  };
  await add('ca', undefined, layout.caCert);
  await add('server', undefined, layout.serverCert, layout.gatewaySigningJwks);
  for (const id of await subdirectories(join(layout.dir, 'districts'))) {
    const paths = layout.district(id);
    await add('district', id, paths.clientCert, paths.signingJwks);
  }
  for (const name of await subdirectories(join(layout.dir, 'operators'))) {
    await add('operator', name, layout.operator(name).clientCert);
  }
  return {
    dir: layout.dir,
    crl: crl && { crlNumber: crl.crlNumber, thisUpdate: crl.thisUpdate, revokedSerials: [...revoked] },
    certificates,
  };
}

async function subdirectories(path: string): Promise<string[]> {
  try {
    const entries = await readdir(path, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

async function signingKeyOf(jwksFile: string): Promise<{ kid: string; alg: string } | undefined> {
  if (!(await fileExists(jwksFile))) return undefined;
  try {
    const jwks = JSON.parse(await readFile(jwksFile, 'utf8')) as { keys?: Array<{ kid?: string; alg?: string }> };
    const key = jwks.keys?.[0];
    return key?.kid && key.alg ? { kid: key.kid, alg: key.alg } : undefined;
  } catch {
    return undefined;
  }
}

function commonName(cert: X509Certificate): string {
  return /^CN=(.*)$/m.exec(cert.subject)?.[1] ?? cert.subject;
}
