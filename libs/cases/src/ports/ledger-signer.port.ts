import type { CheckpointBody } from '@tongban/ledger';
import type { JsonWebKey } from 'node:crypto';

/** Signs checkpoints with the gateway's ledger key (kept apart from the receipt key). */
export abstract class LedgerSigner {
  abstract readonly origin: string;
  abstract signCheckpoint(body: CheckpointBody): Promise<string>;
}

/** What an evidence bundle carries so it verifies offline: public keys and certificates in force. */
export abstract class EvidenceKeys {
  abstract publicKeys(): Array<{ owner: string; jwks: { keys: JsonWebKey[] } }>;
  abstract certificates(): Array<{ owner: string; pem: string }>;
  /** sha256 digest of the configuration in force: alliance, gateway settings that matter, keys, certificates. */
  abstract configurationDigest(): string;
}

/** Where archive files go. Written whole and flushed to disk before the database lets go of the entries. */
export abstract class ArchiveFiles {
  /** Writes `lines` (each one JSON text) to a new file `name`; returns its sha256 digest. Refuses to overwrite. */
  abstract write(name: string, lines: Iterable<string>): Promise<{ digest: string; path: string }>;
}
