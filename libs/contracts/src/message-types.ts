/**
 * The envelope `messageType` carried by each contract. This package cannot import
 * @tongban/envelope (it is published on its own), so the catalogue is repeated here;
 * message-types.spec.ts pins it to @tongban/envelope's CONTRACT_ID_BY_TYPE. The code generator
 * refuses a contract folder that has no entry here.
 */
export const MESSAGE_TYPE_BY_CONTRACT_ID: Readonly<Record<string, string>> = {
  'case-submission': 'case.submission',
  'case-acknowledgement': 'case.acknowledgement',
  'supplement-request': 'case.supplement-request',
  'supplement': 'case.supplement',
  'acceptance': 'case.acceptance',
  'non-acceptance': 'case.non-acceptance',
  'tolerance-acceptance': 'case.tolerance-acceptance',
  'processing-step': 'case.processing-step',
  'suspension': 'case.suspension',
  'resumption': 'case.resumption',
  'conclusion': 'case.conclusion',
  'result-return': 'case.result-return',
  'originals-mailed': 'case.originals-mailed',
  'delivery-confirmation': 'case.delivery-confirmation',
  'evaluation': 'case.evaluation',
  'withdrawal': 'case.withdrawal',
  'termination': 'case.termination',
  'deadline-event': 'case.deadline-event',
};
