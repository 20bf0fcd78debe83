import type { Provider } from '@nestjs/common';
import {
  ArchiveFiles,
  ArchiveLedgerUseCase,
  AuditUseCase,
  EvidenceKeys,
  LedgerProofsUseCase,
  LedgerSigner,
  LedgerStore,
  LedgerTree,
  RecordConfigurationUseCase,
  SequenceLedgerUseCase,
  VerifyLedgerUseCase,
} from '@tongban/cases';
import { canonicalJson, sha256Digest } from '@tongban/envelope';
import { CHECKPOINT_KEY_OWNER, signCheckpoint } from '@tongban/ledger';
import { TypeOrmLedgerStore } from '@tongban/persistence';
import type { JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DirectoryArchiveFiles } from './directory-archive.files';
import type { Runtime } from './runtime';

export const LEDGER_USE_CASES = [LedgerTree, SequenceLedgerUseCase, LedgerProofsUseCase, AuditUseCase, VerifyLedgerUseCase, RecordConfigurationUseCase, ArchiveLedgerUseCase];

/** The ledger's ports: its store, the checkpoint signer, and the keys/certificates bundles carry. */
export function ledgerProviders(runtime: Runtime): Provider[] {
  const { config } = runtime;
  const readJwks = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as { keys: JsonWebKey[] };
  // Read once at boot: what is in force now is what a bundle made now must carry.
  const publicKeys = [
    { owner: 'gateway', jwks: readJwks(config.pki.gatewaySigningJwks) },
    { owner: CHECKPOINT_KEY_OWNER, jwks: readJwks(config.pki.ledgerSigningJwks) },
    ...config.alliance.districts.map((d) => ({ owner: d.id, jwks: readJwks(d.jwksPath) })),
  ];
  const certificates = [
    { owner: 'alliance-ca', pem: runtime.tls.ca.toString('utf8') },
    { owner: 'gateway', pem: runtime.tls.cert.toString('utf8') },
  ];
  // What "the configuration in force" means for the ledger: who is in the alliance under which
  // agreements and code tables, which keys and certificates, and the gateway settings that change
  // what is accepted. Paths and credentials are left out (they differ per machine, or are secret).
  const { alliance } = config;
  const configurationDigest = sha256Digest(
    canonicalJson({
      gatewayId: config.gatewayId,
      messages: config.messages,
      auditors: config.auditors,
      districts: alliance.districts.map(({ jwksPath: _path, ...d }) => d),
      agreements: alliance.agreements,
      keys: publicKeys,
      certificates,
    }),
  );
  return [
    { provide: LedgerStore, useValue: new TypeOrmLedgerStore(runtime.database.dataSource) },
    { provide: ArchiveFiles, useValue: new DirectoryArchiveFiles(config.ledger.archiveDir) },
    {
      provide: LedgerSigner,
      useValue: { origin: config.gatewayId, signCheckpoint: (body) => signCheckpoint(body, runtime.ledgerSigningKey) } satisfies LedgerSigner,
    },
    {
      provide: EvidenceKeys,
      useValue: { publicKeys: () => publicKeys, certificates: () => certificates, configurationDigest: () => configurationDigest } satisfies EvidenceKeys,
    },
  ];
}
