import canonicalize from 'canonicalize';
import { EnvelopeError, EnvelopeErrorCode } from './envelope.error';

/**
 * RFC 8785 (JCS) serialisation. Signatures cover these bytes, so both ends must produce exactly
 * the same string for the same JSON value whatever key order or number spelling they started with.
 * We delegate to `canonicalize` (by the RFC's author) rather than hand-rolling the ES6 number
 * formatting and UTF-16 key ordering rules.
 */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (error) {
    // NaN, Infinity, lone surrogates and cycles have no JSON form at all.
    throw new EnvelopeError(EnvelopeErrorCode.MALFORMED_BODY, `value has no canonical JSON form: ${(error as Error).message}`);
  }
  if (text === undefined) {
    throw new EnvelopeError(EnvelopeErrorCode.MALFORMED_BODY, 'value has no JSON representation (undefined, function or symbol)');
  }
  return text;
}
