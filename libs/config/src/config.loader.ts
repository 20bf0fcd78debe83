import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAlliance, deepFreeze } from './alliance.parser';
import type { Alliance, AppConfig, PkiPaths } from './app-config.types';
import { resolveConfigPath, PKI_PREFIX } from './config-path.resolver';
import { ConfigError } from './config.error';
import { applyEnvOverrides, readEnv, type Env } from './env.overrides';
import { GatewaySettingsSchema, ID_PATTERN, type PkiSchema } from './gateway-config.schema';
import { configError, isPlainObject, validateSchema } from './schema.validator';

export interface LoadConfigOptions {
  /** Environment to read overrides from; defaults to process.env. */
  readonly env?: Env;
  /** Root for relative paths (the repository, or the install directory); defaults to process.cwd(). */
  readonly rootDir?: string;
  /** Config file; defaults to env TONGBAN_CONFIG, then <rootDir>/config/gateway.json. */
  readonly file?: string;
}

export const DEFAULT_CONFIG_FILE = 'config/gateway.json';

/** Defaults of the optional `materials` section. */
export const MATERIALS_DEFAULTS = { maxBytes: 100 * 1024 * 1024, store: 'directory', dirUnderDataDir: 'materials' } as const;

// Settings that may carry credentials: never echoed in errors, never accepted from a file.
const SECRET_PATHS = new Set(['databaseUrl', 'amqpUrl']);
const SECRET_ENV: Record<string, string> = { databaseUrl: 'DATABASE_URL', amqpUrl: 'AMQP_URL' };

/**
 * Reads, merges (file, then environment), validates and resolves the whole configuration once at
 * boot. Throws ConfigError naming the first failing key. The result is deeply frozen.
 */
export function loadConfig(options: LoadConfigOptions = {}): AppConfig {
  // The one place in Tongban that touches process.env: everything downstream gets AppConfig.
  const env = options.env ?? process.env;
  const rootDir = resolve(options.rootDir ?? process.cwd());

  const envFile = readEnv(env, 'TONGBAN_CONFIG');
  const fileKey = options.file !== undefined ? 'file' : 'TONGBAN_CONFIG';
  const file = resolve(rootDir, options.file ?? envFile ?? DEFAULT_CONFIG_FILE);
  const settings = readJson(file, fileKey);
  if (!isPlainObject(settings)) throw new ConfigError(fileKey, `${file} must hold a JSON object`);

  for (const path of SECRET_PATHS) {
    if (path in settings) {
      throw new ConfigError(path, `set ${SECRET_ENV[path]} in the environment instead; connection URLs carry credentials and do not belong in ${file}`);
    }
  }

  const sources = applyEnvOverrides(settings, env);
  const s = validateSchema(GatewaySettingsSchema, settings, { at: '', sources, secret: SECRET_PATHS });

  if (s.pki.dir.startsWith(PKI_PREFIX)) {
    throw configError('pki.dir', `cannot itself use the ${PKI_PREFIX} prefix`, s.pki.dir, { sources });
  }
  const pkiDir = resolve(rootDir, s.pki.dir);
  const allianceKey = sources.get('alliance') ?? 'alliance';
  const allianceFile = resolveConfigPath(s.alliance, rootDir, pkiDir);
  const alliancePlain = readJson(allianceFile, allianceKey);

  let alliance;
  try {
    alliance = parseAlliance(alliancePlain, { rootDir, pkiDir, at: 'alliance' });
  } catch (error) {
    // Same key, plus the file: with ALLIANCE_FILE the operator may not know which file was read.
    if (error instanceof ConfigError) throw new ConfigError(error.key, `${error.problem} (in ${allianceFile})`);
    throw error;
  }

  const config: AppConfig = {
    partnerApi: { host: s.partnerApi.host, port: s.partnerApi.port },
    opsApi: { host: s.opsApi.host, port: s.opsApi.port },
    ...(s.consoleApi ? { consoleApi: { host: s.consoleApi.host, port: s.consoleApi.port } } : {}),
    ...(s.databaseUrl !== undefined ? { databaseUrl: s.databaseUrl } : {}),
    ...(s.amqpUrl !== undefined ? { amqpUrl: s.amqpUrl } : {}),
    ...(s.amqpPrefix !== undefined ? { amqpPrefix: s.amqpPrefix } : {}),
    dataDir: resolve(rootDir, s.dataDir),
    pki: pkiPaths(s.pki, rootDir, pkiDir),
    messages: { ...s.messages },
    delivery: { ...s.delivery, backoffSeconds: [...s.delivery.backoffSeconds] },
    outbox: { ...s.outbox },
    materials: {
      maxBytes: s.materials?.maxBytes ?? MATERIALS_DEFAULTS.maxBytes,
      store: s.materials?.store ?? MATERIALS_DEFAULTS.store,
      dir: s.materials?.dir ? resolve(rootDir, s.materials.dir) : join(resolve(rootDir, s.dataDir), MATERIALS_DEFAULTS.dirUnderDataDir),
    },
    auditors: auditorsOf(s.auditors ?? {}, alliance),
    ledger: {
      onlineMonths: s.ledger?.onlineMonths ?? 6,
      archiveDir: s.ledger?.archiveDir ? resolve(rootDir, s.ledger.archiveDir) : join(resolve(rootDir, s.dataDir), 'ledger-archive'),
    },
    deadlines: { warningShare: s.deadlines?.warningShare ?? 0.8, checkIntervalMs: s.deadlines?.checkIntervalMs ?? 30_000 },
    gatewayId: s.gatewayId,
    logLevel: s.logLevel,
    alliance,
  };
  return deepFreeze(config);
}

