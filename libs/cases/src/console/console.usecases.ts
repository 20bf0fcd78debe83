import { Injectable } from '@nestjs/common';
import { CaseError, CaseErrorCode } from '../case-error';
import { allowedActions } from '../catalogue/allowed-actions';
import { GetCaseUseCase } from '../get-case/get-case.usecase';
import { Clock } from '../ports/clock.port';
import { ExchangePolicy } from '../ports/exchange-policy.port';
import { CaseRecord, HandoffStore, StoredMessage } from '../ports/handoff-store.port';
import type { StaffPrincipal } from '../staff/login.usecase';
import { StaffStore } from '../staff/staff.ports';
import { LedgerStore } from '../ports/ledger-store.port';
import { decodeEnvelope } from '@tongban/envelope';
import { LedgerEntryKind } from '@tongban/ledger';

export interface CaseListQuery {
  direction: 'outgoing' | 'incoming';
  partner?: string;
  state?: string;
  itemCode?: string;
  overdue?: boolean;
  /** Cursor from the previous page's `next`. */
  after?: string;
  limit?: number;
}

const MAX_PAGE = 100;

/**
 * What the desk console reads, on the same ports as the partner API: the items a district may collect
 * for each partner (checklist and limits), its outgoing and incoming cases, and one case with its
 * timeline and the actions open to the district. Opening a case is a view of an applicant's case and
 * is recorded in the staff audit trail.
 */
@Injectable()
export class ConsoleQueriesUseCase {
  constructor(
    private readonly store: HandoffStore,
    private readonly staff: StaffStore,
    private readonly policy: ExchangePolicy,
    private readonly getCase: GetCaseUseCase,
    private readonly clock: Clock,
    private readonly ledger: LedgerStore,
  ) {}

  /** Partners this district collects for (agreements where it may collect), with their items. */
  catalogue(district: string) {
    const { alliance } = this.policy;
    const partners = alliance.agreements
      .filter((a) => a.collectingDistrict === district || (a.bidirectional && a.approvingDistrict === district))
      .map((a) => {
        const partnerId = a.collectingDistrict === district ? a.approvingDistrict : a.collectingDistrict;
        const partner = alliance.district(partnerId)!;
        return {
          id: partner.id,
          name: partner.name,
          nameEn: partner.nameEn,
          agreement: a.id,
          mode: a.mode,
          items: a.items.map((i) => ({
            key: i.key,
            name: i.name,
            nameEn: i.nameEn,
            implementationCode: i.implementationCode,
            promisedLimit: i.promisedLimit,
            statutoryLimit: i.statutoryLimit,
            supportsCourier: i.supportsCourier,
            materials: i.materials,
          })),
        };
      });
    return { district, partners };
  }

  async listCases(staff: StaffPrincipal, query: CaseListQuery) {
    const limit = Math.min(query.limit ?? 50, MAX_PAGE);
    const now = this.clock.now();
    const rows = await this.store.listCases({
      district: staff.district,
      direction: query.direction,
      ...(query.partner ? { partner: query.partner } : {}),
      ...(query.state ? { state: query.state } : {}),
      ...(query.itemCode ? { itemCode: query.itemCode } : {}),
      ...(query.overdue ? { overdueAt: now } : {}),
      ...(query.after ? { before: decodeCursor(query.after) } : {}),
      limit,
    });
    return {
      cases: rows.map((c) => this.row(c, staff.district, now)),
      next: rows.length === limit ? encodeCursor(rows[rows.length - 1]) : null,
    };
  }

  async viewCase(staff: StaffPrincipal, caseNumber: string, ip: string | null) {
    const audit = (result: string) =>
      this.staff.audit({ at: this.clock.now(), username: staff.username, district: staff.district, action: 'case.view', target: caseNumber, result, ip });
    try {
      const { view, messages } = await this.getCase.withMessages(staff.district, caseNumber);
      const details = await this.timelineDetails(caseNumber, messages);
      await audit('OK');
      return {
        ...view,
        districtNames: { [view.collectingDistrict]: this.nameOf(view.collectingDistrict), [view.approvingDistrict]: this.nameOf(view.approvingDistrict) },
        timeline: view.timeline.map((m) => ({ ...m, ...(details.get(m.messageId) ?? { officer: null, receiptDigest: null, ledger: null }) })),
      };
    } catch (error) {
      await audit(error instanceof CaseError ? error.code : 'ERROR');
      throw error;
    }
  }

