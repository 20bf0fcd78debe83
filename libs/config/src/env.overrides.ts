import { ConfigError } from './config.error';
import { isPlainObject } from './schema.validator';

export type Env = Readonly<Record<string, string | undefined>>;

type Kind = 'string' | 'port' | 'positiveInteger';

/**
 * Environment variables that override the config file, with the config path each one sets. The
 * table is the single place that knows env names, so README, parsing and error keys agree.
 */
export const ENV_OVERRIDES: ReadonlyArray<{ readonly name: string; readonly path: string; readonly kind: Kind }> = [
  { name: 'DATABASE_URL', path: 'databaseUrl', kind: 'string' },
  { name: 'AMQP_URL', path: 'amqpUrl', kind: 'string' },
  { name: 'AMQP_PREFIX', path: 'amqpPrefix', kind: 'string' },
  { name: 'PARTNER_API_HOST', path: 'partnerApi.host', kind: 'string' },
  { name: 'PARTNER_API_PORT', path: 'partnerApi.port', kind: 'port' },
  { name: 'OPS_API_HOST', path: 'opsApi.host', kind: 'string' },
  { name: 'OPS_API_PORT', path: 'opsApi.port', kind: 'port' },
  { name: 'CONSOLE_API_HOST', path: 'consoleApi.host', kind: 'string' },
  { name: 'CONSOLE_API_PORT', path: 'consoleApi.port', kind: 'port' },
  { name: 'PKI_DIR', path: 'pki.dir', kind: 'string' },
  { name: 'TONGBAN_PKI_CA_CERT', path: 'pki.caCert', kind: 'string' },
  { name: 'TONGBAN_PKI_CRL', path: 'pki.crl', kind: 'string' },
  { name: 'TONGBAN_PKI_SERVER_CERT', path: 'pki.serverCert', kind: 'string' },
  { name: 'TONGBAN_PKI_SERVER_KEY', path: 'pki.serverKey', kind: 'string' },
  { name: 'TONGBAN_PKI_SIGNING_PRIVATE_JWK', path: 'pki.gatewaySigningPrivateJwk', kind: 'string' },
  { name: 'TONGBAN_PKI_SIGNING_JWKS', path: 'pki.gatewaySigningJwks', kind: 'string' },
  { name: 'TONGBAN_PKI_LEDGER_PRIVATE_JWK', path: 'pki.ledgerSigningPrivateJwk', kind: 'string' },
  { name: 'TONGBAN_PKI_LEDGER_JWKS', path: 'pki.ledgerSigningJwks', kind: 'string' },
  { name: 'DATA_DIR', path: 'dataDir', kind: 'string' },
  { name: 'ALLIANCE_FILE', path: 'alliance', kind: 'string' },
  { name: 'LOG_LEVEL', path: 'logLevel', kind: 'string' },
  { name: 'GATEWAY_ID', path: 'gatewayId', kind: 'string' },
  { name: 'MATERIALS_MAX_BYTES', path: 'materials.maxBytes', kind: 'positiveInteger' },
  { name: 'MATERIALS_STORE', path: 'materials.store', kind: 'string' },
  { name: 'MATERIALS_DIR', path: 'materials.dir', kind: 'string' },
  { name: 'DEADLINE_CHECK_INTERVAL_MS', path: 'deadlines.checkIntervalMs', kind: 'positiveInteger' },
];

/** Reads a variable; empty counts as unset, as `FOO=` in a compose or unit file usually means. */
export function readEnv(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Writes the env overrides into `settings` (a parsed copy of the file) and returns which config
 * path came from which variable, so validation errors can name the variable the operator set.
 */
export function applyEnvOverrides(settings: Record<string, unknown>, env: Env): Map<string, string> {
  const sources = new Map<string, string>();
  for (const { name, path, kind } of ENV_OVERRIDES) {
    const raw = readEnv(env, name);
    if (raw === undefined) continue;
    const value = kind === 'port' ? parsePort(name, raw) : kind === 'positiveInteger' ? parsePositiveInteger(name, raw) : raw;
    if (setPath(settings, path, value)) sources.set(path, name);
  }
  return sources;
}

/**
 * Strict: digits only, so "80a", " 80", "8e3" and "0x50" fail instead of becoming 80, NaN or 8000
 * as Number()/parseInt would make them.
 */
function parsePort(name: string, raw: string): number {
  if (!/^[0-9]{1,5}$/.test(raw) || Number(raw) > 65535) {
    throw new ConfigError(name, `must be an integer port number from 0 to 65535 (0 = any free port); got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

/** Strict like parsePort: digits only, at least 1, at most Number.MAX_SAFE_INTEGER. */
function parsePositiveInteger(name: string, raw: string): number {
  if (!/^[0-9]{1,16}$/.test(raw) || !Number.isSafeInteger(Number(raw)) || Number(raw) < 1) {
    throw new ConfigError(name, `must be a positive integer (digits only); got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

/** Sets a dotted path, creating missing objects; leaves a non-object in the way for validation to report. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): boolean {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (node[part] === undefined) node[part] = {};
    const next = node[part];
    if (!isPlainObject(next)) return false;
    node = next;
  }
  node[parts[parts.length - 1]] = value;
  return true;
}
