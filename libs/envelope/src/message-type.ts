/**
 * The catalogue of message types that cross the gateway. Adding a type means: a member here,
 * its contract id below, a folder under contracts/<contract-id>/ and a payload type in
 * @tongban/contracts. message-type.spec.ts fails when a type has no contract on disk.
 */
export enum MessageType {
  CASE_SUBMISSION = 'case.submission',
  CASE_ACKNOWLEDGEMENT = 'case.acknowledgement',
}

/** A Record over the enum so that forgetting the contract id of a new type is a compile error. */
export const CONTRACT_ID_BY_TYPE: Record<MessageType, string> = {
  [MessageType.CASE_SUBMISSION]: 'case-submission',
  [MessageType.CASE_ACKNOWLEDGEMENT]: 'case-acknowledgement',
};

const MESSAGE_TYPES: ReadonlySet<string> = new Set(Object.values(MessageType));

export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && MESSAGE_TYPES.has(value);
}
