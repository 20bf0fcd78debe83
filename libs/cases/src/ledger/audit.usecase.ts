import { Injectable } from '@nestjs/common';
import { LedgerEntryKind } from '@tongban/ledger';
import { CaseError, CaseErrorCode } from '../case-error';
import { Clock } from '../ports/clock.port';
import { HandoffStore, StoredMessage } from '../ports/handoff-store.port';
import { EvidenceKeys } from '../ports/ledger-signer.port';
import { LedgerEntryFilter, LedgerStore, StoredCheckpoint, StoredLedgerEntry } from '../ports/ledger-store.port';
import { LedgerTree } from './ledger-tree';
import { checkpointView, hex, leafText } from './ledger-views';

/** An auditor: read-only, over all districts (scope undefined) or the listed ones. */
export interface Auditor {
  name: string;
  scope?: readonly string[];
}

export interface AuditQuery {
  caseNumber?: string;
  district?: string;
  messageType?: string;
  from?: Date;
  to?: Date;
  afterRowId?: string;
  limit?: number;
}

/** Most entries one bundle carries; a larger range is refused with a hint to split it. */
export const MAX_BUNDLE_ENTRIES = 200_000;
const MAX_PAGE = 1000;

/**
 * What auditors (电子监察, 审计) do: search the ledger, read a case's complete record with proofs, and
 * take away an evidence bundle that verifies offline. Every query is itself a ledger entry.
 */
@Injectable()
export class AuditUseCase {
  constructor(
    private readonly ledger: LedgerStore,
    private readonly tree: LedgerTree,
    private readonly handoffs: HandoffStore,
    private readonly keys: EvidenceKeys,
    private readonly clock: Clock,
  ) {}

  async search(auditor: Auditor, query: AuditQuery) {
    // Recorded first: a query is an event whether or not it is answered.
    await this.record(auditor, 'audit.search', query);
    const filter = this.filterFor(auditor, query, Math.min(query.limit ?? 100, MAX_PAGE));
    const entries = await this.ledger.findEntries(filter);
    return {
      entries: entries.map((e) => ({ rowId: e.rowId, index: e.leafIndex, entry: e.entry })),
      nextAfter: entries.length === filter.limit ? entries[entries.length - 1].rowId : null,
    };
  }

  /** A case's complete record: every envelope, receipt, ledger entry and its inclusion proof. */
  async caseRecord(auditor: Auditor, caseNumber: string) {
    await this.record(auditor, 'audit.case', { caseNumber });
    const record = await this.handoffs.findCase(caseNumber);
    if (!record || (auditor.scope && !auditor.scope.includes(record.collectingDistrict) && !auditor.scope.includes(record.approvingDistrict))) {
      throw new CaseError(CaseErrorCode.CASE_NOT_FOUND, `No case ${caseNumber} within your audit scope.`);
    }
    const [messages, entries, checkpoint] = await Promise.all([
      this.handoffs.listCaseMessages(caseNumber),
      this.ledger.findEntries({ caseNumber, limit: MAX_PAGE }),
      this.ledger.latestCheckpoint(),
    ]);
    const tree = await this.tree.sync();
    return {
      case: { caseNumber, state: record.state, collectingDistrict: record.collectingDistrict, approvingDistrict: record.approvingDistrict, item: { code: record.itemCode, name: record.itemName } },
      checkpoint: checkpoint ? checkpointView(checkpoint) : null,
      messages: messages.map((m) => ({ messageId: m.messageId, messageType: m.messageType, sender: m.sender, recipient: m.recipient, acceptedAt: m.acceptedAt.toISOString(), envelope: m.envelope, receipt: m.receipt })),
      entries: entries.map((e) => ({
        index: e.leafIndex,
        entry: e.entry,
        inclusionProof: checkpoint && e.leafIndex !== null && e.leafIndex < checkpoint.treeSize ? hex(tree.inclusionProof(e.leafIndex, checkpoint.treeSize)) : null,
      })),
    };
  }

