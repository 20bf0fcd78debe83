import { Injectable } from '@nestjs/common';
import { canonicalJson, KeyRing } from '@tongban/envelope';
import { verifyCheckpoint, verifyCosignature } from '@tongban/ledger';
import { CaseError, CaseErrorCode } from '../case-error';
import { Clock } from '../ports/clock.port';
import { HandoffStore } from '../ports/handoff-store.port';
import { LedgerStore, StoredCheckpoint, StoredLedgerEntry } from '../ports/ledger-store.port';
import { checkpointView, hex, leafText } from './ledger-views';
import { LedgerTree } from './ledger-tree';

/**
 * What districts (and auditors) ask the ledger: checkpoints, proofs that an entry is in one, proofs
 * that a later checkpoint extends an earlier one, and a message's own evidence.
 */
@Injectable()
export class LedgerProofsUseCase {
  constructor(
    private readonly store: LedgerStore,
    private readonly tree: LedgerTree,
    private readonly handoffs: HandoffStore,
    private readonly keys: KeyRing,
    private readonly clock: Clock,
  ) {}

  async checkpoint(treeSize?: number) {
    const found = treeSize === undefined ? await this.store.latestCheckpoint() : await this.store.findCheckpoint(treeSize);
    if (!found) {
      throw new CaseError(
        CaseErrorCode.CHECKPOINT_NOT_FOUND,
        treeSize === undefined ? 'The ledger has no checkpoint yet; the first comes within a second of the first entry.' : `No checkpoint of tree size ${treeSize}.`,
      );
    }
    return checkpointView(found);
  }

  /** Inclusion proof of one entry in a checkpoint (the latest by default). Districts see only their own entries. */
  async inclusion(entryId: string, viewer: { district?: string; scope?: readonly string[] }, treeSize?: number) {
    const stored = await this.store.findEntry(entryId);
    if (!stored || !(await this.visible(stored, viewer))) {
      throw new CaseError(CaseErrorCode.LEDGER_ENTRY_NOT_FOUND, `No ledger entry ${entryId} that you may see.`);
    }
    const checkpoint = await this.checkpointCovering(stored, treeSize);
    return this.proofFor(stored, checkpoint);
  }

  /** Proof that checkpoint `to` extends checkpoint `from` (RFC 9162 §2.1.4). */
  async consistency(from: number, to: number) {
    if (!(from > 0 && from <= to)) {
      throw new CaseError(CaseErrorCode.LEDGER_QUERY_INVALID, `Ask for 0 < from ≤ to; got from=${from}, to=${to}.`);
    }
    const [older, newer] = await Promise.all([this.store.findCheckpoint(from), this.store.findCheckpoint(to)]);
    if (!older || !newer) throw new CaseError(CaseErrorCode.CHECKPOINT_NOT_FOUND, `Both sizes must be checkpoints; ${!older ? from : to} is not.`);
    const tree = await this.tree.sync();
    return { from: checkpointView(older), to: checkpointView(newer), proof: hex(tree.consistencyProof(from, to)) };
  }

  /** A district's evidence for one of its messages: envelope, receipt, and each ledger entry with its proof. */
  async messageEvidence(district: string, messageId: string) {
    const message = await this.handoffs.findMessage(messageId);
    if (!message || (message.sender !== district && message.recipient !== district)) {
      throw new CaseError(CaseErrorCode.MESSAGE_NOT_FOUND, `No message ${messageId} sent by or to ${district}.`);
    }
    const entries = await this.store.findEntries({ messageId, limit: 100 });
    const latest = await this.store.latestCheckpoint();
    const tree = await this.tree.sync();
    return {
      messageId,
      envelope: message.envelope,
      receipt: message.receipt,
      checkpoint: latest ? checkpointView(latest) : null,
      entries: entries.map((e) => {
        const covered = latest !== null && e.leafIndex !== null && e.leafIndex < latest.treeSize;
        return {
          index: e.leafIndex,
          entry: e.entry,
          leaf: leafText(e.entry),
          // Not yet in a checkpoint: ask again after the next one (they come at least once a second).
          inclusionProof: covered ? hex(tree.inclusionProof(e.leafIndex!, latest.treeSize)) : null,
        };
      }),
    };
  }

  /** A district co-signs a checkpoint with its own signing key: it has seen that tree head. */
  async cosign(district: string, treeSize: number, jws: string) {
    const stored = await this.store.findCheckpoint(treeSize);
    if (!stored) throw new CaseError(CaseErrorCode.CHECKPOINT_NOT_FOUND, `No checkpoint of tree size ${treeSize}.`);
    let cosigned;
    try {
      cosigned = await verifyCosignature(jws, this.keys);
    } catch (error) {
      throw new CaseError(CaseErrorCode.COSIGNATURE_INVALID, `The co-signature does not verify: ${(error as Error).message}`);
    }
    if (cosigned.cosigner !== district) {
      throw new CaseError(CaseErrorCode.COSIGNATURE_INVALID, `The co-signature names ${cosigned.cosigner}, but the client certificate belongs to ${district}.`);
    }
    const checkpointBody = await verifyCheckpoint(stored.jws, this.keys);
    if (canonicalJson(cosigned.checkpoint) !== canonicalJson(checkpointBody)) {
      throw new CaseError(CaseErrorCode.COSIGNATURE_INVALID, `The co-signature signs another checkpoint body than tree size ${treeSize}'s; sign the body of its JWS exactly.`);
    }
    await this.store.addCosignature(treeSize, district, jws, this.clock.now());
    return this.checkpoint(treeSize);
  }

  async checkpointCovering(stored: StoredLedgerEntry, treeSize?: number): Promise<StoredCheckpoint> {
    const checkpoint = treeSize === undefined ? await this.store.latestCheckpoint() : await this.store.findCheckpoint(treeSize);
    if (treeSize !== undefined && !checkpoint) throw new CaseError(CaseErrorCode.CHECKPOINT_NOT_FOUND, `No checkpoint of tree size ${treeSize}.`);
    if (!checkpoint || stored.leafIndex === null || stored.leafIndex >= checkpoint.treeSize) {
      throw new CaseError(
        CaseErrorCode.NOT_YET_CHECKPOINTED,
        `Entry ${stored.entry.id} is not in ${treeSize === undefined ? 'a signed checkpoint yet' : `checkpoint ${treeSize}`}; checkpoints come at least once a second, ask again.`,
      );
    }
    return checkpoint;
  }

  async proofFor(stored: StoredLedgerEntry, checkpoint: StoredCheckpoint) {
    const tree = await this.tree.sync();
    return {
      index: stored.leafIndex!,
      entry: stored.entry,
      leaf: leafText(stored.entry),
      checkpoint: checkpointView(checkpoint),
      inclusionProof: hex(tree.inclusionProof(stored.leafIndex!, checkpoint.treeSize)),
    };
  }

  private async visible(stored: StoredLedgerEntry, viewer: { district?: string; scope?: readonly string[] }): Promise<boolean> {
    const filter = viewerFilter(viewer);
    if (!filter.district && !filter.scope) return true;
    return (await this.store.findEntries({ ...filter, rowId: stored.rowId, limit: 1 })).length === 1;
  }
}

function viewerFilter(viewer: { district?: string; scope?: readonly string[] }) {
  return { ...(viewer.district ? { district: viewer.district } : {}), ...(viewer.scope ? { scope: viewer.scope } : {}) };
}
