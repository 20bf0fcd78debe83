import type { AppConfig } from '@tongban/config';
import { issueDevelopmentPki } from '@tongban/pki';

/** First run on embedded defaults: issue the development PKI for the configured alliance if it is missing. */
export async function ensureDevelopmentPki(config: AppConfig, log: (line: string) => void): Promise<void> {
  const { created } = await issueDevelopmentPki({
    dir: config.pki.dir,
    districts: config.alliance.districts.map((d) => ({ id: d.id, name: d.name, uscc: d.serviceCentreUscc })),
  });
  if (created.length > 0) log(`issued a development PKI in ${config.pki.dir} (${created.length} files)`);
}
