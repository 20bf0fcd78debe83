/**
 * The catalogue of message types that cross the gateway. Adding a type means: a member here,
 * its contract id below, a folder under contracts/<contract-id>/ and a payload type in
 * @tongban/contracts. message-type.spec.ts fails when a type has no contract on disk.
 */
export enum MessageType {
  CASE_SUBMISSION = 'case.submission',
  CASE_ACKNOWLEDGEMENT = 'case.acknowledgement',
  SUPPLEMENT_REQUEST = 'case.supplement-request',
  SUPPLEMENT = 'case.supplement',
  ACCEPTANCE = 'case.acceptance',
  NON_ACCEPTANCE = 'case.non-acceptance',
  TOLERANCE_ACCEPTANCE = 'case.tolerance-acceptance',
  PROCESSING_STEP = 'case.processing-step',
  SUSPENSION = 'case.suspension',
  RESUMPTION = 'case.resumption',
  CONCLUSION = 'case.conclusion',
  RESULT_RETURN = 'case.result-return',
  ORIGINALS_MAILED = 'case.originals-mailed',
  DELIVERY_CONFIRMATION = 'case.delivery-confirmation',
  EVALUATION = 'case.evaluation',
  WITHDRAWAL = 'case.withdrawal',
  TERMINATION = 'case.termination',
  /** Sent by the gateway itself (sender `gateway`), never by a district. */
  DEADLINE_EVENT = 'case.deadline-event',
}

/** A Record over the enum so that forgetting the contract id of a new type is a compile error. */
export const CONTRACT_ID_BY_TYPE: Record<MessageType, string> = {
  [MessageType.CASE_SUBMISSION]: 'case-submission',
  [MessageType.CASE_ACKNOWLEDGEMENT]: 'case-acknowledgement',
  [MessageType.SUPPLEMENT_REQUEST]: 'supplement-request',
  [MessageType.SUPPLEMENT]: 'supplement',
  [MessageType.ACCEPTANCE]: 'acceptance',
  [MessageType.NON_ACCEPTANCE]: 'non-acceptance',
  [MessageType.TOLERANCE_ACCEPTANCE]: 'tolerance-acceptance',
  [MessageType.PROCESSING_STEP]: 'processing-step',
  [MessageType.SUSPENSION]: 'suspension',
  [MessageType.RESUMPTION]: 'resumption',
  [MessageType.CONCLUSION]: 'conclusion',
  [MessageType.RESULT_RETURN]: 'result-return',
  [MessageType.ORIGINALS_MAILED]: 'originals-mailed',
  [MessageType.DELIVERY_CONFIRMATION]: 'delivery-confirmation',
  [MessageType.EVALUATION]: 'evaluation',
  [MessageType.WITHDRAWAL]: 'withdrawal',
  [MessageType.TERMINATION]: 'termination',
  [MessageType.DEADLINE_EVENT]: 'deadline-event',
};

const MESSAGE_TYPES: ReadonlySet<string> = new Set(Object.values(MessageType));

export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && MESSAGE_TYPES.has(value);
}
