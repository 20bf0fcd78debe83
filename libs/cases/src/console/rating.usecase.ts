import { Injectable } from '@nestjs/common';
import { decodeEnvelope, MessageType } from '@tongban/envelope';
import { CaseError, CaseErrorCode } from '../case-error';
import { payloadToCanonical } from '../catalogue/partner-codes';
import { Clock } from '../ports/clock.port';
import { ExchangePolicy } from '../ports/exchange-policy.port';
import { DashboardStore } from '../ports/dashboard-store.port';
import { HandoffStore } from '../ports/handoff-store.port';
import type { StaffPrincipal } from '../staff/login.usecase';
import { SendFromConsoleUseCase } from './send-from-console.usecase';

export const SATISFACTION_LEVELS = ['VERY_SATISFIED', 'SATISFIED', 'BASIC_SATISFIED', 'DISSATISFIED', 'VERY_DISSATISFIED'] as const;
export const BAD_LEVELS: readonly string[] = ['DISSATISFIED', 'VERY_DISSATISFIED'];

export interface RatingInput {
  target: 'WINDOW_SERVICE' | 'CASE_HANDLING';
  level: (typeof SATISFACTION_LEVELS)[number];
  indicatorCodes: string[];
  comment?: string;
}

/**
 * 好差评 at the window: the applicant rates on the hall's tablet; the console turns it into the case's
 * evaluation message (round 1, or 2 for the one re-rating the rules allow) and sends it as the district.
 * Bad ratings (差评) are listed for the supervisor to call back and rectify.
 */
@Injectable()
export class RatingUseCase {
  constructor(
    private readonly send: SendFromConsoleUseCase,
    private readonly store: HandoffStore,
    private readonly dashboard: DashboardStore,
    private readonly policy: ExchangePolicy,
    private readonly clock: Clock,
  ) {}

  async rate(staff: StaffPrincipal, caseNumber: string, input: RatingInput, ip: string | null) {
    const previous = (await this.store.listCaseMessages(caseNumber)).filter(
      (m) => m.messageType === MessageType.EVALUATION && m.sender === staff.district && this.payloadOf(m.sender, m.envelope).target === input.target,
    );
    if (previous.length >= 2) {
      throw new CaseError(CaseErrorCode.ACTION_NOT_ALLOWED, `Case ${caseNumber} was already rated and re-rated for ${input.target}; a rating can be changed only once.`);
    }
    const payload = {
      target: input.target,
      round: previous.length + 1,
      level: input.level,
      channel: 'HALL_TABLET',
      evaluatedAt: this.clock.now().toISOString(),
      evaluator: { kind: 'APPLICANT' },
      ...(input.indicatorCodes.length ? { indicatorCodes: input.indicatorCodes } : {}),
      ...(input.comment ? { comment: input.comment } : {}),
    };
    return this.send.execute(staff, { caseNumber, messageType: MessageType.EVALUATION, payload, ip });
  }

  /** Bad ratings on the district's cases, newest first, for the supervisor's follow-up (回访整改). */
  /**
   * 差评回访: the district's cases whose latest rating is bad (a re-rating that is no longer bad takes
   * the case off the list), with their bad ratings, newest first. Read from the indexed rating
   * columns, so the list covers every case, not only recent ones.
   */
  async followUps(staff: StaffPrincipal, limit = 200) {
    const out: Array<{ caseNumber: string; partner: string; itemName: string; messageId: string; target: string; round: number; level: string; indicatorCodes: string[]; comment: string | null; ratedAt: string }> = [];
    for (const record of await this.dashboard.badlyRated(staff.district, limit)) {
      const { caseNumber } = record;
      for (const m of await this.store.listCaseMessages(caseNumber)) {
        if (m.messageType !== MessageType.EVALUATION) continue;
        const p = this.payloadOf(m.sender, m.envelope);
        if (!BAD_LEVELS.includes(String(p.level))) continue;
        out.push({
          caseNumber,
          partner: record.collectingDistrict === staff.district ? record.approvingDistrict : record.collectingDistrict,
          itemName: record.itemName,
          messageId: m.messageId,
          target: String(p.target),
          round: Number(p.round),
          level: String(p.level),
          indicatorCodes: Array.isArray(p.indicatorCodes) ? (p.indicatorCodes as string[]) : [],
          comment: (p.comment as string) ?? null,
          ratedAt: m.acceptedAt.toISOString(),
        });
      }
    }
    return { followUps: out.sort((a, b) => b.ratedAt.localeCompare(a.ratedAt)) };
  }

  /** The evaluation payload in canonical codes, whatever the sender's system speaks. */
  private payloadOf(sender: string, envelope: string): Record<string, unknown> {
    const payload = decodeEnvelope(envelope).body.payload;
    const district = this.policy.alliance.district(sender);
    return (district && payloadToCanonical(district, 'evaluation', payload)) ?? payload;
  }
}