/** Auditors and their scope: undefined = every district. Names follow the certificate subject rules. */
function auditorsOf(raw: Record<string, unknown>, alliance: Alliance): Record<string, { readonly districts?: readonly string[] }> {
  const auditors: Record<string, { districts?: string[] }> = {};
  for (const [name, districts] of Object.entries(raw)) {
    const key = `auditors.${name}`;
    if (!ID_PATTERN.test(name)) throw new ConfigError(key, `auditor names must match ${ID_PATTERN}`);
    if (!Array.isArray(districts) || districts.length === 0 || !districts.every((d) => typeof d === 'string')) {
      throw new ConfigError(key, 'must be a non-empty array of district ids, or ["*"] for all');
    }
    if (districts.length === 1 && districts[0] === '*') {
      auditors[name] = {};
      continue;
    }
    const unknown = districts.filter((d) => !alliance.district(d));
    if (unknown.length > 0) throw new ConfigError(key, `names no district of the alliance: ${unknown.join(', ')}`);
    auditors[name] = { districts: [...districts] };
  }
  return auditors;
}

/** The standard layout (same as @tongban/pki's pkiLayout), each file overridable. */
function pkiPaths(p: PkiSchema, rootDir: string, pkiDir: string): PkiPaths {
  const pick = (override: string | null | undefined, ...standard: string[]) =>
    override ? resolveConfigPath(override, rootDir, pkiDir) : join(pkiDir, ...standard);
  return {
    dir: pkiDir,
    caCert: pick(p.caCert, 'ca', 'ca.crt.pem'),
    serverCert: pick(p.serverCert, 'gateway', 'server.crt.pem'),
    serverKey: pick(p.serverKey, 'gateway', 'server.key.pem'),
    // Explicit null switches CRL checking off; absent means the standard file.
    ...(p.crl === null ? {} : { crl: pick(p.crl, 'ca', 'ca.crl.pem') }),
    gatewaySigningPrivateJwk: pick(p.gatewaySigningPrivateJwk, 'gateway', 'signing.private.jwk.json'),
    gatewaySigningJwks: pick(p.gatewaySigningJwks, 'gateway', 'signing.jwks.json'),
    ledgerSigningPrivateJwk: pick(p.ledgerSigningPrivateJwk, 'gateway', 'ledger.private.jwk.json'),
    ledgerSigningJwks: pick(p.ledgerSigningJwks, 'gateway', 'ledger.jwks.json'),
  };
}

function readJson(file: string, key: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(key, `cannot read ${file} (${code === 'ENOENT' ? 'no such file' : code ?? String(error)}); expected a JSON file`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigError(key, `${file} is not valid JSON: ${(error as Error).message}`);
  }
}
