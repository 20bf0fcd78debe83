import { BundleFailureCode, type BundleFailure, type EvidenceBundle } from './bundle.types';
import type { VerificationContext } from './bundle.context';
import { LedgerEntryKind } from './entry-kind';
import { parseLedgerEntry } from './entry.validator';
import { ExpectedPathIndex } from './expected-path.index';
import { parseHashes } from './hex';
import { fromBinary, leafHashBinary } from './merkle';
import { consistencyProofRanges, inclusionPathRanges } from './merkle.math';
import { MerkleTree } from './merkle.tree';
import { verifyInclusion } from './merkle.verify';
import { RootAccumulator } from './root.accumulator';

type EntryRecord = EvidenceBundle['entries'][number];

/** A subtree hash that something already verified vouches for, and what vouches for it. */
interface AttestedNode {
  start: number;
  size: number;
  hash: Buffer;
  source: string;
}

const SUSPECT = ' The leaves of this complete bundle do not make the signed root either: the entry may have been altered after it was logged.';
const short = (hash: Buffer): string => `${hash.toString('hex').slice(0, 16)}…`;

/** Best effort, for naming an entry whose text may be broken. */
function entryIdOf(leaf: string): string | undefined {
  try {
    const id = (JSON.parse(leaf) as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Steps (c) and (d): every entry's leaf is in its checkpoint's tree and is a valid, unique entry;
 * a complete bundle holds every leaf and they make the last checkpoint's root.
 *
 * A complete bundle whose leaves make the signed root takes a fast path: the tree is recomputed
 * once (about one hash per leaf) and proofs are compared with its paths instead of being hashed.
 * Its verdict is the same as the general path's, which runs otherwise and to explain a failure.
 */
export class EntriesCheck {
  private readonly entries: readonly EntryRecord[];
  private readonly roots = new Map<number, Buffer>();
  private readonly complete: boolean;
  private readonly treeSize: number;
  private readonly lastRoot: Buffer;
  /** Leaf hashes as binary strings (see merkle.ts), computed once each. */
  private readonly leafHashes: Array<string | undefined>;
  /** Leaf index by entry id, to refuse a reused id. */
  private readonly ids = new Map<string, number>();
  private tree: MerkleTree | undefined;
  /** The root of all leaves of a complete bundle, once computed. */
  private computedRoot: Buffer | undefined;
  /** A complete bundle whose leaves do not make the signed root: content problems may be tampering. */
  private rootMismatch = false;
  /** Where the leaves of a complete bundle contradict what the bundle proved, once located. */
  private located: BundleFailure | undefined;
  /** `located`, when it is one leaf: named before anything else is said about that entry. */
  private pinned: BundleFailure | undefined;

  constructor(private readonly ctx: VerificationContext) {
    const { bundle, checkpoints } = ctx;
    this.entries = bundle.entries;
    this.complete = bundle.complete === true;
    for (const { body, root } of checkpoints) this.roots.set(body.treeSize, root);
    const last = checkpoints[checkpoints.length - 1];
    this.treeSize = last.body.treeSize;
    this.lastRoot = last.root;
    this.leafHashes = new Array<string | undefined>(this.entries.length);
  }

  run(): BundleFailure | null {
    if (this.complete && this.isContiguous()) {
      this.recomputeTree();
      if (this.computedRoot?.equals(this.lastRoot)) return this.checkAgainstTree();
      this.rootMismatch = true;
      // Locate it now, so that the altered entry is named as such before anything else about it.
      this.located = this.locateDivergence();
      if (this.located.code === BundleFailureCode.ENTRY_HASH_MISMATCH) this.pinned = this.located;
    }
    return this.checkOneByOne() ?? (this.complete ? this.checkCompleteness() : null);
  }

  /** Entries are ascending (format rule), so count and last index tell that they are 0..N-1. */
  private isContiguous(): boolean {
    const n = this.entries.length;
    return n === this.treeSize && (n === 0 || this.entries[n - 1].index === n - 1);
  }

  private leafHashAt(position: number): string {
    return (this.leafHashes[position] ??= leafHashBinary(this.entries[position].leaf));
  }

  private leafHashBufferAt(position: number): Buffer {
    return fromBinary(this.leafHashAt(position));
  }

  private recomputeTree(): void {
    // Proofs to compare need the inner nodes; without proofs a root accumulator is enough and lighter.
    // Leaf hashes are not kept: 200,000 retained strings cost more in garbage collection than
    // hashing again the few a failure needs.
    const withProofs = this.entries.some((e) => e.proof.length > 0);
    if (withProofs) {
      const tree = new MerkleTree();
      for (let p = 0; p < this.entries.length; p++) tree.appendBinary(leafHashBinary(this.entries[p].leaf));
      this.tree = tree;
      this.computedRoot = tree.rootAt();
    } else {
      const accumulator = new RootAccumulator();
      for (let p = 0; p < this.entries.length; p++) accumulator.pushBinary(leafHashBinary(this.entries[p].leaf));
      this.computedRoot = accumulator.root();
    }
  }

  /** Fast path: every leaf is authentic (they make the signed root); check proofs by comparison, then content. */
  private checkAgainstTree(): BundleFailure | null {
    const expected = this.tree ? new ExpectedPathIndex(this.tree) : undefined;
    const { stats, progress } = this.ctx;
    for (let p = 0; p < this.entries.length; p++) {
      const record = this.entries[p];
      const failure = this.checkpointFailure(record);
      if (failure) return failure;
      if (record.proof.length > 0) {
        if (!expected?.matches(record.index, record.checkpoint, record.proof)) {
          const explained = this.inclusionFailure(p);
          if (explained) return explained;
        }
        stats.inclusionProofs++;
      }
      const content = this.contentFailure(record);
      if (content) return content;
      progress.advance();
    }
    return null;
  }

  /** General path, in index order: hash and proof first (authenticity), then content. */
  private checkOneByOne(): BundleFailure | null {
    const { stats, progress } = this.ctx;
    for (let p = 0; p < this.entries.length; p++) {
      const record = this.entries[p];
      const failure = this.checkpointFailure(record);
      if (failure) return failure;
      // A complete bundle may leave proofs out: recomputing the whole tree (step d) proves inclusion.
      if (!(this.complete && record.proof.length === 0)) {
        const inclusion = this.inclusionFailure(p);
        if (inclusion) return inclusion;
        stats.inclusionProofs++;
      }
      if (this.pinned?.entryIndex === record.index) return this.pinned;
      const content = this.contentFailure(record);
      if (content) return content;
      progress.advance();
    }
    return null;
  }

  private checkpointFailure(record: EntryRecord): BundleFailure | null {
    let why: string | null = null;
    if (!this.roots.has(record.checkpoint)) {
      why = `Entry ${record.index} claims a proof to the checkpoint of tree size ${record.checkpoint}, which this bundle does not hold.`;
    } else if (record.index >= record.checkpoint) {
      why = `Entry ${record.index} cannot be in the checkpoint of tree size ${record.checkpoint}, which ends at leaf ${record.checkpoint - 1}.`;
    }
    return why === null ? null : { code: BundleFailureCode.INCLUSION_PROOF_INVALID, entryIndex: record.index, entryId: entryIdOfRecord(record), reason: why };
  }

  /** Verifies one entry's proof by hashing; on failure, says whether its text or its proof is at fault when the bundle can tell. */
  private inclusionFailure(position: number): BundleFailure | null {
    const record = this.entries[position];
    const proof = parseHashes(record.proof);
    const hash = this.leafHashBufferAt(position);
    if (typeof proof !== 'number' && verifyInclusion(hash, record.index, record.checkpoint, proof, this.roots.get(record.checkpoint) as Buffer)) return null;

    // Failed: name the entry (parsing its text only now) and tell what is at fault if the bundle can.
    const at = { entryIndex: record.index, entryId: entryIdOfRecord(record) };
    if (typeof proof === 'number') {
      return { code: BundleFailureCode.INCLUSION_PROOF_INVALID, ...at, reason: `Entry ${record.index}: proof element ${proof} is not 64 lowercase hex digits; the proof was altered.` };
    }
    for (const neighbour of [position - 1, position + 1]) {
      const attested = this.attestedLeafHash(neighbour, record.index);
      if (!attested) continue;
      if (attested.equals(hash)) {
        return {
          code: BundleFailureCode.INCLUSION_PROOF_INVALID,
          ...at,
          reason: `The proof of entry ${record.index} does not lead to the root of checkpoint ${record.checkpoint}, yet its text is the one logged (entry ${this.entries[neighbour].index}'s verified proof attests its hash): the proof was altered.`,
        };
      }
      return {
        code: BundleFailureCode.ENTRY_HASH_MISMATCH,
        ...at,
        reason: `Entry ${record.index} was altered: its text hashes to ${short(hash)} but the ledger logged ${short(attested)} at that index (attested by entry ${this.entries[neighbour].index}'s verified proof).`,
      };
    }
    return {
      code: BundleFailureCode.INCLUSION_PROOF_INVALID,
      ...at,
      reason: `Entry ${record.index} is not proven to be in checkpoint ${record.checkpoint}: its proof does not lead from the hash of its text to the signed root. Its text or its proof was altered; a bundle with its neighbouring entries would tell which.`,
    };
  }

  /** The hash of leaf `index` as the verified proof of the entry at `position` states it, if it states it. */
  private attestedLeafHash(position: number, index: number): Buffer | null {
    const witness = this.entries[position];
    if (!witness || Math.abs(witness.index - index) !== 1) return null;
    const root = this.roots.get(witness.checkpoint);
    const proof = parseHashes(witness.proof);
    if (!root || typeof proof === 'number' || index >= witness.checkpoint) return null;
    if (!verifyInclusion(this.leafHashBufferAt(position), witness.index, witness.checkpoint, proof, root)) return null;
    const ranges = inclusionPathRanges(witness.index, witness.checkpoint);
    for (let i = 0; i < proof.length; i++) {
      if (ranges[2 * i] === index && ranges[2 * i + 1] === 1) return proof[i];
    }
    return null;
  }

  private contentFailure(record: EntryRecord): BundleFailure | null {
    let entry;
    try {
      entry = parseLedgerEntry(record.leaf);
    } catch (error) {
      return {
        code: BundleFailureCode.ENTRY_INVALID,
        entryIndex: record.index,
        entryId: entryIdOf(record.leaf),
        reason: `Entry ${record.index} is not a valid ledger entry: ${(error as Error).message}.${this.rootMismatch ? SUSPECT : ''}`,
      };
    }
    const first = this.ids.get(entry.id);
    if (first !== undefined) {
      return { code: BundleFailureCode.ENTRY_INVALID, entryIndex: record.index, entryId: entry.id, reason: `Entry ${record.index} has the id of entry ${first}; entry ids are unique.` };
    }
    this.ids.set(entry.id, record.index);
    if ((entry.kind === LedgerEntryKind.MESSAGE_ACCEPTED || entry.kind === LedgerEntryKind.RECEIPT_ISSUED) && entry.messageId !== undefined) {
      this.ctx.messageEntries.push({ index: record.index, entry });
    }
    this.ctx.stats.entries++;
    return null;
  }

  /** Step (d) for a complete bundle that did not take the fast path: what is missing, or which leaves differ. */
  private checkCompleteness(): BundleFailure | null {
    const n = Math.min(this.entries.length, this.treeSize);
    for (let p = 0; p < n; p++) {
      if (this.entries[p].index !== p) return this.missing(p);
    }
    if (this.entries.length < this.treeSize) return this.missing(this.entries.length);
    if (!this.computedRoot) this.recomputeTree();
    if (this.computedRoot?.equals(this.lastRoot)) return null;
    return (this.located ??= this.locateDivergence());
  }

  private missing(index: number): BundleFailure {
    return {
      code: BundleFailureCode.ENTRY_MISSING,
      entryIndex: index,
      reason: `Leaf ${index} of checkpoint ${this.treeSize} is missing from this bundle, which says it is complete: an entry was removed.`,
    };
  }

  /**
   * The leaves do not make the signed root. Narrows the divergence down with every subtree hash the
   * bundle already proved (checkpoint roots, consistency and inclusion proofs): the leftmost
   * smallest one that the leaves contradict. A single leaf is named; otherwise a range.
   */
  private locateDivergence(): BundleFailure {
    if (!this.tree) {
      this.tree = new MerkleTree();
      for (let p = 0; p < this.entries.length; p++) this.tree.appendBinary(this.leafHashAt(p));
    }
    const tree = this.tree;
    const contradicted = this.attestedNodes().filter((node) => node.start + node.size <= tree.size && !tree.subtreeHash(node.start, node.size).equals(node.hash));
    const innermost = contradicted
      .filter((node) => !contradicted.some((other) => other !== node && other.size < node.size && other.start >= node.start && other.start + other.size <= node.start + node.size))
      .sort((a, b) => a.start - b.start || a.size - b.size);
    const found = innermost[0];
    if (found && found.size === 1) {
      const hash = this.leafHashBufferAt(found.start);
      return {
        code: BundleFailureCode.ENTRY_HASH_MISMATCH,
        entryIndex: found.start,
        entryId: entryIdOfRecord(this.entries[found.start]),
        reason: `Entry ${found.start} was altered: its text hashes to ${short(hash)} but the ledger logged ${short(found.hash)} at that index (attested by ${found.source}).`,
      };
    }
    const where = found ? `leaves ${found.start} to ${found.start + found.size - 1} do not hash to what ${found.source} attests` : 'they do not hash to its root';
    return {
      code: BundleFailureCode.TREE_ROOT_MISMATCH,
      reason: `The entries of this complete bundle do not make the signed root of checkpoint ${this.treeSize}: ${where}. An entry in that range was altered or reordered; a bundle with inclusion proofs would name it.`,
    };
  }

  private attestedNodes(): AttestedNode[] {
    const nodes: AttestedNode[] = [];
    for (const { body, root } of this.ctx.checkpoints) {
      if (body.treeSize > 0) nodes.push({ start: 0, size: body.treeSize, hash: root, source: `the signed root of checkpoint ${body.treeSize}` });
    }
    for (const { from, to, proof } of this.ctx.bundle.consistency) {
      // Step (b) verified these proofs, so each element is the hash of the subtree it stands for.
      const hashes = parseHashes(proof);
      if (from === 0 || from >= to || typeof hashes === 'number') continue;
      const ranges = consistencyProofRanges(from, to);
      hashes.forEach((hash, i) => nodes.push({ start: ranges[2 * i], size: ranges[2 * i + 1], hash, source: `the consistency proof ${from}→${to}` }));
    }
    this.entries.forEach((record, p) => {
      const hashes = parseHashes(record.proof);
      if (record.proof.length === 0 || typeof hashes === 'number') return;
      const root = this.roots.get(record.checkpoint);
      if (!root || !verifyInclusion(this.leafHashBufferAt(p), record.index, record.checkpoint, hashes, root)) return;
      const ranges = inclusionPathRanges(record.index, record.checkpoint);
      hashes.forEach((hash, i) => nodes.push({ start: ranges[2 * i], size: ranges[2 * i + 1], hash, source: `entry ${record.index}'s verified proof` }));
    });
    return nodes;
  }
}

/** Named lazily: parsing every leaf only to name it would cost as much as checking it. */
function entryIdOfRecord(record: EntryRecord): string | undefined {
  return entryIdOf(record.leaf);
}
