/** The canonical case states of DOMAIN.md §4; partners' own codes are mapped at the edge. */
export enum CaseState {
  COLLECTED = 'COLLECTED',
  DISPATCHED = 'DISPATCHED',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  SUPPLEMENT_REQUESTED = 'SUPPLEMENT_REQUESTED',
  ACCEPTED = 'ACCEPTED',
  NOT_ACCEPTED = 'NOT_ACCEPTED',
  IN_REVIEW = 'IN_REVIEW',
  SUSPENDED = 'SUSPENDED',
  APPROVED = 'APPROVED',
  DENIED = 'DENIED',
  CONCLUDED = 'CONCLUDED',
  RESULT_RETURNED = 'RESULT_RETURNED',
  RESULT_IN_TRANSIT = 'RESULT_IN_TRANSIT',
  DELIVERED = 'DELIVERED',
  WITHDRAWN = 'WITHDRAWN',
  TERMINATED = 'TERMINATED',
}

/** Which side of a case may take a step. */
export enum CaseParty {
  COLLECTING = 'COLLECTING',
  APPROVING = 'APPROVING',
}

/** Where a message stands on its way to the recipient: what either side sees when it asks. */
export enum MessageStatus {
  ACCEPTED = 'ACCEPTED',
  QUEUED = 'QUEUED',
  DELIVERED = 'DELIVERED',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  DEAD_LETTERED = 'DEAD_LETTERED',
}
