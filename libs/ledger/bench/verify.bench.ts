/**
 * Offline verification throughput of @tongban/ledger, outside jest (whose transform would distort
 * the numbers). Run from the repository root: `npm run ledger:bench [-- entries]` (default 200000;
 * builds first, then runs dist/libs/ledger/bench/verify.bench.js).
 *
 * Targets (one core): ≥ 100,000 entries/s for a complete bundle (hashing + inclusion), and
 * ≥ 10,000 inclusion-proof verifications/s.
 */
import { generateKeyPairSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  CHECKPOINT_KEY_OWNER,
  EVIDENCE_BUNDLE_FORMAT,
  LedgerEntryKind,
  MerkleTree,
  entryLeafData,
  leafHash,
  signCheckpoint,
  verifyBundle,
  verifyInclusion,
  type EvidenceBundle,
  type LedgerEntry,
} from '@tongban/ledger';
import type { SigningKey } from '@tongban/envelope';

const ENTRIES = Number(process.argv[2] ?? 200_000);

// A CLI verifies one bundle in a fresh process: collect the previous run's garbage (gigabytes
// of parsed bundle) before each measurement instead of charging it to the next one.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const KINDS = [LedgerEntryKind.CASE_STATE_CHANGED, LedgerEntryKind.MESSAGE_DELIVERED, LedgerEntryKind.MESSAGE_ACKNOWLEDGED, LedgerEntryKind.DEADLINE_EVENT];

/** A realistic entry of ~400 bytes: ids, a case, a message, a digest. */
function entry(i: number): LedgerEntry {
  const hex = i.toString(16).padStart(12, '0');
  const kind = KINDS[i % KINDS.length];
  return {
    v: 1,
    id: `0192f5c4-8e7a-7${hex.slice(0, 3)}-8${hex.slice(3, 6)}-${hex}`,
    kind,
    at: new Date(Date.UTC(2026, 2, 2) + i * 1000).toISOString(),
    actor: i % 3 === 0 ? 'gateway' : '440303',
    caseNumber: `LH-2026-${String(i % 50_000).padStart(6, '0')}`,
    messageId: `0192f5c4-9000-7000-8000-${hex}`,
    messageType: 'case.processing-step',
    sender: '440303',
    recipient: 'HZ-ZHONGKAI',
    digest: `sha256:${leafHash(Buffer.from(hex)).toString('hex')}`,
    ...(kind === LedgerEntryKind.CASE_STATE_CHANGED ? { fromState: 'ACCEPTED', toState: 'PROCESSING' } : {}),
    ...(kind === LedgerEntryKind.DEADLINE_EVENT ? { code: 'WARNING' } : {}),
  };
}

const rate = (count: number, ms: number): string => `${Math.round((count / ms) * 1000).toLocaleString('en-US')}/s`;
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;

