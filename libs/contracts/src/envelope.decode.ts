/**
 * The few lines of envelope decoding this package needs, kept here so that it depends on no other
 * part of the monorepo (@tongban/envelope is the authority in the gateway). Decodes without
 * verifying the signature: integrators validate offline, without the alliance's keys.
 */

export const ENVELOPE_TYP = 'tongban-envelope+jws';

const SEGMENT_RE = /^[A-Za-z0-9_-]+$/;
export const COMPACT_JWS_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const CTR_RE =
  /^([a-z][a-z0-9]*(?:-[a-z0-9]+)*)@((?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*)?)$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RFC3339_RE = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export class EnvelopeDecodeError extends Error {}

/** A base64url segment, in its one canonical spelling (as the gateway requires). */
function decodeSegment(segment: string, name: string): string {
  if (!SEGMENT_RE.test(segment) || segment.length % 4 === 1) throw new EnvelopeDecodeError(`JWS ${name} is not base64url`);
  const bytes = Buffer.from(segment, 'base64url');
  if (bytes.toString('base64url') !== segment) throw new EnvelopeDecodeError(`JWS ${name} is not canonical base64url`);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new EnvelopeDecodeError(`JWS ${name} is not UTF-8`);
  }
}

export interface DecodedJws {
  header: Record<string, unknown>;
  /** The JWS payload as signed (UTF-8). */
  payloadText: string;
  /** The JWS payload parsed: the envelope body. */
  body: unknown;
}

/** Splits and parses a compact JWS; throws EnvelopeDecodeError on anything that is not one. */
export function decodeCompactJws(jws: string): DecodedJws {
  const parts = jws.split('.');
  if (parts.length !== 3) throw new EnvelopeDecodeError(`a compact JWS has 3 dot-separated parts, got ${parts.length}`);
  let header: unknown;
  try {
    header = JSON.parse(decodeSegment(parts[0], 'protected header'));
  } catch (error) {
    throw error instanceof EnvelopeDecodeError ? error : new EnvelopeDecodeError('JWS protected header is not JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new EnvelopeDecodeError('JWS protected header is not a JSON object');
  const payloadText = decodeSegment(parts[1], 'payload');
  let body: unknown;
  try {
    body = JSON.parse(payloadText);
  } catch {
    throw new EnvelopeDecodeError('JWS payload is not JSON');
  }
  return { header: header as Record<string, unknown>, payloadText, body };
}

/** `case-submission@1.0.0` → { id, version }; null when not `<kebab-id>@<semver>`. */
export function parseCtr(ctr: unknown): { id: string; version: string } | null {
  if (typeof ctr !== 'string') return null;
  const match = CTR_RE.exec(ctr);
  return match ? { id: match[1], version: match[2] } : null;
}

/**
 * RFC 8785 (JCS) canonical JSON of a parsed JSON value. JSON.stringify already serialises strings
 * and numbers as JCS requires (ECMAScript rules); JCS adds key order by UTF-16 code units.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort(); // default sort compares UTF-16 code units
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface EnvelopeFieldProblem {
  /** JSON pointer into the envelope body. */
  pointer: string;
  message: string;
}

const BODY_FIELDS = ['messageId', 'caseNumber', 'collaborationId', 'sender', 'recipient', 'messageType', 'sentAt', 'payload'];
const HEADER_PARAMS = ['alg', 'kid', 'typ', 'ctr'];
const ALGORITHMS = ['ES256', 'EdDSA'];

const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';

/** The envelope body's own fields (not the payload's content), as the gateway checks them. */
export function checkEnvelopeBody(body: Record<string, unknown>): EnvelopeFieldProblem[] {
  const problems: EnvelopeFieldProblem[] = [];
  const problem = (field: string, message: string): void => void problems.push({ pointer: `/${field}`, message: `envelope ${field} ${message}` });
  for (const field of BODY_FIELDS) if (body[field] === undefined) problem(field, 'is missing');
  if (body.messageId !== undefined && !(typeof body.messageId === 'string' && UUID_RE.test(body.messageId))) problem('messageId', 'must be a UUID');
  for (const field of ['caseNumber', 'collaborationId', 'sender', 'recipient', 'messageType']) {
    if (body[field] !== undefined && !nonEmpty(body[field])) problem(field, 'must be a non-empty string');
  }
  if (body.sentAt !== undefined && !(typeof body.sentAt === 'string' && RFC3339_RE.test(body.sentAt))) problem('sentAt', 'must be an RFC 3339 date-time with an offset');
  const payload = body.payload;
  if (payload !== undefined && (typeof payload !== 'object' || payload === null || Array.isArray(payload))) problem('payload', 'must be a JSON object');
  // Closed, as in the gateway: an extra field would be signed yet ignored by every consumer.
  for (const field of Object.keys(body)) if (!BODY_FIELDS.includes(field)) problem(field, 'is not allowed');
  return problems;
}

/** The JWS protected header of an envelope: exactly alg, kid, typ and ctr. Pointers into the header. */
export function checkEnvelopeHeader(header: Record<string, unknown>): EnvelopeFieldProblem[] {
  const problems: EnvelopeFieldProblem[] = [];
  const problem = (param: string, message: string): void => void problems.push({ pointer: `/${param}`, message: `JWS header ${param} ${message}` });
  if (header.typ !== ENVELOPE_TYP) problem('typ', `must be "${ENVELOPE_TYP}"`);
  if (!ALGORITHMS.includes(header.alg as string)) problem('alg', `must be one of ${ALGORITHMS.join(', ')}`);
  if (!nonEmpty(header.kid)) problem('kid', 'must be a non-empty string');
  if (parseCtr(header.ctr) === null) problem('ctr', 'must be "<contract-id>@<semver>", e.g. case-submission@1.0.0');
  for (const param of Object.keys(header)) if (!HEADER_PARAMS.includes(param)) problem(param, 'is not allowed');
  return problems;
}
