import { LedgerEntryKind, isLedgerEntryKind } from './entry-kind';
import type { LedgerEntry } from './entry';
import { LedgerError, LedgerErrorCode } from './ledger.error';
import { isRfc3339Utc } from './rfc3339';

const UUID_V7_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
// Partner systems choose message ids (some still v4), and RFC 9562 lets them use upper case.
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// District ids follow the alliance file's id pattern (@tongban/config ID_PATTERN).
const ID = '[A-Za-z0-9][A-Za-z0-9._-]{0,63}';
const ACTOR_RE = new RegExp(`^(?:(?:operator|auditor):${ID}|${ID})$`);
const DETAIL_KEY_RE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const NOT_BLANK_RE = /\S/;
const TEXT_MAX = 256;
const DETAIL_TEXT_MAX = 1024;
const DETAIL_KEYS_MAX = 32;

type Rule = (value: unknown) => string | null;

function isLowerHex(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

const isDigest = (v: unknown): boolean => typeof v === 'string' && v.length === 71 && v.startsWith('sha256:') && isLowerHex(v, 7);
const isUuid = (v: unknown): boolean => typeof v === 'string' && UUID_RE.test(v);
const isText = (v: unknown): boolean => typeof v === 'string' && v.length <= TEXT_MAX && NOT_BLANK_RE.test(v);

const text: Rule = (v) => (isText(v) ? null : `must be a non-empty string of at most ${TEXT_MAX} characters`);
const digest: Rule = (v) => (isDigest(v) ? null : 'must be "sha256:" followed by 64 lowercase hex digits');

function detailProblem(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'must be a flat JSON object';
  const keys = Object.keys(v);
  if (keys.length > DETAIL_KEYS_MAX) return `must have at most ${DETAIL_KEYS_MAX} members`;
  for (const key of keys) {
    if (!DETAIL_KEY_RE.test(key)) return `has a member name that is not ${DETAIL_KEY_RE.source}`;
    const value = (v as Record<string, unknown>)[key];
    const ok =
      value === null ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      (typeof value === 'string' && value.length <= DETAIL_TEXT_MAX);
    if (!ok) return `member "${key}" must be a string of at most ${DETAIL_TEXT_MAX} characters, a finite number, a boolean or null`;
  }
  return null;
}

/** In field order of LedgerEntry, which is also the order in which problems are reported. */
const RULES = new Map<string, Rule>([
  ['v', (v) => (v === 1 ? null : 'must be 1')],
  ['id', (v) => (typeof v === 'string' && UUID_V7_RE.test(v) ? null : 'must be a lowercase UUID v7')],
  ['kind', (v) => (isLedgerEntryKind(v) ? null : `must be one of ${Object.values(LedgerEntryKind).join(', ')}`)],
  ['at', (v) => (isRfc3339Utc(v) ? null : 'must be an RFC 3339 date-time in UTC (ending in Z)')],
  ['actor', (v) => (typeof v === 'string' && ACTOR_RE.test(v) ? null : "must be a district id, 'gateway', 'operator:<name>' or 'auditor:<name>'")],
  ['caseNumber', text],
  ['messageId', (v) => (isUuid(v) ? null : 'must be a UUID')],
  ['messageType', text],
  ['sender', text],
  ['recipient', text],
  ['digest', digest],
  ['receiptDigest', digest],
  ['code', text],
  ['fromState', text],
  ['toState', text],
  ['detail', detailProblem],
]);

const ALWAYS_REQUIRED = ['v', 'id', 'kind', 'at', 'actor'] as const;

/** What each kind cannot do without: the fields that make the event checkable later. */
const REQUIRED_BY_KIND: Partial<Record<LedgerEntryKind, readonly (keyof LedgerEntry)[]>> = {
  [LedgerEntryKind.MESSAGE_ACCEPTED]: ['messageId', 'digest'],
  [LedgerEntryKind.RECEIPT_ISSUED]: ['messageId', 'digest', 'receiptDigest'],
  [LedgerEntryKind.MESSAGE_REJECTED]: ['code'],
  [LedgerEntryKind.MESSAGE_DELIVERED]: ['messageId'],
  [LedgerEntryKind.MESSAGE_ACKNOWLEDGED]: ['messageId'],
  [LedgerEntryKind.MESSAGE_DEAD_LETTERED]: ['messageId', 'code'],
  [LedgerEntryKind.MESSAGE_REPLAYED]: ['messageId'],
  [LedgerEntryKind.CASE_STATE_CHANGED]: ['caseNumber', 'toState'],
};

/** The message names the field and never echoes its value: it might be personal data. */
function entryError(field: string, problem: string): LedgerError {
  return new LedgerError(LedgerErrorCode.INVALID_ENTRY, `ledger entry field "${field}" ${problem}`, { field });
}

const isDetail = (v: unknown): boolean => detailProblem(v) === null;
const NOTHING_MORE: readonly (keyof LedgerEntry)[] = [];
/** 1 for a valid member, 0 for an absent one, and enough below zero to spoil the count otherwise. */
const optional = (v: unknown, valid: (v: unknown) => boolean): number => (v === undefined ? 0 : valid(v) ? 1 : -100);

/**
 * The same rules as RULES, written out field by field: the verifier runs this per entry, and
 * monomorphic property reads are several times faster than a loop over rules. True when valid;
 * false also when undecided (a member holding undefined), firstProblem then decides.
 */
export function isValidEntryFast(r: Record<string, unknown>): boolean {
  if (r.v !== 1 || typeof r.id !== 'string' || !UUID_V7_RE.test(r.id) || !isLedgerEntryKind(r.kind) || !isRfc3339Utc(r.at)) return false;
  if (typeof r.actor !== 'string' || !ACTOR_RE.test(r.actor)) return false;
  const members =
    5 +
    optional(r.caseNumber, isText) +
    optional(r.messageId, isUuid) +
    optional(r.messageType, isText) +
    optional(r.sender, isText) +
    optional(r.recipient, isText) +
    optional(r.digest, isDigest) +
    optional(r.receiptDigest, isDigest) +
    optional(r.code, isText) +
    optional(r.fromState, isText) +
    optional(r.toState, isText) +
    optional(r.detail, isDetail);
  // Closed record: no member besides the known ones.
  if (members !== Object.keys(r).length) return false;
  for (const field of REQUIRED_BY_KIND[r.kind] ?? NOTHING_MORE) {
    if (r[field] === undefined) return false;
  }
  return true;
}

/** The first problem in a fixed order (field order of LedgerEntry), whatever the member order; null if none. */
export function firstProblem(record: Record<string, unknown>): LedgerError | null {
  for (const field of ALWAYS_REQUIRED) {
    if (record[field] === undefined) return entryError(field, 'is missing');
  }
  for (const [field, rule] of RULES) {
    const v = record[field];
    if (v === undefined) continue;
    const problem = rule(v);
    if (problem !== null) return entryError(field, problem);
  }
  for (const field of Object.keys(record)) {
    if (!RULES.has(field) && record[field] !== undefined) return entryError(field, 'is not allowed');
  }
  for (const field of REQUIRED_BY_KIND[record.kind as LedgerEntryKind] ?? []) {
    if (record[field] === undefined) return entryError(field, `is required for kind ${String(record.kind)}`);
  }
  return null;
}

/**
 * Checks a ledger entry: a closed record (an unknown field would be hashed yet ignored by every
 * reader, i.e. smuggled data), each field's form, and the fields its kind requires. A member
 * whose value is undefined counts as absent, as canonical JSON drops it.
 */
export function assertLedgerEntry(value: unknown): asserts value is LedgerEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LedgerError(LedgerErrorCode.INVALID_ENTRY, 'ledger entry must be a JSON object', { field: '' });
  }
  const record = value as Record<string, unknown>;
  if (isValidEntryFast(record)) return;
  const problem = firstProblem(record);
  if (problem) throw problem;
}

/** Parses and checks the JSON text of a leaf. Does not require it to be canonical: see README. */
export function parseLedgerEntry(text: string): LedgerEntry {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new LedgerError(LedgerErrorCode.INVALID_ENTRY, 'ledger entry is not JSON', { field: '' });
  }
  assertLedgerEntry(value);
  return value;
}
