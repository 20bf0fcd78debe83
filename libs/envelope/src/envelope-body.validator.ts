import { EnvelopeError, EnvelopeErrorCode } from './envelope.error';
import type { EnvelopeBody } from './envelope.types';
import { isMessageType, MessageType } from './message-type';

// Accepts any RFC 9562 layout (v4 from older partner systems, v7 from ours); case-insensitive
// because the RFC says so, even though we emit lowercase.
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;

/** Something is wrong with one named field; the message never echoes the value (it may be personal data). */
function bodyError(what: string, field: string, problem: string): EnvelopeError {
  return new EnvelopeError(EnvelopeErrorCode.MALFORMED_BODY, `${what} field "${field}" ${problem}`, { field });
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_RE.test(value);
}

export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && DIGEST_RE.test(value);
}

/**
 * RFC 3339 date-time with an explicit offset. The calendar check matters: `Date.parse` silently
 * rolls 02-30 over into March, and a signed timestamp that means something else than it says
 * is worse than a rejected one.
 */
export function isRfc3339(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = RFC3339_RE.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return false;
  // second 60 is a leap second, which RFC 3339 allows.
  if (hour > 23 || minute > 59 || second > 60) return false;
  if (m[7] !== undefined && (Number(m[8]) > 23 || Number(m[9]) > 59)) return false;
  return true;
}

export type FieldRule = 'text' | 'uuid' | 'rfc3339' | 'digest';

/** Checks a closed record of required fields; `what` names the record in messages. */
export function assertFields(
  what: string,
  value: unknown,
  rules: Record<string, FieldRule | ((v: unknown) => string | null)>,
): asserts value is Record<string, unknown> {
  if (!isPlainObject(value)) {
    throw new EnvelopeError(EnvelopeErrorCode.MALFORMED_BODY, `${what} must be a JSON object`);
  }
  for (const [field, rule] of Object.entries(rules)) {
    const v = value[field];
    if (v === undefined) throw bodyError(what, field, 'is missing');
    let problem: string | null = null;
    if (typeof rule === 'function') {
      problem = rule(v);
    } else if (typeof v !== 'string' || v.trim() === '') {
      problem = 'must be a non-empty string';
    } else if (rule === 'uuid' && !isUuid(v)) {
      problem = 'must be a UUID';
    } else if (rule === 'rfc3339' && !isRfc3339(v)) {
      problem = 'must be an RFC 3339 date-time with offset';
    } else if (rule === 'digest' && !isDigest(v)) {
      problem = 'must be "sha256:" followed by 64 lowercase hex digits';
    }
    if (problem !== null) throw bodyError(what, field, problem);
  }
  // Closed: an extra field would be signed yet ignored by every consumer, i.e. smuggled data.
  for (const field of Object.keys(value)) {
    if (!(field in rules)) throw bodyError(what, field, 'is not allowed');
  }
}

const BODY_RULES = {
  messageId: 'uuid',
  caseNumber: 'text',
  collaborationId: 'text',
  sender: 'text',
  recipient: 'text',
  messageType: (v: unknown) => (isMessageType(v) ? null : `must be one of ${Object.values(MessageType).join(', ')}`),
  sentAt: 'rfc3339',
  // The payload's own shape is the contract schema's job (@tongban/contracts).
  payload: (v: unknown) => (isPlainObject(v) ? null : 'must be a JSON object'),
} as const;

export function assertEnvelopeBody(value: unknown): asserts value is EnvelopeBody {
  assertFields('body', value, BODY_RULES);
}
