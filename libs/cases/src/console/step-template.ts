import type { District, ServiceItem } from '@tongban/config';
import { MessageType } from '@tongban/envelope';
import { CaseState } from '../case-state';

/** What the gateway knows when a staff member opens a step's form on a case. */
export interface StepFacts {
  now: Date;
  /** The staff member's name as it goes into officer fields. */
  officer: string;
  /** The staff member's own district (the one that signs the step). */
  district: District;
  state: CaseState;
  item: ServiceItem | undefined;
  /** Due dates of the item's limits counted from now in the approving district's calendar, when known. */
  promisedDueAt: Date | null;
  statutoryDueAt: Date | null;
  /** The submission's payload (canonical), for its materials, mailed originals and courier choice. */
  submission: Record<string, unknown> | null;
  /** The latest supplement request's payload, for the supplement that answers it. */
  supplementRequest: Record<string, unknown> | null;
  /** For 签收: the submission's message id and envelope digest. */
  submissionRef: { messageId: string; envelopeDigest: string } | null;
}

/**
 * A step's form, filled in with what the gateway knows for certain: who acts (the signed-in staff
 * member and their district), when (now), what the case already says (the submission's materials and
 * waybill, the supplement request being answered, the item's limits). Everything only the officer
 * knows — notice numbers, reasons, certificate numbers — stays empty for them to enter, so a form
 * sent without reading it fails the contract instead of carrying made-up facts.
 */
export function stepTemplate(type: MessageType, f: StepFacts): Record<string, unknown> {
  const at = f.now.toISOString();
  const body = { name: f.district.name, uscc: f.district.serviceCentreUscc };
  const materials = (f.submission?.materials as Array<Record<string, unknown>> | undefined) ?? [];
  switch (type) {
    case MessageType.CASE_ACKNOWLEDGEMENT:
      return {
        ...(f.submissionRef ? { acknowledgedMessageId: f.submissionRef.messageId, acknowledgedEnvelopeDigest: f.submissionRef.envelopeDigest } : {}),
        signedBy: { officer: f.officer, body: f.district.name },
        signedAt: at,
      };
    case MessageType.SUPPLEMENT_REQUEST:
      return {
        phase: f.state === CaseState.ACCEPTED || f.state === CaseState.IN_REVIEW ? 'AFTER_ACCEPTANCE' : 'BEFORE_ACCEPTANCE',
        items: [],
        requestedAt: at,
        officer: f.officer,
      };
    case MessageType.SUPPLEMENT: {
      const requested = (f.supplementRequest?.items as Array<{ materialCode?: string; name: string }> | undefined) ?? [];
      return {
        ...(typeof f.supplementRequest?.noticeNumber === 'string' ? { noticeNumber: f.supplementRequest.noticeNumber } : {}),
        // One line per requested item, to be ticked off as the applicant brings it.
        materials: requested.map((r) => ({ ...(r.materialCode ? { code: r.materialCode } : {}), name: r.name, form: 'COPY', count: 1, receivedAt: at })),
        submittedAt: at,
      };
    }
    case MessageType.ACCEPTANCE:
    case MessageType.TOLERANCE_ACCEPTANCE:
      return {
        acceptingBody: body,
        officer: f.officer,
        acceptedAt: at,
        ...(f.promisedDueAt ? { promisedDueAt: f.promisedDueAt.toISOString() } : {}),
        ...(f.statutoryDueAt ? { statutoryDueAt: f.statutoryDueAt.toISOString() } : {}),
        ...(f.district.regionCode ? { regionCode: f.district.regionCode } : {}),
        ...(type === MessageType.TOLERANCE_ACCEPTANCE ? { pendingItems: [], applicantPromise: { signedAt: at } } : {}),
      };
    case MessageType.NON_ACCEPTANCE:
      return { decidedAt: at, officer: f.officer };
    case MessageType.PROCESSING_STEP:
      return { step: 'UNDERTAKE', action: 'PASS', handler: f.officer, startedAt: at, endedAt: at };
    case MessageType.SUSPENSION:
      return { startedAt: at };
    case MessageType.RESUMPTION:
      return { resumedAt: at };
    case MessageType.CONCLUSION:
      return {
        decision: 'APPROVED',
        officer: f.officer,
        concludedAt: at,
        resultCode: 'APPROVED',
        certificate: { issuer: f.district.name },
        byCourier: Boolean(f.submission?.mailing),
      };
    case MessageType.RESULT_RETURN:
      return { method: f.submission?.mailing ? 'MAIL' : 'ELECTRONIC', returnedAt: at };
    case MessageType.ORIGINALS_MAILED: {
      const waybill = f.submission?.originalsMailed as { waybillNumber?: string; carrier?: string } | undefined;
      return {
        waybill: { ...(waybill?.waybillNumber ? { number: waybill.waybillNumber } : {}), ...(waybill?.carrier ? { carrier: waybill.carrier } : {}), sentAt: at },
        materials: materials.filter((m) => m.form === 'ORIGINAL').map((m) => m.code),
      };
    }
    case MessageType.DELIVERY_CONFIRMATION:
      return { method: f.submission?.mailing ? 'MAIL_DELIVERED' : 'WINDOW_HANDOVER', deliveredAt: at, officer: f.officer };
    case MessageType.EVALUATION:
      return { target: 'WINDOW_SERVICE', round: 1, channel: 'HALL_TABLET', evaluatedAt: at, evaluator: { kind: 'APPLICANT' } };
    case MessageType.WITHDRAWAL:
      return { requestedBy: 'APPLICANT', requestedAt: at };
    case MessageType.TERMINATION:
      return { terminatedAt: at, officer: f.officer };
    default:
      return {};
  }
}
