import { AppConfig, loadConfig } from '@tongban/config';
import { SigningKey } from '@tongban/envelope';
import { PartnerClient } from '@tongban/partner-client';
import { pkiLayout } from '@tongban/pki';
import { readFileSync } from 'node:fs';

/** The demo districts' credentials as the development PKI laid them out. */
export function districtCredentials(config: AppConfig, districtId: string): { key: SigningKey; client: PartnerClient } {
  if (!config.alliance.district(districtId)) {
    throw new UsageError(`Unknown district ${districtId}; known: ${config.alliance.districts.map((d) => d.id).join(', ')}`);
  }
  const files = pkiLayout(config.pki.dir).district(districtId);
  const jwk = JSON.parse(readFileSync(files.signingPrivateJwk, 'utf8'));
  const client = new PartnerClient({
    baseUrl: `https://localhost:${config.partnerApi.port}`,
    cert: readFileSync(files.clientCert),
    key: readFileSync(files.clientKey),
    ca: readFileSync(config.pki.caCert),
  });
  return { key: { kid: jwk.kid, alg: jwk.alg, privateJwk: jwk }, client };
}

/** A client with an auditor's development certificate (var/pki/auditors/<name>). */
export function partnerClientFor(opts: { gateway: string; auditor: string }): PartnerClient {
  const config = cliConfig();
  const files = pkiLayout(config.pki.dir).auditor(opts.auditor);
  return new PartnerClient({ baseUrl: opts.gateway, cert: readFileSync(files.clientCert), key: readFileSync(files.clientKey), ca: readFileSync(config.pki.caCert) });
}

export class UsageError extends Error {}

export function cliConfig(): AppConfig {
  return loadConfig();
}
