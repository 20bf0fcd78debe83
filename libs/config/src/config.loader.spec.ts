import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from './config.error';
import { loadConfig, type LoadConfigOptions } from './config.loader';

// The repository root, where config/gateway.json and config/alliance/demo.json live.
const ROOT = resolve(__dirname, '../../..');
const gatewayJson = JSON.parse(readFileSync(join(ROOT, 'config/gateway.json'), 'utf8')) as Record<string, unknown>;

function load(env: Record<string, string | undefined> = {}, extra: Omit<LoadConfigOptions, 'env'> = {}) {
  return loadConfig({ rootDir: ROOT, env, ...extra });
}

function failure(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but the configuration loaded');
}

let scratch: string;
beforeAll(() => (scratch = mkdtempSync(join(tmpdir(), 'tongban-config-'))));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes a gateway file that differs from the repository's in `patch`, returning its path. */
function gatewayFile(patch: Record<string, unknown>): string {
  const file = join(scratch, `gateway-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ ...gatewayJson, alliance: join(ROOT, 'config/alliance/demo.json'), ...patch }));
  return file;
}

describe('loadConfig', () => {
  it('loads the repository defaults and the demo alliance with no environment', () => {
    const config = load();
    expect(config.partnerApi).toEqual({ host: '127.0.0.1', port: 8443 });
    expect(config.opsApi).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.amqpUrl).toBeUndefined();
    expect(config.amqpPrefix).toBeUndefined();
    expect(config.dataDir).toBe(join(ROOT, 'var'));
    expect(config.pki).toEqual({
      dir: join(ROOT, 'var/pki'),
      caCert: join(ROOT, 'var/pki/ca/ca.crt.pem'),
      crl: join(ROOT, 'var/pki/ca/ca.crl.pem'),
      serverCert: join(ROOT, 'var/pki/gateway/server.crt.pem'),
      serverKey: join(ROOT, 'var/pki/gateway/server.key.pem'),
      gatewaySigningPrivateJwk: join(ROOT, 'var/pki/gateway/signing.private.jwk.json'),
      gatewaySigningJwks: join(ROOT, 'var/pki/gateway/signing.jwks.json'),
      ledgerSigningPrivateJwk: join(ROOT, 'var/pki/gateway/ledger.private.jwk.json'),
      ledgerSigningJwks: join(ROOT, 'var/pki/gateway/ledger.jwks.json'),
    });
    expect(config.ledger).toEqual({ onlineMonths: 6, archiveDir: join(ROOT, 'var/ledger-archive') });
    expect(config.auditors).toEqual({ auditor: {}, 'auditor-qingdao': { districts: ['370202', '370203', '370211'] } });
    expect(config.delivery.backoffSeconds).toEqual([1, 5, 30, 120, 600]);
    expect(config.logLevel).toBe('info');
    expect(config.alliance.district('HZ-ZHONGKAI')?.jwksPath).toBe(join(ROOT, 'var/pki/districts/HZ-ZHONGKAI/signing.jwks.json'));
    expect(config.alliance.findAgreement('440304', 'HZ-ZHONGKAI', '000107031000')?.item.name).toBe('在职人才引进');
    expect(Object.isFrozen(config.delivery.backoffSeconds)).toBe(true);
  });

  it('lets the environment override the file', () => {
    const config = load({
      DATABASE_URL: 'postgres://tongban:secret@db.internal:5432/tongban',
      AMQP_URL: 'amqps://mq.internal',
      AMQP_PREFIX: 'tongban.blue-2',
      PARTNER_API_HOST: '0.0.0.0',
      PARTNER_API_PORT: '0',
      OPS_API_PORT: '9090',
      PKI_DIR: '/etc/tongban/pki',
      TONGBAN_PKI_SERVER_KEY: '/run/secrets/server.key.pem',
      TONGBAN_PKI_CA_CERT: 'pki:roots/alliance-ca.pem',
      DATA_DIR: '/var/lib/tongban',
      LOG_LEVEL: 'debug',
      GATEWAY_ID: 'gw-2',
      OPS_API_HOST: '', // empty means unset
    });
    expect(config.databaseUrl).toBe('postgres://tongban:secret@db.internal:5432/tongban');
    expect(config.amqpUrl).toBe('amqps://mq.internal');
    expect(config.amqpPrefix).toBe('tongban.blue-2');
    expect(config.partnerApi).toEqual({ host: '0.0.0.0', port: 0 });
    expect(config.opsApi).toEqual({ host: '127.0.0.1', port: 9090 });
    expect(config.pki.dir).toBe('/etc/tongban/pki');
    expect(config.pki.serverKey).toBe('/run/secrets/server.key.pem');
    expect(config.pki.caCert).toBe('/etc/tongban/pki/roots/alliance-ca.pem');
    expect(config.pki.serverCert).toBe('/etc/tongban/pki/gateway/server.crt.pem');
    // District keys follow the PKI directory because the demo uses pki: paths.
    expect(config.alliance.district('440303')?.jwksPath).toBe('/etc/tongban/pki/districts/440303/signing.jwks.json');
    expect(config.dataDir).toBe('/var/lib/tongban');
    expect(config.logLevel).toBe('debug');
    expect(config.gatewayId).toBe('gw-2');
  });

  it('reads the file named by TONGBAN_CONFIG, and an explicit file option over it', () => {
    const viaEnv = gatewayFile({ gatewayId: 'from-env-file' });
    const viaOption = gatewayFile({ gatewayId: 'from-option' });
    expect(load({ TONGBAN_CONFIG: viaEnv }).gatewayId).toBe('from-env-file');
    expect(load({ TONGBAN_CONFIG: viaEnv }, { file: viaOption }).gatewayId).toBe('from-option');
  });

  it('switches CRL checking off only on an explicit null', () => {
    expect(load({}, { file: gatewayFile({ pki: { dir: 'var/pki', crl: null } }) }).pki.crl).toBeUndefined();
  });

  describe('names the exact failing key', () => {
    it.each<[string, Record<string, string>, string, RegExp]>([
      ['non-numeric port', { PARTNER_API_PORT: '80a' }, 'PARTNER_API_PORT', /0 to 65535.*got "80a"/],
      ['port with a space', { OPS_API_PORT: ' 80' }, 'OPS_API_PORT', /got " 80"/],
      ['port in exponent notation', { OPS_API_PORT: '8e3' }, 'OPS_API_PORT', /0 to 65535/],
      ['port out of range', { PARTNER_API_PORT: '65536' }, 'PARTNER_API_PORT', /0 to 65535/],
      ['AMQP URL with the wrong scheme', { AMQP_URL: 'http://mq.internal:5672' }, 'AMQP_URL', /amqp:\/\/ or amqps:\/\//],
      ['AMQP prefix with a space', { AMQP_PREFIX: 'tong ban' }, 'AMQP_PREFIX', /must match .*got "tong ban"/],
      ['database URL with the wrong scheme', { DATABASE_URL: 'mysql://u:p@db/x' }, 'DATABASE_URL', /postgres:\/\/ or postgresql:\/\//],
      ['unknown log level', { LOG_LEVEL: 'verbose' }, 'LOG_LEVEL', /trace, debug, info, warn, error, fatal/],
      ['bad host', { PARTNER_API_HOST: 'not a host!' }, 'PARTNER_API_HOST', /host name or an IP address/],
      ['gateway id with a slash', { GATEWAY_ID: 'gw/1' }, 'GATEWAY_ID', /must match/],
      ['missing alliance file', { ALLIANCE_FILE: 'config/alliance/nowhere.json' }, 'ALLIANCE_FILE', /no such file/],
      ['missing config file', { TONGBAN_CONFIG: 'config/nowhere.json' }, 'TONGBAN_CONFIG', /no such file/],
    ])('%s', (_what, env, key, message) => {
      const error = failure(() => load(env));
      expect(error.key).toBe(key);
      expect(error.message).toMatch(message);
    });

    it('never echoes a connection URL, which may hold a password', () => {
      const error = failure(() => load({ DATABASE_URL: 'mysql://tongban:hunter2@db/x' }));
      expect(error.message).not.toContain('hunter2');
    });

    it.each<[string, Record<string, unknown>, string, RegExp]>([
      ['port out of range in the file', { partnerApi: { host: '127.0.0.1', port: 70000 } }, 'partnerApi.port', /0 to 65535.*got 70000/],
      ['port as a string in the file', { opsApi: { host: '127.0.0.1', port: '8080' } }, 'opsApi.port', /integer/],
      ['misspelt key', { outbox: { batchSize: 500, pollIntervallMs: 200 } }, 'outbox.pollIntervallMs', /not a known setting/],
      ['missing section', { messages: undefined }, 'messages', /missing/],
      ['negative backoff', { delivery: { ...(gatewayJson.delivery as object), backoffSeconds: [1, -5] } }, 'delivery.backoffSeconds', /0 or more/],
      ['prefetch above 16 bits', { delivery: { ...(gatewayJson.delivery as object), prefetch: 70000 } }, 'delivery.prefetch', /65535/],
      ['credentials in the file', { databaseUrl: 'postgres://u:p@db/x' }, 'databaseUrl', /DATABASE_URL in the environment/],
      ['auditor of an unknown district', { auditors: { audit1: ['440303', '999999'] } }, 'auditors.audit1', /no district of the alliance: 999999/],
      ['auditor without a scope', { auditors: { audit1: [] } }, 'auditors.audit1', /non-empty array/],
      ['online period below the legal minimum', { ledger: { onlineMonths: 3 } }, 'ledger.onlineMonths', /at least 6/],
    ])('%s', (_what, patch, key, message) => {
      const error = failure(() => load({}, { file: gatewayFile(patch) }));
      expect(error.key).toBe(key);
      expect(error.message).toMatch(message);
    });

    it('reports an alliance error with its key path and the file it was read from', () => {
      const demo = JSON.parse(readFileSync(join(ROOT, 'config/alliance/demo.json'), 'utf8'));
      demo.agreements[2].approvingDistrict = 'XX';
      const file = join(scratch, 'broken-alliance.json');
      writeFileSync(file, JSON.stringify(demo));
      const error = failure(() => load({ ALLIANCE_FILE: file }));
      expect(error.key).toBe('alliance.agreements[2].approvingDistrict');
      expect(error.message).toContain(file);
    });

    it('reports invalid JSON', () => {
      const file = join(scratch, 'broken.json');
      writeFileSync(file, '{ "partnerApi": ');
      const error = failure(() => load({}, { file }));
      expect(error.key).toBe('file');
      expect(error.message).toMatch(/not valid JSON/);
    });
  });
});