  /**
   * An evidence bundle (libs/ledger/README.md): the entries in scope with their proofs to the latest
   * checkpoint, the co-signed checkpoints before it with consistency proofs, the envelopes and receipts
   * the entries name, and the keys and certificates to check them with — nothing else needed.
   */
  async bundle(auditor: Auditor, query: AuditQuery) {
    await this.record(auditor, 'audit.bundle', query);
    const latest = await this.ledger.latestCheckpoint();
    if (!latest) throw new CaseError(CaseErrorCode.NOT_YET_CHECKPOINTED, 'The ledger has no checkpoint yet; ask again in a second.');
    const tree = await this.tree.sync();
    const entries: StoredLedgerEntry[] = [];
    let afterRowId: string | undefined;
    for (;;) {
      const page = await this.ledger.findEntries({ ...this.filterFor(auditor, query, 10_000), ...(afterRowId ? { afterRowId } : {}) });
      entries.push(...page.filter((e) => e.leafIndex !== null && e.leafIndex < latest.treeSize));
      if (entries.length > MAX_BUNDLE_ENTRIES) {
        throw new CaseError(CaseErrorCode.LEDGER_QUERY_INVALID, `More than ${MAX_BUNDLE_ENTRIES} entries in scope; narrow the time range and take several bundles.`);
      }
      if (page.length < 10_000) break;
      afterRowId = page[page.length - 1].rowId;
    }
    entries.sort((a, b) => a.leafIndex! - b.leafIndex!);
    const complete = isWholeLedger(auditor, query) && entries.length === latest.treeSize;
    const checkpoints = await this.checkpointsFor(latest);
    const messageIds = new Set(entries.filter((e) => e.entry.kind === LedgerEntryKind.MESSAGE_ACCEPTED && e.entry.messageId).map((e) => e.entry.messageId!));
    const envelopes: Array<{ messageId: string; envelope: string; receipt: string | null }> = [];
    for (const messageId of messageIds) {
      const message: StoredMessage | null = await this.handoffs.findMessage(messageId);
      if (message) envelopes.push({ messageId, envelope: message.envelope, receipt: message.receipt });
    }
    return {
      format: 'tongban-evidence-bundle/1' as const,
      createdAt: this.clock.now().toISOString(),
      origin: originOf(latest),
      scope: scopeOf(query),
      keys: this.keys.publicKeys(),
      certificates: this.keys.certificates(),
      checkpoints: checkpoints.map((c) => ({ jws: c.jws, cosignatures: c.cosignatures.map((s) => s.jws) })),
      consistency: checkpoints.slice(1).map((c, i) => ({ from: checkpoints[i].treeSize, to: c.treeSize, proof: hex(tree.consistencyProof(checkpoints[i].treeSize, c.treeSize)) })),
      entries: entries.map((e) => ({
        index: e.leafIndex!,
        leaf: leafText(e.entry),
        checkpoint: latest.treeSize,
        // A complete bundle recomputes the whole tree; per-entry proofs would only repeat it.
        proof: complete ? [] : hex(tree.inclusionProof(e.leafIndex!, latest.treeSize)),
      })),
      envelopes,
      complete,
    };
  }

  /** The latest checkpoint plus up to 50 co-signed ones before it: the districts' views it must extend. */
  private async checkpointsFor(latest: StoredCheckpoint): Promise<StoredCheckpoint[]> {
    const cosigned: StoredCheckpoint[] = [];
    let from = 1;
    while (cosigned.length < 50 && from < latest.treeSize) {
      const page = await this.ledger.listCheckpoints(from, latest.treeSize - 1, 5000);
      cosigned.push(...page.filter((c) => c.cosignatures.length > 0));
      if (page.length < 5000) break;
      from = page[page.length - 1].treeSize + 1;
    }
    return [...cosigned.slice(-50), latest];
  }

  private filterFor(auditor: Auditor, query: AuditQuery, limit: number): LedgerEntryFilter {
    if (query.from && query.to && query.from > query.to) throw new CaseError(CaseErrorCode.LEDGER_QUERY_INVALID, 'from must not be after to.');
    if (query.district && auditor.scope && !auditor.scope.includes(query.district)) {
      throw new CaseError(CaseErrorCode.LEDGER_QUERY_INVALID, `District ${query.district} is outside your audit scope (${auditor.scope.join(', ')}).`);
    }
    return {
      ...(query.caseNumber ? { caseNumber: query.caseNumber } : {}),
      ...(query.district ? { district: query.district } : {}),
      ...(query.messageType ? { messageType: query.messageType } : {}),
      ...(query.from ? { from: query.from } : {}),
      ...(query.to ? { to: query.to } : {}),
      ...(query.afterRowId ? { afterRowId: query.afterRowId } : {}),
      ...(auditor.scope ? { scope: auditor.scope } : {}),
      limit,
    };
  }

  private record(auditor: Auditor, action: string, query: object): Promise<void> {
    // The query's terms, not what it returned: case numbers and district ids, no personal data.
    const target = Object.entries(query)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${v instanceof Date ? v.toISOString() : String(v)}`)
      .join('&');
    return this.ledger.recordQuery(this.clock.now(), `auditor:${auditor.name}`, action, target || '*');
  }
}

function isWholeLedger(auditor: Auditor, q: AuditQuery): boolean {
  return !auditor.scope && !q.caseNumber && !q.district && !q.messageType && !q.from && !q.to && !q.afterRowId;
}

function scopeOf(q: AuditQuery) {
  if (q.caseNumber) return { kind: 'case' as const, caseNumber: q.caseNumber };
  if (q.district) return { kind: 'district' as const, district: q.district, ...(q.from ? { from: q.from.toISOString() } : {}), ...(q.to ? { to: q.to.toISOString() } : {}) };
  if (q.from || q.to) return { kind: 'range' as const, ...(q.from ? { from: q.from.toISOString() } : {}), ...(q.to ? { to: q.to.toISOString() } : {}) };
  return { kind: 'all' as const };
}

function originOf(c: StoredCheckpoint): string {
  return (JSON.parse(Buffer.from(c.jws.split('.')[1], 'base64url').toString('utf8')) as { origin: string }).origin;
}
