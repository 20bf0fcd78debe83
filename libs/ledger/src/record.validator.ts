import { LedgerError, LedgerErrorCode } from './ledger.error';

/** Returns null when the value is fine, else what is wrong with it ("must be …"). */
export type FieldRule = (value: unknown) => string | null;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a closed record of required fields; `what` names the record in messages, which name the
 * field and never echo its value. Closed, because a signed field nobody reads is smuggled data.
 */
export function assertRecord(what: string, value: unknown, rules: Record<string, FieldRule>): asserts value is Record<string, unknown> {
  if (!isPlainObject(value)) throw new LedgerError(LedgerErrorCode.MALFORMED_BODY, `${what} must be a JSON object`, { field: '' });
  for (const [field, rule] of Object.entries(rules)) {
    const problem = value[field] === undefined ? 'is missing' : rule(value[field]);
    if (problem !== null) throw new LedgerError(LedgerErrorCode.MALFORMED_BODY, `${what} field "${field}" ${problem}`, { field });
  }
  for (const field of Object.keys(value)) {
    if (!Object.hasOwn(rules, field)) throw new LedgerError(LedgerErrorCode.MALFORMED_BODY, `${what} field "${field}" is not allowed`, { field });
  }
}
