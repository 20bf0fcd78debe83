import { Injectable } from '@nestjs/common';
import { CHECKPOINT_KEY_OWNER } from '@tongban/ledger';
import { CaseError, CaseErrorCode } from '../case-error';
import { Clock } from '../ports/clock.port';
import { ArchiveFiles, EvidenceKeys } from '../ports/ledger-signer.port';
import { LedgerStore } from '../ports/ledger-store.port';
import { leafText } from './ledger-views';

export const LEDGER_ARCHIVE_FORMAT = 'tongban-ledger-archive/1';

export interface ArchiveResult {
  archived: number;
  file?: string;
  digest?: string;
  leaves?: { first: number; last: number };
}

/**
 * Moves entries older than the online period out of the database into an archive file (JSON Lines:
 * a header, then one `{ index, leaf }` per entry). Archives cover consecutive leaves from 0 and end on
 * a checkpoint, so the leaves of all archives so far rebuild that checkpoint's signed root; each
 * header names the previous file's digest, so they chain. The leaves' hashes stay in the database, so
 * proofs for later entries keep working.
 */
@Injectable()
export class ArchiveLedgerUseCase {
  constructor(
    private readonly store: LedgerStore,
    private readonly files: ArchiveFiles,
    private readonly keys: EvidenceKeys,
    private readonly clock: Clock,
  ) {}

  async execute(onlineMonths: number): Promise<ArchiveResult> {
    const now = this.clock.now();
    const before = new Date(now);
    before.setUTCMonth(before.getUTCMonth() - onlineMonths);
    const previous = await this.store.lastArchive();
    const first = previous ? previous.lastIndex + 1 : 0;
    const end = await this.store.archivableEnd(first, before);
    if (end === null) return { archived: 0 };
    const checkpoint = await this.store.findCheckpoint(end);
    if (!checkpoint) throw new CaseError(CaseErrorCode.CHECKPOINT_NOT_FOUND, `No checkpoint of tree size ${end} to end the archive on.`);

    const lines: string[] = [];
    for (let from = first; from < end; from += 10_000) {
      for (const leaf of await this.store.leavesWithEntries(from, Math.min(10_000, end - from))) {
        if (!leaf.entry) {
          // Never archive what is already missing: that is tampering, for the self-check to report.
          throw new CaseError(CaseErrorCode.LEDGER_ENTRY_NOT_FOUND, `Leaf ${leaf.leafIndex} has no entry; run GET /ledger/verify before archiving.`);
        }
        lines.push(JSON.stringify({ index: leaf.leafIndex, leaf: leafText(leaf.entry.entry) }));
      }
    }
    const header = {
      format: LEDGER_ARCHIVE_FORMAT,
      createdAt: now.toISOString(),
      firstIndex: first,
      lastIndex: end - 1,
      previous: previous ? { fileName: previous.fileName, digest: previous.fileDigest } : null,
      checkpoint: { jws: checkpoint.jws },
      keys: this.keys.publicKeys().filter((k) => k.owner === CHECKPOINT_KEY_OWNER),
    };
    const fileName = `ledger-${String(first).padStart(12, '0')}-${String(end - 1).padStart(12, '0')}.jsonl`;
    const { digest } = await this.files.write(fileName, [JSON.stringify(header), ...lines]);
    const archived = await this.store.commitArchive({
      firstIndex: first,
      lastIndex: end - 1,
      checkpoint: end,
      fileName,
      fileDigest: digest,
      prevDigest: previous?.fileDigest ?? null,
      createdAt: now,
    });
    return { archived, file: fileName, digest, leaves: { first, last: end - 1 } };
  }
}
