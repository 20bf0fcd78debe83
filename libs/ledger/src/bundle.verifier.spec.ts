import { canonicalJson } from '@tongban/envelope';
import { bundleOf, buildLedger, MESSAGE_IDS, type LedgerFixture } from './bundle.fixture';
import { BundleFormatError } from './bundle.format';
import { BundleFailureCode, type BundleVerdict, type EvidenceBundle } from './bundle.types';
import { verifyBundle } from './bundle.verifier';
import { signCosignature } from './checkpoint.jws';

/** Changes one character of a string at `at`, to another that keeps JSON valid. */
function tamper(text: string, at: number): string {
  const replacement = text[at] === 'a' ? 'b' : 'a';
  return text.slice(0, at) + replacement + text.slice(at + 1);
}

function failureOf(verdict: BundleVerdict) {
  if (verdict.ok) throw new Error('expected the bundle to fail verification');
  return verdict.failure;
}

const leafPosition = (bundle: EvidenceBundle, index: number): number => bundle.entries.findIndex((e) => e.index === index);

describe('verifyBundle', () => {
  let fx: LedgerFixture;

  beforeAll(async () => {
    fx = await buildLedger();
  });

  describe('on an untouched bundle', () => {
    it.each([
      ['a case bundle with proofs to the last checkpoint', { indices: [1, 2, 3, 4, 5, 6, 10], proofs: 'last' as const }],
      ['a bundle with proofs to earlier checkpoints', { proofs: 'first' as const }],
      ['a complete bundle with proofs', { complete: true, proofs: 'last' as const }],
      ['a complete bundle with proofs to earlier checkpoints', { complete: true, proofs: 'first' as const }],
      ['a complete bundle without proofs, as the gateway makes them', { complete: true, proofs: 'none' as const }],
    ])('verifies %s', async (_name, shape) => {
      const bundle = bundleOf(fx, shape);
      const verdict = await verifyBundle(bundle);
      expect(verdict).toMatchObject({ ok: true, checkpoint: fx.checkpoints[2].body });
      if (!verdict.ok) return;
      expect(verdict.stats).toMatchObject({ checkpoints: 3, cosignatures: 3, consistencyProofs: 2, entries: bundle.entries.length, treeSize: 13 });
      expect(verdict.stats.inclusionProofs).toBe(shape.proofs === 'none' ? 0 : bundle.entries.length);
    });

    it('checks every envelope and receipt the entries name', async () => {
      const verdict = await verifyBundle(bundleOf(fx, { proofs: 'last' }));
      expect(verdict).toMatchObject({ ok: true, stats: { envelopes: 3, receipts: 3 } });
    });

    it('survives a JSON round trip (what a CLI reads)', async () => {
      await expect(verifyBundle(JSON.parse(JSON.stringify(bundleOf(fx, { complete: true, proofs: 'last' }))))).resolves.toMatchObject({ ok: true });
    });

    it('reports progress, ending with done = total', async () => {
      const calls: Array<[number, number]> = [];
      const bundle = bundleOf(fx, { complete: true });
      await verifyBundle(bundle, { onProgress: (done, total) => calls.push([done, total]) });
      const total = bundle.entries.length + bundle.envelopes.length;
      expect(calls[calls.length - 1]).toEqual([total, total]);
    });
  });

  describe('names the entry whose leaf was altered', () => {
    it.each([
      ['in a case bundle', { indices: [3, 4, 5, 6], proofs: 'last' as const }, 4],
      ['at the right edge of the tree', { proofs: 'last' as const }, 12],
      ['in a complete bundle with proofs (fast path refused)', { complete: true, proofs: 'last' as const }, 7],
    ])('%s', async (_name, shape, index) => {
      const bundle = bundleOf(fx, shape);
      const entry = bundle.entries[leafPosition(bundle, index)];
      entry.leaf = entry.leaf.replace('2026-03-02', '2026-03-01');
      expect(failureOf(await verifyBundle(bundle))).toMatchObject({ code: BundleFailureCode.ENTRY_HASH_MISMATCH, entryIndex: index, entryId: fx.entries[index].id });
    });

    it('in a complete bundle without proofs, when a verified proof pins that leaf', async () => {
      // The consistency proof 5→9 carries the hashes of leaves 4, 5 and 8 one by one.
      const bundle = bundleOf(fx, { complete: true, proofs: 'none' });
      bundle.entries[5].leaf = tamper(bundle.entries[5].leaf, 20);
      expect(failureOf(await verifyBundle(bundle))).toMatchObject({ code: BundleFailureCode.ENTRY_HASH_MISMATCH, entryIndex: 5, entryId: fx.entries[5].id });
    });

    it('in a complete bundle without proofs otherwise: as narrowly as the bundle allows', async () => {
      const bundle = bundleOf(fx, { complete: true, proofs: 'none' });
      bundle.entries[2].leaf = bundle.entries[2].leaf.replace('2026-03-02', '2026-03-01');
      const failure = failureOf(await verifyBundle(bundle));
      expect(failure).toMatchObject({ code: BundleFailureCode.TREE_ROOT_MISMATCH });
      expect(failure.reason).toContain('leaves 0 to 3');
    });

    it('in a complete bundle without proofs, when the alteration also broke the entry', async () => {
      const bundle = bundleOf(fx, { complete: true, proofs: 'none' });
      bundle.entries[2].leaf = bundle.entries[2].leaf.replace('"v":1', '"v":2');
      const failure = failureOf(await verifyBundle(bundle));
      expect(failure).toMatchObject({ code: BundleFailureCode.ENTRY_INVALID, entryIndex: 2 });
      expect(failure.reason).toContain('may have been altered after it was logged');
    });

    it('the lowest index first when several were altered', async () => {
      const bundle = bundleOf(fx, { proofs: 'last' });
      for (const index of [9, 3]) bundle.entries[index].leaf = bundle.entries[index].leaf.replace('2026', '2027');
      expect(failureOf(await verifyBundle(bundle))).toMatchObject({ entryIndex: 3 });
    });

    it('without blaming text or proof when no neighbour can tell', async () => {
      const bundle = bundleOf(fx, { indices: [3, 7], proofs: 'last' });
      bundle.entries[0].leaf = bundle.entries[0].leaf.replace('ACKNOWLEDGED', 'ACCEPTEDXXXX');
      const failure = failureOf(await verifyBundle(bundle));
      expect(failure).toMatchObject({ code: BundleFailureCode.INCLUSION_PROOF_INVALID, entryIndex: 3 });
      expect(failure.reason).toContain('text or its proof');
    });
  });

  describe('names the entry whose proof was altered', () => {
    it.each([
      ['in a case bundle', { indices: [2, 3, 4], proofs: 'last' as const }],
      ['in a complete bundle (fast path)', { complete: true, proofs: 'last' as const }],
    ])('%s', async (_name, shape) => {
      const bundle = bundleOf(fx, shape);
      const entry = bundle.entries[leafPosition(bundle, 3)];
      entry.proof[1] = tamper(entry.proof[1], 10);
      const failure = failureOf(await verifyBundle(bundle));
      expect(failure).toMatchObject({ code: BundleFailureCode.INCLUSION_PROOF_INVALID, entryIndex: 3, entryId: fx.entries[3].id });
      expect(failure.reason).toContain('the proof was altered');
    });

    it('or whose proof names a checkpoint the bundle lacks', async () => {
      const bundle = bundleOf(fx, { proofs: 'last' });
      bundle.entries[6].checkpoint = 12;
      expect(failureOf(await verifyBundle(bundle))).toMatchObject({ code: BundleFailureCode.INCLUSION_PROOF_INVALID, entryIndex: 6 });
    });

    it('or lacks a proof outside a complete bundle', async () => {
      const bundle = bundleOf(fx, { indices: [1, 2], proofs: 'none' });
      expect(failureOf(await verifyBundle(bundle))).toMatchObject({ code: BundleFailureCode.INCLUSION_PROOF_INVALID, entryIndex: 1 });
    });
  });

  it.each([
    ['with proofs', 'last' as const],
    ['without proofs', 'none' as const],
  ])('names the entry removed from a complete bundle (%s)', async (_name, proofs) => {
    const bundle = bundleOf(fx, { complete: true, proofs });
    bundle.entries.splice(6, 1);
    expect(failureOf(await verifyBundle(bundle))).toMatchObject({ code: BundleFailureCode.ENTRY_MISSING, entryIndex: 6 });
  });

  it('names the last entry removed from a complete bundle', async () => {
    const bundle = bundleOf(fx, { complete: true, proofs: 'none' });
    bundle.entries.pop();
    expect(failureOf(await verifyBundle(bundle))).toMatchObject({ code: BundleFailureCode.ENTRY_MISSING, entryIndex: 12 });
  });

  describe('checkpoints', () => {
    it('refuses an altered checkpoint signature', async () => {
      const bundle = bundleOf(fx);
      const [h, p, s] = bundle.checkpoints[1].jws.split('.');
      bundle.checkpoints[1].jws = `${h}.${p}.${s.startsWith('A') ? `B${s.slice(1)}` : `A${s.slice(1)}`}`;
      expect(failureOf(await verifyBundle(bundle))).toMatchObject({ code: BundleFailureCode.CHECKPOINT_SIGNATURE_INVALID, checkpoint: 1 });
    });

    it('refuses a checkpoint signed by a district instead of the ledger key', async () => {
      const bundle = bundleOf(fx);
      bundle.checkpoints[2].jws = bundle.checkpoints[2].cosignatures[0] ?? (await signCosignature({ checkpoint: fx.checkpoints[2].body, cosigner: '440303', cosignedAt: '2026-03-02T02:00:00Z' }, fx.signingKeys.districts['440303']));
      expect(failureOf(await verifyBundle(bundle))).toMatchObject({ code: BundleFailureCode.CHECKPOINT_SIGNATURE_INVALID, checkpoint: 2 });
    });

    it('refuses a co-signature of another checkpoint, moved onto this one', async () => {
      const bundle = bundleOf(fx);
      bundle.checkpoints[0].cosignatures = [bundle.checkpoints[1].cosignatures[0]];
      const failure = failureOf(await verifyBundle(bundle));
      expect(failure).toMatchObject({ code: BundleFailureCode.COSIGNATURE_INVALID, checkpoint: 0 });
      expect(failure.reason).toContain('co-signs another checkpoint');
    });

    it('refuses a co-signature that does not verify', async () => {
      const bundle = bundleOf(fx);
      const forged = await signCosignature({ checkpoint: fx.checkpoints[1].body, cosigner: '440106', cosignedAt: '2026-03-02T02:00:00Z' }, fx.signingKeys.districts['440303']);
      bundle.checkpoints[1].cosignatures.push(forged);
      expect(failureOf(await verifyBundle(bundle))).toMatchObject({ code: BundleFailureCode.COSIGNATURE_INVALID, checkpoint: 1 });
    });

    it('refuses checkpoints out of order', async () => {
      const bundle = bundleOf(fx);
      bundle.checkpoints.reverse();
      expect(failureOf(await verifyBundle(bundle))).toMatchObject({ code: BundleFailureCode.CHECKPOINT_INVALID, checkpoint: 1 });
    });

    it('refuses an altered consistency proof', async () => {
      const bundle = bundleOf(fx);
      bundle.consistency[1].proof[0] = tamper(bundle.consistency[1].proof[0], 3);
      expect(failureOf(await verifyBundle(bundle))).toMatchObject({ code: BundleFailureCode.CONSISTENCY_PROOF_INVALID, checkpoint: 2 });
    });

    it('refuses a consistency proof between other sizes', async () => {
      const bundle = bundleOf(fx);
      bundle.consistency[0].from = 4;
      expect(failureOf(await verifyBundle(bundle))).toMatchObject({ code: BundleFailureCode.CONSISTENCY_PROOF_INVALID, checkpoint: 1 });
    });
  });

  describe('envelopes and receipts', () => {
    it('names the entry and message of an altered envelope', async () => {
      const bundle = bundleOf(fx, { proofs: 'last' });
      const record = bundle.envelopes[1];
      const [h, p, s] = record.envelope.split('.');
      const payload = Buffer.from(p, 'base64url').toString().replace('异地代收', '异地代办');
      record.envelope = `${h}.${Buffer.from(payload).toString('base64url')}.${s}`;
      expect(failureOf(await verifyBundle(bundle))).toMatchObject({
        code: BundleFailureCode.ENVELOPE_DIGEST_MISMATCH,
        entryIndex: 5,
        entryId: fx.entries[5].id,
        messageId: MESSAGE_IDS[1],
      });
    });

    it('refuses an envelope that does not verify with its sender key', async () => {
      const forged = await buildLedger({ forgeThirdEnvelope: true });
      expect(failureOf(await verifyBundle(bundleOf(forged, { proofs: 'last' })))).toMatchObject({
        code: BundleFailureCode.ENVELOPE_SIGNATURE_INVALID,
        entryIndex: 8,
        messageId: MESSAGE_IDS[2],
      });
    });

    it('refuses an entry that says something else than its envelope', async () => {
      const logged = await buildLedger({ editEntries: (entries) => (entries[5].sender = 'HZ-ZHONGKAI') });
      const failure = failureOf(await verifyBundle(bundleOf(logged, { proofs: 'last' })));
      expect(failure).toMatchObject({ code: BundleFailureCode.ENVELOPE_MISMATCH, entryIndex: 5, messageId: MESSAGE_IDS[1] });
      expect(failure.reason).toContain('sender');
    });

    it('refuses a missing envelope', async () => {
      const bundle = bundleOf(fx, { proofs: 'last' });
      bundle.envelopes.splice(0, 1);
      expect(failureOf(await verifyBundle(bundle))).toMatchObject({ code: BundleFailureCode.ENVELOPE_MISSING, entryIndex: 1, messageId: MESSAGE_IDS[0] });
    });

    it('refuses a receipt swapped for another message', async () => {
      const bundle = bundleOf(fx, { proofs: 'last' });
      bundle.envelopes[0].receipt = bundle.envelopes[1].receipt;
      expect(failureOf(await verifyBundle(bundle))).toMatchObject({ code: BundleFailureCode.RECEIPT_INVALID, entryIndex: 1, messageId: MESSAGE_IDS[0] });
    });

    it('refuses a missing receipt', async () => {
      const bundle = bundleOf(fx, { proofs: 'last' });
      bundle.envelopes[2].receipt = null;
      expect(failureOf(await verifyBundle(bundle))).toMatchObject({ code: BundleFailureCode.RECEIPT_INVALID, entryIndex: 8 });
    });
  });

  describe('entries the gateway logged badly', () => {
    it('names an entry that is not valid, even though it is authentic', async () => {
      const invalid = { ...JSON.parse(canonicalJson({ v: 1 })), v: 1, id: 'not-a-uuid', kind: 'CONFIG_LOADED', at: '2026-03-02T01:15:00Z', actor: 'gateway' };
      const logged = await buildLedger({ rawLeaves: { 7: canonicalJson(invalid) } });
      const failure = failureOf(await verifyBundle(bundleOf(logged, { complete: true, proofs: 'none' })));
      expect(failure).toMatchObject({ code: BundleFailureCode.ENTRY_INVALID, entryIndex: 7, entryId: 'not-a-uuid' });
      expect(failure.reason).toContain('"id"');
    });

    it('names an entry that reuses an id', async () => {
      const built = await buildLedger();
      const twin = canonicalJson({ ...built.entries[3], id: built.entries[1].id });
      const logged = await buildLedger({ rawLeaves: { 3: twin } });
      expect(failureOf(await verifyBundle(bundleOf(logged, { proofs: 'last' })))).toMatchObject({ code: BundleFailureCode.ENTRY_INVALID, entryIndex: 3 });
    });
  });

  describe('unusable input', () => {
    it.each<[string, (b: Record<string, unknown>) => unknown, string]>([
      ['not an object', () => [], ''],
      ['another format', (b) => ({ ...b, format: 'tongban-evidence-bundle/2' }), 'format'],
      ['an unknown member', (b) => ({ ...b, signature: 'x' }), ''],
      ['entries out of order', (b) => ({ ...b, entries: [...(b.entries as unknown[])].reverse() }), 'entries[1].index'],
      ['a leaf that is not a string', (b) => ({ ...b, entries: [{ index: 0, leaf: {}, checkpoint: 13, proof: [] }] }), 'entries[0].leaf'],
      ['no checkpoint', (b) => ({ ...b, checkpoints: [], consistency: [] }), 'checkpoints'],
      ['a consistency proof too few', (b) => ({ ...b, consistency: [] }), 'consistency'],
      ['a private key among the keys', (b) => ({ ...b, keys: [{ owner: 'gateway', jwks: { keys: [fx.signingKeys.gateway.privateJwk] } }] }), 'keys[0]'],
    ])('throws BundleFormatError for %s', async (_name, mutate, path) => {
      const bundle = mutate(bundleOf(fx) as unknown as Record<string, unknown>);
      await expect(verifyBundle(bundle)).rejects.toThrow(BundleFormatError);
      await expect(verifyBundle(bundle)).rejects.toMatchObject({ path });
    });
  });
});
