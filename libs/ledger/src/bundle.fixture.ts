import { canonicalJson, MessageType, sha256Digest, signEnvelope, signReceipt, type SigningKey } from '@tongban/envelope';
import { CHECKPOINT_KEY_OWNER, signCheckpoint, signCosignature, type CheckpointBody } from './checkpoint.jws';
import { EVIDENCE_BUNDLE_FORMAT, type EvidenceBundle } from './bundle.types';
import { LedgerEntryKind } from './entry-kind';
import type { LedgerEntry } from './entry';
import { leafHash } from './merkle';
import { MerkleTree } from './merkle.tree';
import { generateTestKey, testUuidV7 } from './test-keys.fixture';

/**
 * Test-only: a small real ledger: 13 entries about 3 signed envelopes with receipts, checkpoints at
 * 5, 9 and 13 (the first two co-signed), from which bundles of any shape can be cut.
 */
export interface LedgerFixture {
  leaves: string[];
  entries: LedgerEntry[];
  tree: MerkleTree;
  checkpoints: Array<{ body: CheckpointBody; jws: string; cosignatures: string[] }>;
  envelopes: Array<{ messageId: string; envelope: string; receipt: string | null }>;
  keys: EvidenceBundle['keys'];
  signingKeys: { gateway: SigningKey; ledger: SigningKey; districts: Record<string, SigningKey> };
}

export const ORIGIN = 'tongban-gba';
export const CHECKPOINT_SIZES = [5, 9, 13];
export const MESSAGE_IDS = ['0192f5c4-8e7a-7c3e-9b1d-000000000001', '0192f5c4-8e7a-7c3e-9b1d-000000000002', '0192f5c4-8e7a-7c3e-9b1d-000000000003'];

export interface FixtureOptions {
  /** Leaf text the gateway logged instead of the entry's canonical JSON (an invalid entry). */
  rawLeaves?: Record<number, string>;
  /** Sign message 3 with a key that is not its sender's. */
  forgeThirdEnvelope?: boolean;
  /** Changes entries before they are logged (what a buggy or lying gateway would log). */
  editEntries?: (entries: LedgerEntry[]) => void;
}