  /**
   * What the case page shows beside each message: the officer named in its payload, the digest of
   * the gateway's receipt, and whether its ledger entry is already covered by a signed checkpoint
   * (then an inclusion proof can be fetched and checked offline).
   */
  private async timelineDetails(caseNumber: string, messages: readonly StoredMessage[]) {
    const [entries, checkpoint] = await Promise.all([this.ledger.findEntries({ caseNumber, limit: 1000 }), this.ledger.latestCheckpoint()]);
    const details = new Map<string, { officer: string | null; receiptDigest: string | null; ledger: { leafIndex: number | null; status: 'CHECKPOINTED' | 'SEQUENCED' | 'PENDING'; treeSize: number | null } | null }>();
    for (const m of messages) {
      const entry = entries.find((e) => e.entry.messageId === m.messageId && e.entry.kind === LedgerEntryKind.MESSAGE_ACCEPTED);
      const receipt = entries.find((e) => e.entry.messageId === m.messageId && e.entry.kind === LedgerEntryKind.RECEIPT_ISSUED);
      const leafIndex = entry?.leafIndex ?? null;
      const status = leafIndex === null ? 'PENDING' : checkpoint && checkpoint.treeSize > leafIndex ? 'CHECKPOINTED' : 'SEQUENCED';
      details.set(m.messageId, {
        officer: officerOf(m.envelope),
        receiptDigest: receipt?.entry.receiptDigest ?? entry?.entry.receiptDigest ?? null,
        ledger: entry ? { leafIndex, status, treeSize: checkpoint?.treeSize ?? null } : null,
      });
    }
    return details;
  }

  private nameOf(district: string): { name: string; nameEn: string } {
    const d = this.policy.alliance.district(district);
    return { name: d?.name ?? district, nameEn: d?.nameEn ?? district };
  }

  private row(c: CaseRecord, district: string, now: Date) {
    const calendar = this.policy.calendars.forDistrict(c.approvingDistrict);
    const due = c.promisedDueAt;
    // Working days left in the approving district's calendar; negative once overdue.
    let workingDaysLeft: number | null = null;
    try {
      if (due) workingDaysLeft = due > now ? calendar.workingDaysBetween(now, due) : -calendar.workingDaysBetween(due, now);
    } catch {
      workingDaysLeft = null; // no calendar for that year yet: the list shows the date alone
    }
    return {
      caseNumber: c.caseNumber,
      partner: c.collectingDistrict === district ? c.approvingDistrict : c.collectingDistrict,
      partnerName: this.nameOf(c.collectingDistrict === district ? c.approvingDistrict : c.collectingDistrict),
      item: { code: c.itemCode, name: c.itemName },
      state: c.state,
      createdAt: c.createdAt.toISOString(),
      promisedDueAt: due?.toISOString() ?? null,
      workingDaysLeft,
      allowedActions: allowedActions(c, district),
    };
  }
}

function encodeCursor(c: CaseRecord): string {
  return Buffer.from(JSON.stringify([c.createdAt.toISOString(), c.caseNumber])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; caseNumber: string } {
  try {
    const [createdAt, caseNumber] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const at = new Date(createdAt);
    if (Number.isNaN(at.getTime()) || typeof caseNumber !== 'string') throw new Error('bad cursor');
    return { createdAt: at, caseNumber };
  } catch {
    throw new CaseError(CaseErrorCode.PAGE_CURSOR_INVALID, 'The page cursor is not one this console gave out; start from the first page.');
  }
}

/** Where each step names the person who acted (签收 signedBy, 收件 collectedBy, 受理/办结 officer …); null if none. */
const OFFICER_PATHS = [['officer'], ['signedBy', 'officer'], ['collectedBy', 'officer'], ['handler']];

function officerOf(envelope: string): string | null {
  try {
    const payload = decodeEnvelope(envelope).body.payload as Record<string, unknown>;
    for (const path of OFFICER_PATHS) {
      let value: unknown = payload;
      for (const key of path) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
      if (typeof value === 'string' && value.trim()) return value;
    }
  } catch {
    // an envelope the gateway accepted always decodes; a view never fails over a label
  }
  return null;
}
