import { Injectable } from '@nestjs/common';
import { CaseError, CaseErrorCode } from '../case-error';
import { allowedActions } from '../catalogue/allowed-actions';
import { GetCaseUseCase } from '../get-case/get-case.usecase';
import { Clock } from '../ports/clock.port';
import { ExchangePolicy } from '../ports/exchange-policy.port';
import { CaseRecord, HandoffStore } from '../ports/handoff-store.port';
import type { StaffPrincipal } from '../staff/login.usecase';
import { StaffStore } from '../staff/staff.ports';

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
      const view = await this.getCase.execute(staff.district, caseNumber);
      await audit('OK');
      return view;
    } catch (error) {
      await audit(error instanceof CaseError ? error.code : 'ERROR');
      throw error;
    }
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