export async function buildLedger(options: FixtureOptions = {}): Promise<LedgerFixture> {
  const [gateway, ledger, luohu, tianhe, intruder] = await Promise.all([
    generateTestKey('ES256'),
    generateTestKey('ES256'),
    generateTestKey('ES256'),
    generateTestKey('EdDSA'),
    generateTestKey('ES256'),
  ]);
  const keys: EvidenceBundle['keys'] = [
    { owner: 'gateway', jwks: { keys: [gateway.publicJwk] } },
    { owner: CHECKPOINT_KEY_OWNER, jwks: { keys: [ledger.publicJwk] } },
    { owner: '440303', jwks: { keys: [luohu.publicJwk] } },
    { owner: '440106', jwks: { keys: [tianhe.publicJwk] } },
  ];
  const senders: Array<[string, string, SigningKey]> = [
    ['440303', '440106', luohu.signingKey],
    ['440106', '440303', tianhe.signingKey],
    ['440303', '440106', options.forgeThirdEnvelope ? intruder.signingKey : luohu.signingKey],
  ];
  const cases = ['LH-2026-000123', 'LH-2026-000123', 'LH-2026-000456'];

  const envelopes: LedgerFixture['envelopes'] = [];
  const messages: Array<{ messageId: string; digest: string; receiptDigest: string; sender: string; recipient: string; caseNumber: string }> = [];
  for (let i = 0; i < 3; i++) {
    const [sender, recipient, key] = senders[i];
    const messageId = MESSAGE_IDS[i];
    const envelope = await signEnvelope(
      {
        messageId,
        caseNumber: cases[i],
        collaborationId: 'XT-440303-440106-2026-0001',
        sender,
        recipient,
        messageType: MessageType.CASE_SUBMISSION,
        sentAt: '2026-03-02T09:15:00+08:00',
        payload: { caseType: '2', note: '异地代收' },
      },
      key,
      { id: 'case-submission', version: '1.0.0' },
    );
    const digest = sha256Digest(envelope);
    const receipt = await signReceipt(
      { receiptId: testUuidV7(900 + i), messageId, envelopeDigest: digest, sender, recipient, caseNumber: cases[i], receivedAt: '2026-03-02T01:15:00.123Z', gateway: ORIGIN, status: 'ACCEPTED' },
      gateway.signingKey,
    );
    envelopes.push({ messageId, envelope, receipt });
    messages.push({ messageId, digest, receiptDigest: sha256Digest(receipt), sender, recipient, caseNumber: cases[i] });
  }

  let n = 0;
  const base = (kind: LedgerEntryKind, actor = 'gateway'): LedgerEntry => ({ v: 1, id: testUuidV7(++n), kind, at: `2026-03-02T01:15:${String(n).padStart(2, '0')}Z`, actor });
  const accepted = (m: (typeof messages)[number]): LedgerEntry => ({
    ...base(LedgerEntryKind.MESSAGE_ACCEPTED, m.sender),
    caseNumber: m.caseNumber,
    messageId: m.messageId,
    messageType: MessageType.CASE_SUBMISSION,
    sender: m.sender,
    recipient: m.recipient,
    digest: m.digest,
    receiptDigest: m.receiptDigest,
  });
  const receiptIssued = (m: (typeof messages)[number]): LedgerEntry => ({
    ...base(LedgerEntryKind.RECEIPT_ISSUED),
    messageId: m.messageId,
    digest: m.digest,
    receiptDigest: m.receiptDigest,
  });
  const entries: LedgerEntry[] = [
    { ...base(LedgerEntryKind.CONFIG_LOADED), detail: { alliance: 'demo', districts: 7 } },
    accepted(messages[0]),
    receiptIssued(messages[0]),
    { ...base(LedgerEntryKind.CASE_STATE_CHANGED), caseNumber: cases[0], fromState: 'SUBMITTED', toState: 'ACKNOWLEDGED' },
    { ...base(LedgerEntryKind.MESSAGE_DELIVERED), messageId: messages[0].messageId, recipient: '440106' },
    accepted(messages[1]),
    receiptIssued(messages[1]),
    { ...base(LedgerEntryKind.MESSAGE_REJECTED, '440303'), code: 'SCHEMA_INVALID', sender: '440303' },
    accepted(messages[2]),
    receiptIssued(messages[2]),
    { ...base(LedgerEntryKind.DEADLINE_EVENT), caseNumber: cases[0], code: 'WARNING' },
    { ...base(LedgerEntryKind.ADMIN_ACTION, 'operator:admin'), detail: { action: 'replay', dryRun: true } },
    { ...base(LedgerEntryKind.AUDITOR_QUERY, 'auditor:jiancha'), detail: { scope: 'case' } },
  ];
  options.editEntries?.(entries);
  const leaves = entries.map((e, i) => options.rawLeaves?.[i] ?? canonicalJson(e));
  const tree = MerkleTree.fromLeafHashes(leaves.map((leaf) => leafHash(leaf)));

  const checkpoints: LedgerFixture['checkpoints'] = [];
  const cosigners: Record<number, Array<[string, SigningKey]>> = {
    5: [['440303', luohu.signingKey]],
    9: [
      ['440303', luohu.signingKey],
      ['440106', tianhe.signingKey],
    ],
  };
  for (const treeSize of CHECKPOINT_SIZES) {
    const body: CheckpointBody = { origin: ORIGIN, treeSize, rootHash: tree.rootAt(treeSize).toString('hex'), signedAt: `2026-03-02T01:16:${String(treeSize).padStart(2, '0')}Z` };
    const cosignatures = await Promise.all(
      (cosigners[treeSize] ?? []).map(([cosigner, key]) => signCosignature({ checkpoint: body, cosigner, cosignedAt: `2026-03-02T09:17:${String(treeSize).padStart(2, '0')}+08:00` }, key)),
    );
    checkpoints.push({ body, jws: await signCheckpoint(body, ledger.signingKey), cosignatures });
  }
  return {
    leaves,
    entries,
    tree,
    checkpoints,
    envelopes,
    keys,
    signingKeys: { gateway: gateway.signingKey, ledger: ledger.signingKey, districts: { '440303': luohu.signingKey, '440106': tianhe.signingKey } },
  };
}

export interface BundleShape {
  /** Leaf indices to include; all by default. */
  indices?: number[];
  complete?: boolean;
  /** 'last': proofs to the last checkpoint; 'first': to the first checkpoint covering the entry; 'none': empty. */
  proofs?: 'last' | 'first' | 'none';
}

const hex = (hashes: Buffer[]): string[] => hashes.map((h) => h.toString('hex'));

/** Cuts a bundle out of the fixture ledger; a fresh object each time, free to tamper with. */
export function bundleOf(fx: LedgerFixture, shape: BundleShape = {}): EvidenceBundle {
  const indices = shape.indices ?? fx.leaves.map((_, i) => i);
  const last = CHECKPOINT_SIZES[CHECKPOINT_SIZES.length - 1];
  const bundle: EvidenceBundle = {
    format: EVIDENCE_BUNDLE_FORMAT,
    createdAt: '2026-03-02T02:00:00Z',
    origin: ORIGIN,
    scope: shape.complete ? { kind: 'all' } : { kind: 'case', caseNumber: 'LH-2026-000123' },
    keys: fx.keys,
    certificates: [{ owner: 'alliance-ca', pem: '-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----\n' }],
    checkpoints: fx.checkpoints.map(({ jws, cosignatures }) => ({ jws, cosignatures })),
    consistency: CHECKPOINT_SIZES.slice(1).map((to, i) => ({ from: CHECKPOINT_SIZES[i], to, proof: hex(fx.tree.consistencyProof(CHECKPOINT_SIZES[i], to)) })),
    entries: indices.map((index) => {
      const checkpoint = shape.proofs === 'first' ? (CHECKPOINT_SIZES.find((size) => size > index) as number) : last;
      return { index, leaf: fx.leaves[index], checkpoint, proof: shape.proofs === 'none' ? [] : hex(fx.tree.inclusionProof(index, checkpoint)) };
    }),
    envelopes: fx.envelopes,
    ...(shape.complete === undefined ? {} : { complete: shape.complete }),
  };
  return structuredClone(bundle);
}

