import { bootstrapGateway } from '@tongban/app-gateway';
import { bootstrapWorker } from '@tongban/app-worker';
import { loadConfig } from '@tongban/config';
import { pkiLayout } from '@tongban/pki';
import { createRuntime } from '@tongban/runtime';
import { ProvisionDemoStaffUseCase, type ProvisionedAccount } from '@tongban/cases';
import { Command } from 'commander';
import QRCode from 'qrcode';
import { relative } from 'node:path';
import { ensureDevelopmentPki } from './dev-pki';

/**
 * `tongban start`: gateway and worker in one process. With no DATABASE_URL/AMQP_URL this is the
 * embedded default (PGlite + in-process transport behind the same outbox) for a newcomer's laptop.
 */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('Run gateway and worker in one process (embedded PostgreSQL and in-process transport unless DATABASE_URL/AMQP_URL are set)')
    .option('--no-dev-pki', 'do not issue a development PKI when none exists')
    .action(async (opts: { devPki: boolean }) => {
      const config = loadConfig();
      if (opts.devPki) await ensureDevelopmentPki(config, (line) => console.error(line));
      const runtime = await createRuntime(config, { rootDir: process.cwd() });
      const gateway = await bootstrapGateway(runtime);
      const worker = await bootstrapWorker(runtime);
      printWelcome(gateway.partnerUrl, gateway.opsUrl, config.pki.dir, runtime.database.kind, runtime.bus.kind, config.dataDir, gateway.consoleUrl ?? null);
      // First run on embedded defaults: demo desk accounts, shown once (only the hashes are kept).
      if (runtime.database.kind === 'embedded' && gateway.consoleUrl) {
        await printDemoAccounts(await gateway.partnerApp.get(ProvisionDemoStaffUseCase).execute(), gateway.consoleUrl);
      }
      let closing = false;
      const shutdown = async () => {
        if (closing) return;
        closing = true;
        await worker.close();
        await gateway.close();
        await runtime.close();
        process.exit(0);
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });
}

async function printDemoAccounts(accounts: ProvisionedAccount[], consoleUrl: string): Promise<void> {
  if (accounts.length === 0) return;
  const [first, ...others] = accounts;
  const lines = [
    `  Desk console: ${consoleUrl}/console/ — one demo account per district was created (shown this once;`,
    '  sign-in needs the password and the 6-digit code of an authenticator app that scanned the QR code / otpauth URI):',
    ...accounts.map((a) => `    ${a.username.padEnd(20)} password ${a.password}  ${a.otpauthUri}`),
    '',
    `  QR code of ${first.username}'s one-time-code secret:`,
    await QRCode.toString(first.otpauthUri, { type: 'terminal', small: true }),
    others.length > 0 ? '  (the others: paste their otpauth URI into the authenticator app)' : '',
    '',
  ];
  console.error(lines.join('\n'));
}

function printWelcome(partnerUrl: string, opsUrl: string, pkiDir: string, db: string, bus: string, dataDir: string, consoleUrl: string | null): void {
  const pki = relative(process.cwd(), pkiDir) || '.';
  const a = pkiLayout(pkiDir).district('HZ-ZHONGKAI');
  const lines = [
    '',
    '  Tongban 通办 gateway is running',
    `    partner API (mutual TLS): ${partnerUrl}`,
    `    API docs:                 ${opsUrl}/docs`,
    `    health / metrics:         ${opsUrl}/health/ready  ${opsUrl}/metrics`,
    ...(consoleUrl ? [`    desk console (browser):   ${consoleUrl}/console/   (supervisors' dashboard: ${consoleUrl}/console/dashboard.html)`] : []),
    `    storage / transport:      ${db === 'embedded' ? `embedded PostgreSQL (PGlite) in ${shortPath(dataDir)}` : 'PostgreSQL'} / ${bus === 'in-process' ? 'in-process transport' : 'RabbitMQ'}`,
    '',
    '  Try a hand-off (Huizhou Zhongkai collects 无犯罪证明 for Shenzhen Luohu), in another shell:',
    '    npm run tongban -- send --from HZ-ZHONGKAI --to 440303',
    '    npm run tongban -- inbox --as 440303 --ack',
    '  Or watch a whole case, from the window to the decision and back (收件 → 受理 → 办结 → 出件 → 好差评):',
    '    npm run tongban -- demo',
    '',
    '  Or sign it yourself and use curl with the district certificates:',
    `    npm run --silent tongban -- sign --from HZ-ZHONGKAI --to 440303 > /tmp/envelope.jws`,
    `    curl --cacert ${pki}/ca/ca.crt.pem --cert ${relative(process.cwd(), a.clientCert)} --key ${relative(process.cwd(), a.clientKey)} \\`,
    `         -H 'content-type: application/jose' --data-binary @/tmp/envelope.jws ${partnerUrl}/v1/messages`,
    '',
  ];
  console.error(lines.join('\n'));
}

/** The path as the reader typed it: relative under the working directory, absolute elsewhere. */
function shortPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : `./${rel}`;
}
