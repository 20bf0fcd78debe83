/** What happened. String enum whose values are the names: they are written into signed leaves. */
export enum LedgerEntryKind {
  MESSAGE_ACCEPTED = 'MESSAGE_ACCEPTED',
  RECEIPT_ISSUED = 'RECEIPT_ISSUED',
  MESSAGE_REJECTED = 'MESSAGE_REJECTED',
  MESSAGE_DELIVERED = 'MESSAGE_DELIVERED',
  MESSAGE_ACKNOWLEDGED = 'MESSAGE_ACKNOWLEDGED',
  MESSAGE_DEAD_LETTERED = 'MESSAGE_DEAD_LETTERED',
  MESSAGE_REPLAYED = 'MESSAGE_REPLAYED',
  CASE_STATE_CHANGED = 'CASE_STATE_CHANGED',
  DEADLINE_EVENT = 'DEADLINE_EVENT',
  ADMIN_ACTION = 'ADMIN_ACTION',
  CONFIG_LOADED = 'CONFIG_LOADED',
  AUDITOR_QUERY = 'AUDITOR_QUERY',
  CHECKPOINT_COSIGNED = 'CHECKPOINT_COSIGNED',
}

const KINDS = new Set<string>(Object.values(LedgerEntryKind));

export function isLedgerEntryKind(value: unknown): value is LedgerEntryKind {
  return typeof value === 'string' && KINDS.has(value);
}