async function main(): Promise<void> {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const key: SigningKey = { kid: 'bench-ledger', alg: 'ES256', privateJwk: pair.privateKey.export({ format: 'jwk' }) };
  const keys = [{ owner: CHECKPOINT_KEY_OWNER, jwks: { keys: [{ ...pair.publicKey.export({ format: 'jwk' }), kid: key.kid }] } }];

  let t = performance.now();
  const leaves = Array.from({ length: ENTRIES }, (_, i) => entryLeafData(entry(i)).toString('utf8'));
  const tree = MerkleTree.fromLeafHashes(leaves.map((leaf) => leafHash(leaf)));
  const half = Math.floor(ENTRIES / 2);
  const checkpoints = await Promise.all(
    [half, ENTRIES].map((treeSize) => signCheckpoint({ origin: 'bench', treeSize, rootHash: tree.rootAt(treeSize).toString('hex'), signedAt: '2026-03-02T00:00:00Z' }, key)),
  );
  console.log(`setup: ${ENTRIES.toLocaleString('en-US')} entries, tree and checkpoints in ${Math.round(performance.now() - t)} ms`);

  const bundleWith = (proofs: boolean, complete: boolean, count = ENTRIES): EvidenceBundle => ({
    format: EVIDENCE_BUNDLE_FORMAT,
    createdAt: '2026-03-02T00:00:00Z',
    origin: 'bench',
    scope: { kind: 'all' },
    keys,
    certificates: [],
    checkpoints: checkpoints.map((jws) => ({ jws, cosignatures: [] })),
    consistency: [{ from: half, to: ENTRIES, proof: tree.consistencyProof(half, ENTRIES).map((h) => h.toString('hex')) }],
    entries: leaves.slice(0, count).map((leaf, index) => ({ index, leaf, checkpoint: ENTRIES, proof: proofs ? tree.inclusionProof(index, ENTRIES).map((h) => h.toString('hex')) : [] })),
    envelopes: [],
    complete,
  });

  // Serialised and parsed back, as a CLI reads it: every proof element is then its own string.
  const cases: Array<[string, () => EvidenceBundle, number]> = [
    ['complete bundle, with inclusion proofs', () => bundleWith(true, true), ENTRIES],
    ['complete bundle, no proofs (gateway shape)', () => bundleWith(false, true), ENTRIES],
    ['partial bundle, every proof hashed', () => bundleWith(true, false, Math.min(ENTRIES, 20_000)), Math.min(ENTRIES, 20_000)],
  ];
  for (const [label, make, count] of cases) {
    t = performance.now();
    const text = JSON.stringify(make());
    const built = performance.now() - t;
    let best = Infinity;
    for (let run = 0; run < 3; run++) {
      collectGarbage();
      t = performance.now();
      const bundle: unknown = JSON.parse(text);
      const parsed = performance.now() - t;
      collectGarbage();
      const cpuBefore = process.cpuUsage();
      t = performance.now();
      const verdict = await verifyBundle(bundle);
      const ms = performance.now() - t;
      const cpu = process.cpuUsage(cpuBefore);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      if (!verdict.ok) throw new Error(`bench bundle did not verify: ${JSON.stringify(verdict.failure)}`);
      best = Math.min(best, ms);
      if (run === 0) console.log(`\n${label}: ${mb(text.length)} of JSON (built in ${Math.round(built)} ms, JSON.parse ${Math.round(parsed)} ms)`);
      // CPU time too: on a shared machine wall time also counts the time other processes had the core.
      console.log(`  verifyBundle run ${run + 1}: ${Math.round(ms)} ms wall = ${rate(count, ms)} entries; ${Math.round(cpuMs)} ms CPU = ${rate(count, cpuMs)}`);
    }
    console.log(`  best: ${rate(count, best)} entries`);
  }

  // Single proofs, hashed one by one (what a district does with one entry's evidence).
  const samples = Array.from({ length: 1000 }, (_, i) => {
    const index = (i * 7919) % ENTRIES;
    return { index, hash: tree.leafHash(index), proof: tree.inclusionProof(index, ENTRIES) };
  });
  const root = tree.rootAt();
  for (const [label, run] of [
    ['verifyInclusion (hashing)', (i: number) => verifyInclusion(samples[i % 1000].hash, samples[i % 1000].index, ENTRIES, samples[i % 1000].proof, root)],
    ['MerkleTree.inclusionProof (past size)', (i: number) => tree.inclusionProof((i * 7919) % (ENTRIES - 1000), ENTRIES - (i % 1000))],
    ['MerkleTree.consistencyProof', (i: number) => tree.consistencyProof(1 + ((i * 7919) % (ENTRIES - 1)), ENTRIES)],
    ['MerkleTree.rootAt (any past size)', (i: number) => tree.rootAt(ENTRIES - (i % 1000))],
  ] as Array<[string, (i: number) => unknown]>) {
    let done = 0;
    t = performance.now();
    const end = t + 2000;
    while (performance.now() < end) {
      for (let k = 0; k < 100; k++) run(done++);
    }
    console.log(`\n${label.padEnd(36)} ${rate(done, performance.now() - t)}`);
  }
}

void main();
