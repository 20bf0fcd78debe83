import { join, resolve } from 'node:path';
import { PkiError, PkiErrorCode } from './pki.error';

export interface PkiLayout {
  dir: string;
  caCert: string;
  caKey: string;
  crl: string;
  serverCert: string;
  serverKey: string;
  gatewaySigningPrivateJwk: string;
  gatewaySigningJwks: string;
  ledgerSigningPrivateJwk: string;
  ledgerSigningJwks: string;
  district(id: string): { clientCert: string; clientKey: string; signingPrivateJwk: string; signingJwks: string };
  operator(name: string): { clientCert: string; clientKey: string };
  auditor(name: string): { clientCert: string; clientKey: string };
}

/** Ids become path segments and URNs: only this alphabet, so no `..` or separators slip in. */
export const SUBJECT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Pure path arithmetic: no I/O, so callers can compute paths before anything exists. */
export function pkiLayout(dir: string): PkiLayout {
  const root = resolve(dir);
  const at = (...parts: string[]) => join(root, ...parts);
  return {
    dir: root,
    caCert: at('ca', 'ca.crt.pem'),
    caKey: at('ca', 'ca.key.pem'),
    crl: at('ca', 'ca.crl.pem'),
    serverCert: at('gateway', 'server.crt.pem'),
    serverKey: at('gateway', 'server.key.pem'),
    gatewaySigningPrivateJwk: at('gateway', 'signing.private.jwk.json'),
    gatewaySigningJwks: at('gateway', 'signing.jwks.json'),
    ledgerSigningPrivateJwk: at('gateway', 'ledger.private.jwk.json'),
    ledgerSigningJwks: at('gateway', 'ledger.jwks.json'),
    district(id: string) {
      assertSubjectId(id);
      return {
        clientCert: at('districts', id, 'client.crt.pem'),
        clientKey: at('districts', id, 'client.key.pem'),
        signingPrivateJwk: at('districts', id, 'signing.private.jwk.json'),
        signingJwks: at('districts', id, 'signing.jwks.json'),
      };
    },
    operator(name: string) {
      assertSubjectId(name);
      return {
        clientCert: at('operators', name, 'client.crt.pem'),
        clientKey: at('operators', name, 'client.key.pem'),
      };
    },
    auditor(name: string) {
      assertSubjectId(name);
      return {
        clientCert: at('auditors', name, 'client.crt.pem'),
        clientKey: at('auditors', name, 'client.key.pem'),
      };
    },
  };
}

function assertSubjectId(id: string): void {
  if (!SUBJECT_ID_PATTERN.test(id)) {
    throw new PkiError(PkiErrorCode.INVALID_SUBJECT, `"${id}" is not a valid district id or operator name (${SUBJECT_ID_PATTERN})`);
  }
}
