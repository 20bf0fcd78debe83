import { KeyRing } from '@tongban/envelope';
import { checkCheckpoints, checkConsistency } from './bundle-checkpoints.check';
import { EntriesCheck } from './bundle-entries.check';
import { checkEnvelopes } from './bundle-envelopes.check';
import { Progress, type VerificationContext } from './bundle.context';
import { assertBundleFormat, BundleFormatError } from './bundle.format';
import type { BundleFailure, BundleVerdict, EvidenceBundle, VerifyBundleOptions } from './bundle.types';

/** The bundle's own keys. A key set KeyRing refuses (private material, wrong curve…) makes the bundle unusable. */
function keyRingOf(bundle: EvidenceBundle): KeyRing {
  const keys = new KeyRing();
  bundle.keys.forEach(({ owner, jwks }, i) => {
    try {
      keys.add(owner, jwks);
    } catch (error) {
      throw new BundleFormatError((error as Error).message, `keys[${i}]`);
    }
  });
  return keys;
}

/**
 * Verifies an evidence bundle offline, with nothing but its own content (README.md, "Verifying a
 * bundle"). Checks run in a fixed order and stop at the first divergence, in index order within
 * a step: (a) checkpoint signatures and co-signatures, (b) consistency proofs, (c) entries and
 * their inclusion proofs, (d) completeness and the recomputed root, (e) envelopes and receipts.
 *
 * Resolves to a verdict (ok, or the first failure with a stable code); throws BundleFormatError
 * when the input is not a bundle this verifier can read.
 *
 * The bundle brings its own public keys: compare the last checkpoint (in the verdict) or the
 * "gateway-ledger" key with ones obtained independently, or a forger could bring their own.
 */
export async function verifyBundle(input: unknown, options: VerifyBundleOptions = {}): Promise<BundleVerdict> {
  assertBundleFormat(input);
  const bundle = input;
  const ctx: VerificationContext = {
    bundle,
    keys: keyRingOf(bundle),
    checkpoints: [],
    messageEntries: [],
    stats: { checkpoints: 0, cosignatures: 0, consistencyProofs: 0, entries: 0, inclusionProofs: 0, envelopes: 0, receipts: 0, treeSize: 0 },
    progress: new Progress(options.onProgress, bundle.entries.length + bundle.envelopes.length),
  };
  const steps: Array<() => BundleFailure | null | Promise<BundleFailure | null>> = [
    () => checkCheckpoints(ctx),
    () => checkConsistency(ctx),
    () => new EntriesCheck(ctx).run(),
    () => checkEnvelopes(ctx),
  ];
  for (const step of steps) {
    const failure = await step();
    if (failure) return { ok: false, failure };
  }
  ctx.progress.finish();
  return { ok: true, stats: ctx.stats, checkpoint: ctx.checkpoints[ctx.checkpoints.length - 1].body };
}
