import { CHECKPOINT_KEY_OWNER, isSameCheckpoint, verifyCheckpoint, verifyCosignature, type CosignatureBody } from './checkpoint.jws';
import { BundleFailureCode, type BundleFailure } from './bundle.types';
import type { VerificationContext } from './bundle.context';
import { parseHashes } from './hex';
import { verifyConsistency } from './merkle.verify';

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Step (a): every checkpoint is signed by the gateway's ledger key, names the bundle's origin,
 * comes in ascending tree size, and every co-signature verifies with its cosigner's key and
 * co-signs exactly that checkpoint body.
 */
export async function checkCheckpoints(ctx: VerificationContext): Promise<BundleFailure | null> {
  const { bundle, keys } = ctx;
  for (let position = 0; position < bundle.checkpoints.length; position++) {
    const { jws, cosignatures } = bundle.checkpoints[position];
    const which = `Checkpoint ${position + 1} of ${bundle.checkpoints.length}`;
    let body;
    try {
      body = await verifyCheckpoint(jws, keys, CHECKPOINT_KEY_OWNER);
    } catch (error) {
      return {
        code: BundleFailureCode.CHECKPOINT_SIGNATURE_INVALID,
        checkpoint: position,
        reason: `${which} does not verify with the "${CHECKPOINT_KEY_OWNER}" keys of the bundle (${message(error)}); it was altered or not signed by the gateway.`,
      };
    }
    const named = `${which} (tree size ${body.treeSize})`;
    if (body.origin !== bundle.origin) {
      return { code: BundleFailureCode.CHECKPOINT_INVALID, checkpoint: position, reason: `${named} is of ledger "${body.origin}", not of the bundle's origin "${bundle.origin}".` };
    }
    const previous = ctx.checkpoints[position - 1];
    if (previous && body.treeSize < previous.body.treeSize) {
      return {
        code: BundleFailureCode.CHECKPOINT_INVALID,
        checkpoint: position,
        reason: `${named} is smaller than the checkpoint before it (${previous.body.treeSize}); checkpoints must come in ascending tree size.`,
      };
    }
    for (let c = 0; c < cosignatures.length; c++) {
      let cosigned: CosignatureBody;
      try {
        cosigned = await verifyCosignature(cosignatures[c], keys);
      } catch (error) {
        return { code: BundleFailureCode.COSIGNATURE_INVALID, checkpoint: position, reason: `Co-signature ${c + 1} of ${named} does not verify: ${message(error)}.` };
      }
      if (!isSameCheckpoint(cosigned.checkpoint, body)) {
        return {
          code: BundleFailureCode.COSIGNATURE_INVALID,
          checkpoint: position,
          reason: `Co-signature ${c + 1} of ${named}, by ${cosigned.cosigner}, co-signs another checkpoint (tree size ${cosigned.checkpoint.treeSize}, root ${cosigned.checkpoint.rootHash}); it was moved or the checkpoint was altered.`,
        };
      }
      ctx.stats.cosignatures++;
    }
    ctx.checkpoints.push({ body, root: Buffer.from(body.rootHash, 'hex') });
    ctx.stats.checkpoints++;
  }
  ctx.stats.treeSize = ctx.checkpoints[ctx.checkpoints.length - 1].body.treeSize;
  return null;
}

/** Step (b): each checkpoint extends the one before it (RFC 9162 §2.1.4), so history was never rewritten. */
export function checkConsistency(ctx: VerificationContext): BundleFailure | null {
  const { bundle, checkpoints } = ctx;
  for (let i = 0; i + 1 < checkpoints.length; i++) {
    const older = checkpoints[i].body;
    const newer = checkpoints[i + 1].body;
    const { from, to, proof } = bundle.consistency[i];
    const fail = (why: string): BundleFailure => ({
      code: BundleFailureCode.CONSISTENCY_PROOF_INVALID,
      checkpoint: i + 1,
      reason: `Checkpoint ${i + 2} (tree size ${newer.treeSize}) is not proven to extend checkpoint ${i + 1} (tree size ${older.treeSize}): ${why}`,
    });
    if (from !== older.treeSize || to !== newer.treeSize) {
      return fail(`consistency[${i}] is a proof from ${from} to ${to} instead.`);
    }
    const hashes = parseHashes(proof);
    if (typeof hashes === 'number') return fail(`consistency[${i}].proof[${hashes}] is not 64 lowercase hex digits.`);
    if (!verifyConsistency(from, to, checkpoints[i].root, checkpoints[i + 1].root, hashes)) {
      return fail('the proof does not verify. Either the proof was altered, or the gateway rewrote entries it had already signed.');
    }
    ctx.stats.consistencyProofs++;
  }
  return null;
}
