import { Injectable } from '@nestjs/common';
import { KeyRing, sha256Digest } from '@tongban/envelope';
import { entryLeafHash, LedgerEntryKind, RootAccumulator, verifyCheckpoint } from '@tongban/ledger';
import { HandoffStore } from '../ports/handoff-store.port';
import { LedgerStore } from '../ports/ledger-store.port';

const BATCH = 10_000;

export interface LedgerFailure {
  code: 'ENTRY_MISSING' | 'ENTRY_HASH_MISMATCH' | 'TREE_ROOT_MISMATCH' | 'CHECKPOINT_SIGNATURE_INVALID' | 'ENVELOPE_MISSING' | 'ENVELOPE_DIGEST_MISMATCH' | 'RECEIPT_DIGEST_MISMATCH';
  leafIndex?: number;
  entryId?: string;
  messageId?: string;
  reason: string;
}

export interface LedgerSelfCheck {
  ok: boolean;
  treeSize: number;
  entriesChecked: number;
  envelopesChecked: number;
  failure?: LedgerFailure;
}

/**
 * The gateway's own check that nothing was changed behind its back (GET /ops/ledger/verify): every
 * entry still hashes to its leaf, the leaves still make the latest signed checkpoint's root, and every
 * accepted message's envelope and receipt still hash to what the ledger recorded. Stops at the first
 * divergence, naming it.
 */
@Injectable()
export class VerifyLedgerUseCase {
  constructor(
    private readonly store: LedgerStore,
    private readonly handoffs: HandoffStore,
    private readonly keys: KeyRing,
  ) {}

  async execute(): Promise<LedgerSelfCheck> {
    const checkpoint = await this.store.latestCheckpoint();
    const result: LedgerSelfCheck = { ok: true, treeSize: checkpoint?.treeSize ?? 0, entriesChecked: 0, envelopesChecked: 0 };
    if (!checkpoint) return result;
    const fail = (failure: LedgerFailure): LedgerSelfCheck => ({ ...result, ok: false, failure });
    try {
      await verifyCheckpoint(checkpoint.jws, this.keys);
    } catch (error) {
      return fail({ code: 'CHECKPOINT_SIGNATURE_INVALID', reason: `Checkpoint ${checkpoint.treeSize} does not verify with the ledger key: ${(error as Error).message}` });
    }
    const root = new RootAccumulator();
    for (let from = 0; from < checkpoint.treeSize; from += BATCH) {
      const leaves = await this.store.leavesWithEntries(from, Math.min(BATCH, checkpoint.treeSize - from));
      for (const leaf of leaves) {
        if (leaf.leafIndex !== root.size) {
          return fail({ code: 'ENTRY_MISSING', leafIndex: root.size, reason: `Leaf ${root.size} is missing from ledger_leaves (deleted behind the application's back).` });
        }
        if (!leaf.entry) {
          if (!leaf.archived) {
            return fail({ code: 'ENTRY_MISSING', leafIndex: leaf.leafIndex, reason: `The entry of leaf ${leaf.leafIndex} is gone from ledger_entries and no archive covers it.` });
          }
          root.push(leaf.leafHash);
          continue;
        }
        let hash: Buffer | undefined;
        try {
          hash = entryLeafHash(leaf.entry.entry);
        } catch {
          hash = undefined; // no longer a valid entry: changed behind the application's back
        }
        if (!hash || !hash.equals(leaf.leafHash)) {
          return fail({ code: 'ENTRY_HASH_MISMATCH', leafIndex: leaf.leafIndex, entryId: leaf.entry.entry.id, reason: `Entry ${leaf.entry.entry.id} (leaf ${leaf.leafIndex}) no longer hashes to its leaf: its row was changed.` });
        }
        root.push(hash);
        result.entriesChecked += 1;
        const envelopeFailure = await this.checkEnvelope(leaf.leafIndex, leaf.entry.entry);
        if (envelopeFailure) return fail(envelopeFailure);
        if (leaf.entry.entry.kind === LedgerEntryKind.MESSAGE_ACCEPTED) result.envelopesChecked += 1;
      }
      if (leaves.length === 0) break;
    }
    if (root.size !== checkpoint.treeSize) {
      return fail({ code: 'ENTRY_MISSING', leafIndex: root.size, reason: `Checkpoint ${checkpoint.treeSize} covers ${checkpoint.treeSize} leaves but only ${root.size} are stored.` });
    }
    if (!root.root().equals(checkpoint.rootHash)) {
      return fail({ code: 'TREE_ROOT_MISMATCH', reason: `The stored leaves no longer make checkpoint ${checkpoint.treeSize}'s signed root: ledger_leaves was changed.` });
    }
    return result;
  }

  private async checkEnvelope(leafIndex: number, entry: { id: string; kind: string; messageId?: string; digest?: string; receiptDigest?: string }): Promise<LedgerFailure | undefined> {
    if (entry.kind !== LedgerEntryKind.MESSAGE_ACCEPTED || !entry.messageId) return undefined;
    const message = await this.handoffs.findMessage(entry.messageId);
    const at = { leafIndex, entryId: entry.id, messageId: entry.messageId };
    if (!message) return { code: 'ENVELOPE_MISSING', ...at, reason: `Message ${entry.messageId} recorded by entry ${entry.id} is gone from messages.` };
    if (sha256Digest(message.envelope) !== entry.digest) {
      return { code: 'ENVELOPE_DIGEST_MISMATCH', ...at, reason: `The stored envelope of message ${entry.messageId} no longer hashes to ${entry.digest} (entry ${entry.id}).` };
    }
    if (entry.receiptDigest && sha256Digest(message.receipt) !== entry.receiptDigest) {
      return { code: 'RECEIPT_DIGEST_MISMATCH', ...at, reason: `The stored receipt of message ${entry.messageId} no longer hashes to ${entry.receiptDigest} (entry ${entry.id}).` };
    }
    return undefined;
  }
}
