import { Command, Option } from 'commander';
import { readFile } from 'node:fs/promises';
import {
  inspectPki,
  issueDevelopmentPki,
  PkiError,
  PkiErrorCode,
  revokeCertificate,
  SIGNING_ALGS,
  type IssuedCertificateSummary,
  type PkiSubject,
  type SigningAlg,
} from '@tongban/pki';

const DEFAULT_DIR = './var/pki';
const DEFAULT_OPERATORS = ['admin'];
const DEFAULT_HOSTS = ['localhost', '127.0.0.1', '::1'];

/** Exit codes: 0 success, 1 the operation failed, 2 the invocation or its input was wrong. */
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

export interface PkiCommandDeps {
  loadDistricts: () => Promise<PkiSubject[]>;
}

export function registerPkiCommand(program: Command, deps: PkiCommandDeps): void {
  const pki = program
    .command('pki')
    .description('Development PKI: mutual-TLS certificates, CRL and JWS signing keys for the gateway, districts and operators');
  // Commander exits 1 on usage errors; ours is 2. Set before adding subcommands so they inherit it.
  pki.exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE));

  pki
    .command('issue')
    .description('Issue the root CA, CRL, gateway server certificate, a client certificate and signing key per district, and operator client certificates. Existing files are kept unless --force.')
    .option('--dir <path>', 'PKI directory', DEFAULT_DIR)
    .addOption(new Option('--alg <alg>', 'JWS signing algorithm for new signing keys').choices(SIGNING_ALGS).default('ES256'))
    .option('--force', 'reissue everything, including the root CA (every partner must re-import it)', false)
    .option('--operator <name...>', 'operator (administrator) client certificates to issue', DEFAULT_OPERATORS)
    .option('--host <name...>', 'DNS names / IP addresses for the gateway server certificate', DEFAULT_HOSTS)
    .action(async (opts: { dir: string; alg: SigningAlg; force: boolean; operator: string[]; host: string[] }) => {
      await run(async () => {
        const districts = await deps.loadDistricts();
        const { layout, created } = await issueDevelopmentPki({
          dir: opts.dir,
          districts,
          operators: opts.operator,
          gatewayHosts: opts.host,
          signingAlg: opts.alg,
          overwrite: opts.force,
        });
        for (const file of created) console.log(file);
        console.log(
          created.length === 0
            ? `Nothing to issue: ${layout.dir} already holds the PKI for ${districts.length} district(s) (use --force to reissue).`
            : `Issued ${created.length} file(s) in ${layout.dir} for ${districts.length} district(s) and ${opts.operator.length} operator(s).`,
        );
      });
    });

  pki
    .command('revoke')
    .description("Revoke a certificate issued by this PKI's CA: adds its serial to ca/ca.crl.pem")
    .argument('<cert.pem>', 'the certificate to revoke (PEM file)')
    .option('--dir <path>', 'PKI directory', DEFAULT_DIR)
    .action(async (certFile: string, opts: { dir: string }) => {
      await run(async () => {
        let certPem: string;
        try {
          certPem = await readFile(certFile, 'utf8');
        } catch (err) {
          throw new PkiError(PkiErrorCode.PKI_FILE_MISSING, `cannot read ${certFile}: ${(err as Error).message}`);
        }
        await revokeCertificate({ dir: opts.dir, certPem });
        console.log(`Revoked ${certFile}; reload the gateway's CRL for it to take effect.`);
      });
    });

  pki
    .command('show')
    .description('List every issued certificate: role, subject, SAN, serial, validity, revocation, signing key id')
    .option('--dir <path>', 'PKI directory', DEFAULT_DIR)
    .option('--json', 'print JSON instead of text', false)
    .action(async (opts: { dir: string; json: boolean }) => {
      await run(async () => {
        const inventory = await inspectPki(opts.dir);
        if (opts.json) {
          console.log(JSON.stringify(inventory, null, 2));
          return;
        }
        const crl = inventory.crl ? `CRL #${inventory.crl.crlNumber}, ${inventory.crl.revokedSerials.length} revoked` : 'no CRL';
        console.log(`PKI ${inventory.dir} (${crl})`);
        for (const cert of inventory.certificates) console.log(formatCertificate(cert));
      });
    });
}

function formatCertificate(cert: IssuedCertificateSummary): string {
  const lines = [
    `${cert.role} ${cert.name}${cert.revoked ? '  [REVOKED]' : ''}`,
    `  subject:  ${cert.subject}`,
    `  san:      ${cert.subjectAltName ?? '-'}`,
    `  serial:   ${cert.serial}`,
    `  notAfter: ${cert.notAfter.toISOString()}`,
  ];
  if (cert.signingKey) lines.push(`  signing:  ${cert.signingKey.alg} kid=${cert.signingKey.kid}`);
  return lines.join('\n');
}

/** Report failures on stderr and set the exit code; let the process end normally so output flushes. */
async function run(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (err instanceof PkiError) {
      console.error(`error: ${err.message} [${err.code}]`);
      process.exitCode = exitCodeFor(err.code);
    } else {
      console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = EXIT_FAILURE;
    }
  }
}

function exitCodeFor(code: PkiErrorCode): number {
  switch (code) {
    case PkiErrorCode.INVALID_SUBJECT:
    case PkiErrorCode.INVALID_OPTIONS:
    case PkiErrorCode.UNSUPPORTED_ALGORITHM:
      return EXIT_USAGE;
    case PkiErrorCode.CERT_INVALID:
    case PkiErrorCode.CERT_NOT_TRUSTED:
    case PkiErrorCode.CERT_NOT_YET_VALID:
    case PkiErrorCode.CERT_EXPIRED:
    case PkiErrorCode.CERT_WRONG_PURPOSE:
    case PkiErrorCode.CERT_REVOKED:
    case PkiErrorCode.CERT_NO_IDENTITY:
    case PkiErrorCode.CRL_INVALID:
    case PkiErrorCode.PKI_FILE_MISSING:
    case PkiErrorCode.PKI_FILE_INVALID:
      return EXIT_FAILURE;
    default: {
      const unhandled: never = code;
      return unhandled;
    }
  }
}
