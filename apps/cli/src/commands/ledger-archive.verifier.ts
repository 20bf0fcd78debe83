import { KeyRing, sha256Digest } from '@tongban/envelope';
import type { JsonWebKey } from 'node:crypto';
import { CHECKPOINT_KEY_OWNER, RootAccumulator, entryLeafHash, parseLedgerEntry, verifyCheckpoint } from '@tongban/ledger';

export interface ArchiveVerdict {
  ok: boolean;
  files: number;
  entries: number;
  /** The first problem, naming the file and, where there is one, the leaf. */
  failure?: string;
}

interface ArchiveHeader {
  format: string;
  firstIndex: number;
  lastIndex: number;
  previous: { fileName: string; digest: string } | null;
  checkpoint: { jws: string };
  keys: Array<{ owner: string; jwks: { keys: JsonWebKey[] } }>;
}

/**
 * Verifies a chain of ledger archive files, oldest first: each names the previous one's digest, they
 * cover consecutive leaves from 0, every line is a valid entry, and the leaves so far rebuild the
 * signed root of the checkpoint each file ends on.
 */
export async function verifyArchiveChain(files: Array<{ name: string; content: Buffer }>): Promise<ArchiveVerdict> {
  const root = new RootAccumulator();
  let previous: { name: string; digest: string } | undefined;
  let entries = 0;
  const fail = (failure: string): ArchiveVerdict => ({ ok: false, files: files.length, entries, failure });
  for (const file of files) {
    const lines = file.content.toString('utf8').split('\n').filter((l) => l.length > 0);
    let header: ArchiveHeader;
    try {
      header = JSON.parse(lines[0] ?? '') as ArchiveHeader;
    } catch {
      return fail(`${file.name}: the first line is not a JSON header`);
    }
    if (header.format !== 'tongban-ledger-archive/1') return fail(`${file.name}: not a tongban-ledger-archive/1 file`);
    if ((header.previous?.digest ?? null) !== (previous?.digest ?? null)) {
      return fail(`${file.name}: names previous archive ${header.previous?.digest ?? 'none'}, but the file before it${previous ? ` (${previous.name}) has ${previous.digest}` : ' is missing'}`);
    }
    if (header.firstIndex !== root.size) return fail(`${file.name}: starts at leaf ${header.firstIndex}, expected ${root.size}`);
    for (const line of lines.slice(1)) {
      const { index, leaf } = JSON.parse(line) as { index: number; leaf: string };
      if (index !== root.size) return fail(`${file.name}: leaf ${root.size} is missing (found ${index})`);
      try {
        root.push(entryLeafHash(parseLedgerEntry(leaf)));
      } catch (error) {
        return fail(`${file.name}: leaf ${index} is not a valid ledger entry: ${(error as Error).message}`);
      }
      entries += 1;
    }
    if (root.size !== header.lastIndex + 1) return fail(`${file.name}: header says leaves up to ${header.lastIndex}, the file holds up to ${root.size - 1}`);
    const keys = new KeyRing(header.keys.filter((k) => k.owner === CHECKPOINT_KEY_OWNER));
    let checkpoint;
    try {
      checkpoint = await verifyCheckpoint(header.checkpoint.jws, keys, CHECKPOINT_KEY_OWNER);
    } catch (error) {
      return fail(`${file.name}: its checkpoint does not verify: ${(error as Error).message}`);
    }
    if (checkpoint.treeSize !== root.size || checkpoint.rootHash !== root.root().toString('hex')) {
      return fail(`${file.name}: the leaves up to ${root.size - 1} do not rebuild the signed root of checkpoint ${checkpoint.treeSize} — a leaf was changed`);
    }
    previous = { name: file.name, digest: sha256Digest(file.content) };
  }
  return { ok: true, files: files.length, entries };
}
