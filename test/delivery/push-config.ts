import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_DIR } from '../support/harness';

export interface PushConfigFiles {
  /** Env for startStack: ALLIANCE_FILE and TONGBAN_CONFIG pointing at the temp copies. */
  env: Record<string, string>;
  remove(): void;
}

/**
 * Temp copies of config/gateway.json and config/alliance/demo.json: the given districts push to the
 * given URLs, and delivery retries are short. `pki:` paths in the alliance copy still resolve against
 * PKI_DIR; other relative paths resolve against the root directory, as for the originals.
 * (Delivery settings have no env override, hence the gateway config copy.)
 */
export function writePushConfig(opts: {
  push: Record<string, string>;
  delivery: { maxAttempts: number; backoffSeconds: number[]; pushTimeoutMs?: number };
}): PushConfigFiles {
  const dir = mkdtempSync(join(tmpdir(), 'tongban-push-config-'));

  const alliance = JSON.parse(readFileSync(join(ROOT_DIR, 'config', 'alliance', 'demo.json'), 'utf8')) as {
    districts: Array<{ id: string; push?: { url: string } }>;
  };
  for (const [districtId, url] of Object.entries(opts.push)) {
    const district = alliance.districts.find((d) => d.id === districtId);
    if (!district) throw new Error(`district ${districtId} is not in the demo alliance`);
    district.push = { url };
  }
  const allianceFile = join(dir, 'alliance.json');
  writeFileSync(allianceFile, JSON.stringify(alliance, null, 2));

  const gateway = JSON.parse(readFileSync(join(ROOT_DIR, 'config', 'gateway.json'), 'utf8')) as { delivery: Record<string, unknown> };
  gateway.delivery = { ...gateway.delivery, ...opts.delivery };
  const gatewayFile = join(dir, 'gateway.json');
  writeFileSync(gatewayFile, JSON.stringify(gateway, null, 2));

  return {
    env: { ALLIANCE_FILE: allianceFile, TONGBAN_CONFIG: gatewayFile },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
