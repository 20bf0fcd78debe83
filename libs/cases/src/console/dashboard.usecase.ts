import { Injectable } from '@nestjs/common';
import { CaseError, CaseErrorCode } from '../case-error';
import { Clock } from '../ports/clock.port';
import { DashboardDeadlineRow, DashboardFigureRow, DashboardStore } from '../ports/dashboard-store.port';
import { ExchangePolicy } from '../ports/exchange-policy.port';
import type { StaffPrincipal } from '../staff/login.usecase';
import { StaffRole, StaffStore } from '../staff/staff.ports';
import { localDate, periodInstants, summarise } from './dashboard.figures';

/** A running case is at risk when its promised due date falls within this many working days. */
export const AT_RISK_WORKING_DAYS = 2;
/** Entries per list on the screen; the counts cover all. */
export const DASHBOARD_LIST_LIMIT = 50;

export interface DashboardQuery {
  /** Local dates (+08:00), both included; default: this month up to today. */
  from?: string;
  to?: string;
}

/**
 * The supervisor dashboard (数据大屏): the district's cases collected for partners (outgoing) and
 * received from them (incoming) in a period, per partner and per item — completion and on-time rates,
 * working days against the limits, satisfaction — and, whatever the period, the running cases past or
 * near their promised due date. Supervisors only; every view (or refusal) is in the staff audit trail.
 * See DashboardFigures for how each figure is defined.
 */
@Injectable()
export class DashboardUseCase {
  constructor(
    private readonly store: DashboardStore,
    private readonly staff: StaffStore,
    private readonly policy: ExchangePolicy,
    private readonly clock: Clock,
  ) {}

  async view(staff: StaffPrincipal, query: DashboardQuery, ip: string | null) {
    const now = this.clock.now();
    const period = { from: query.from ?? `${localDate(now).slice(0, 8)}01`, to: query.to ?? localDate(now) };
    const audit = (result: string) =>
      this.staff.audit({ at: now, username: staff.username, district: staff.district, action: 'dashboard.view', target: `${period.from}/${period.to}`, result, ip });
    try {
      if (!staff.roles.includes(StaffRole.SUPERVISOR)) {
        throw new CaseError(CaseErrorCode.ROLE_REQUIRED, 'The dashboard is for supervisors.', { requiredRole: StaffRole.SUPERVISOR });
      }
      const view = await this.build(staff.district, period, now);
      await audit('OK');
      return view;
    } catch (error) {
      await audit(error instanceof CaseError ? error.code : 'ERROR');
      throw error;
    }
  }

  private async build(district: string, period: { from: string; to: string }, now: Date) {
    const { from, to } = periodInstants(period.from, period.to);
    const partners = this.partnersOf(district);
    const [rows, deadlines] = await Promise.all([
      this.store.figures(district, from, to),
      this.store.deadlines(district, now, this.horizons([district, ...partners], now), DASHBOARD_LIST_LIMIT),
    ]);
    const byDirection = (group: DashboardFigureRow[]) => ({
      all: summarise(group),
      outgoing: summarise(group.filter((r) => r.direction === 'outgoing')),
      incoming: summarise(group.filter((r) => r.direction === 'incoming')),
    });
    // Every partner and item of the district's agreements is listed, with zeros when it had no cases.
    const partnerIds = [...new Set([...partners, ...rows.map((r) => r.partner)])];
    const itemCodes = [...new Set([...this.itemsOf(district), ...rows.map((r) => r.itemCode)])];
    return {
      district: this.district(district),
      period,
      generatedAt: now.toISOString(),
      atRiskWorkingDays: AT_RISK_WORKING_DAYS,
      totals: byDirection(rows),
      byPartner: partnerIds.map((id) => ({ partner: this.district(id), ...byDirection(rows.filter((r) => r.partner === id)) })),
      byItem: itemCodes.map((code) => ({
        item: this.item(code, rows.find((r) => r.itemCode === code)?.itemName),
        ...byDirection(rows.filter((r) => r.itemCode === code)),
      })),
      overdue: { count: deadlines.overdueCount, cases: deadlines.overdue.map((c) => this.entry(c, now)) },
      atRisk: { count: deadlines.atRiskCount, cases: deadlines.atRisk.map((c) => this.entry(c, now)) },
    };
  }

  /** Each approving district's at-risk horizon: the end of the 2nd working day after today, in its calendar. */
  private horizons(districts: string[], now: Date): Map<string, Date> {
    return new Map(
      districts.map((d) => {
        try {
          return [d, this.policy.calendars.forDistrict(d).addWorkingDays(now, AT_RISK_WORKING_DAYS)];
        } catch {
          // No calendar for the coming days yet (late December before the State Council's notice):
          // natural days, so a case due tomorrow is still flagged.
          return [d, new Date(now.getTime() + AT_RISK_WORKING_DAYS * 86_400_000)];
        }
      }),
    );
  }

  /** A list entry: no applicant data, only what a supervisor needs to chase the case. */
  private entry(c: DashboardDeadlineRow, now: Date) {
    let workingDaysLeft: number | null = null;
    try {
      const calendar = this.policy.calendars.forDistrict(c.approvingDistrict);
      workingDaysLeft = c.promisedDueAt > now ? calendar.workingDaysBetween(now, c.promisedDueAt) : -calendar.workingDaysBetween(c.promisedDueAt, now);
    } catch {
      workingDaysLeft = null; // no calendar for that year yet: the screen shows the date alone
    }
    return {
      caseNumber: c.caseNumber,
      direction: c.direction,
      partner: this.district(c.partner),
      item: this.item(c.itemCode, c.itemName),
      promisedDueAt: c.promisedDueAt.toISOString(),
      workingDaysLeft,
    };
  }

  private partnersOf(district: string): string[] {
    return this.policy.alliance.partnersOf(district);
  }

  private itemsOf(district: string): string[] {
    const agreements = this.policy.alliance.agreements.filter((a) => a.collectingDistrict === district || a.approvingDistrict === district);
    return [...new Set(agreements.flatMap((a) => a.items.map((i) => i.implementationCode)))];
  }

  private district(id: string) {
    const d = this.policy.alliance.district(id);
    return { id, name: d?.name ?? id, nameEn: d?.nameEn ?? id };
  }

  private item(code: string, storedName?: string) {
    const item = this.policy.alliance.items.find((i) => i.implementationCode === code);
    return { code, name: item?.name ?? storedName ?? code, nameEn: item?.nameEn ?? storedName ?? code };
  }
}
