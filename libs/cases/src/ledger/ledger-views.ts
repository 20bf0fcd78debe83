import { entryLeafData, type LedgerEntry } from '@tongban/ledger';
import type { StoredCheckpoint } from '../ports/ledger-store.port';

/** A checkpoint as the API and the evidence bundle show it. */
export function checkpointView(c: StoredCheckpoint) {
  return {
    treeSize: c.treeSize,
    rootHash: c.rootHash.toString('hex'),
    signedAt: c.signedAt.toISOString(),
    jws: c.jws,
    cosignatures: c.cosignatures.map((s) => ({ district: s.district, jws: s.jws, receivedAt: s.receivedAt.toISOString() })),
  };
}

/** The exact bytes that were hashed into the tree, as text (canonical JSON). */
export function leafText(entry: LedgerEntry): string {
  return entryLeafData(entry).toString('utf8');
}

export const hex = (hashes: readonly Buffer[]): string[] => hashes.map((h) => h.toString('hex'));
