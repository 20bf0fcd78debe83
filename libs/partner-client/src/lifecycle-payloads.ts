import { MessageType } from '@tongban/envelope';

const now = () => new Date().toISOString();
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
function requireFile<T>(file: T | undefined, what: string): T {
  if (!file) throw new Error(`Upload ${what} first (POST /v1/materials) and pass its reference`);
  return file;
}

/**
 * Demo payloads for every lifecycle step after the submission, valid against the 1.0.0 contracts —
 * used by `tongban demo`, the lifecycle tests, and as examples for integrators. `variant` picks the
 * branch where a step has several (e.g. a conclusion 准予 or 不予).
 */
export function demoLifecyclePayload(
  type: MessageType,
  variant: string = 'default',
  /** An uploaded material for steps that carry a file (an electronic result); required for those. */
  file?: { digest: string; size: number; mediaType: string; name: string },
): Record<string, unknown> {
  switch (type) {
    case MessageType.SUPPLEMENT_REQUEST:
      return {
        phase: variant === 'after-acceptance' ? 'AFTER_ACCEPTANCE' : 'BEFORE_ACCEPTANCE',
        noticeNumber: `BZ-${Date.now()}`,
        items: [
          { materialCode: 'M002', name: '劳动合同', problem: 'MISSING' },
          { name: '社保缴纳证明', problem: 'EXPIRED', note: '需近6个月' },
        ],
        requestedAt: now(),
        officer: 'approver-01',
      };
    case MessageType.SUPPLEMENT:
      return {
        noticeNumber: `BZ-${Date.now()}`,
        materials: [
          file
            ? { code: 'M002', name: '劳动合同', form: 'ELECTRONIC', count: 1, receivedAt: now(), file }
            : { code: 'M002', name: '劳动合同', form: 'COPY', count: 1, receivedAt: now() },
        ],
        submittedAt: now(),
      };
    case MessageType.ACCEPTANCE:
      return acceptance();
    case MessageType.TOLERANCE_ACCEPTANCE:
      return {
        ...acceptance(),
        pendingItems: [{ materialCode: 'M003', name: '社保缴纳证明', dueAt: inDays(variant === 'overdue' ? -1 : 5) }],
        applicantPromise: { signedAt: now(), promiseText: '本人承诺在期限内补齐材料' },
      };
    case MessageType.NON_ACCEPTANCE:
      return { decidedAt: now(), officer: 'approver-01', noticeNumber: `BYSL-${Date.now()}`, reason: '申请事项不属于本机关职权范围', legalBasis: '《行政许可法》第三十二条' };
    case MessageType.PROCESSING_STEP:
      return { step: variant === 'review' ? 'REVIEW' : variant === 'approve' ? 'APPROVE' : 'UNDERTAKE', action: 'PASS', handler: 'officer-02', opinion: '材料齐全，符合条件', startedAt: now(), endedAt: now() };
    case MessageType.SUSPENSION:
      return { kind: 'EXPERT_REVIEW', reason: '需组织专家评审', legalBasis: '《行政许可法》第四十五条', startedAt: now() };
    case MessageType.RESUMPTION:
      return { resumedAt: now(), result: '专家评审通过' };
    case MessageType.CONCLUSION:
      return variant === 'denied'
        ? { decision: 'DENIED', officer: 'approver-01', concludedAt: now(), resultCode: 'DENIED', reasons: ['申请人不符合引进条件'], byCourier: false }
        : {
            decision: 'APPROVED',
            officer: 'approver-01',
            concludedAt: now(),
            resultCode: 'APPROVED',
            certificate: { name: '无犯罪记录证明', number: `WFZ-${Date.now()}`, issuer: '深圳市公安局罗湖分局' },
            byCourier: variant === 'mail',
          };
    case MessageType.RESULT_RETURN:
      return variant === 'mail'
        ? { method: 'MAIL', waybill: { number: 'SF1234567890', carrier: 'EMS', sentAt: now() }, returnedAt: now() }
        : { method: 'ELECTRONIC', resultFile: requireFile(file, 'an electronic result'), returnedAt: now() };
    case MessageType.ORIGINALS_MAILED:
      return { waybill: { number: 'EMS9876543210', carrier: 'EMS', sentAt: now() }, materials: ['M001'] };
    case MessageType.DELIVERY_CONFIRMATION:
      return { method: 'WINDOW_HANDOVER', deliveredAt: now(), officer: 'desk-07' };
    case MessageType.EVALUATION:
      return {
        target: 'WINDOW_SERVICE',
        round: variant === 'round-2' ? 2 : 1,
        level: variant === 'round-2' ? 'VERY_SATISFIED' : 'BASIC_SATISFIED',
        channel: 'HALL_TABLET',
        evaluatedAt: now(),
        evaluator: { kind: 'APPLICANT' },
        ...(variant === 'round-2' ? { comment: '问题已解决' } : {}),
      };
    case MessageType.WITHDRAWAL:
      return { requestedBy: 'APPLICANT', requestedAt: now(), reason: '申请人自愿撤回' };
    case MessageType.TERMINATION:
      return { reason: '容缺材料逾期未补齐', reasonCode: variant === 'other' ? 'OTHER' : 'MISSING_TOLERATED_ITEMS', terminatedAt: now(), officer: 'approver-01' };
    default:
      throw new Error(`No demo payload for ${type}`);
  }
}

function acceptance(): Record<string, unknown> {
  return {
    acceptingBody: { name: '深圳市罗湖区政务服务中心', uscc: '11440303TB0000052B' },
    officer: 'approver-01',
    acceptedAt: now(),
    noticeNumber: `SL-${Date.now()}`,
    promisedDueAt: inDays(10),
  };
}
