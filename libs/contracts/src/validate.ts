import { findContract, listContracts, resolveContract, type ContractRef } from './catalogue';
import { ContractError, ContractErrorCode } from './contract.error';
import { ContractRegistry } from './contract.registry';
import type { ContractViolation } from './contract-violation.mapper';
import {
  canonicalJson,
  checkEnvelopeBody,
  checkEnvelopeHeader,
  COMPACT_JWS_RE,
  decodeCompactJws,
  EnvelopeDecodeError,
  parseCtr,
} from './envelope.decode';

/**
 * Every violation of the payload against contract `contractId@version` (precompiled validators),
 * each with the JSON pointer (RFC 6901) into the payload and a readable message; [] when valid.
 * Throws ContractError UNKNOWN_CONTRACT / UNKNOWN_VERSION.
 */
export function validatePayload(contractId: string, version: string, payload: unknown): ContractViolation[] {
  return ContractRegistry.precompiled().validate(contractId, version, payload);
}

/** What the input was: a compact JWS envelope, the envelope body as JSON, or a bare payload. */
export type MessageKind = 'jws' | 'envelope-json' | 'payload';

/**
 * What a violation's `pointer` points into: the contract payload (the same pointers as the
 * gateway's SCHEMA_VIOLATION problem), the envelope body, the JWS protected header, or the whole
 * document (not JSON, not a JWS, not canonical).
 */
export type ViolationTarget = 'payload' | 'envelope' | 'header' | 'document';

export interface MessageViolation extends ContractViolation {
  target: ViolationTarget;
}

export interface MessageValidation {
  kind: MessageKind;
  /** The contract the payload was checked against; null when none could be told (e.g. undecodable JWS). */
  contract: ContractRef | null;
  /** Where the version came from: the JWS `ctr` header, the `contract` option, or the newest known (envelope JSON without option). */
  versionSource?: 'ctr' | 'option' | 'newest';
  valid: boolean;
  violations: MessageViolation[];
  /**
   * Where the payload sits in the input document when the input is JSON: '' (bare payload) or
   * '/payload' (envelope JSON); null for a JWS. Prefix a payload violation's pointer with it to
   * point into the file.
   */
  payloadPointer: '' | '/payload' | null;
}

export interface ValidateMessageOptions {
  /**
   * `id@version` or `messageType@version` (or without `@version`: the newest). Required for a bare
   * payload; for envelope JSON it picks the version (default: the newest); for a JWS it must agree
   * with the `ctr` header.
   */
  contract?: string;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function result(kind: MessageKind, contract: ContractRef | null, violations: MessageViolation[], extra: Partial<MessageValidation> = {}): MessageValidation {
  return { kind, contract, valid: violations.length === 0, violations, payloadPointer: kind === 'jws' ? null : kind === 'payload' ? '' : '/payload', ...extra };
}

const violation = (target: ViolationTarget, keyword: string, pointer: string, message: string): MessageViolation => ({ target, keyword, pointer, message });

function payloadViolations(contract: ContractRef, payload: unknown): MessageViolation[] {
  return validatePayload(contract.id, contract.version, payload).map((v) => ({ ...v, target: 'payload' as const }));
}

/**
 * Validates one message as an integrator would send it: a compact JWS envelope (decoded, not
 * verified: no keys offline), an envelope body as JSON (`messageType` + `payload`), or a bare
 * payload (with `options.contract`). Strings are parsed; objects are taken as parsed JSON.
 * A message problem is a violation; an unknown contract or version, or a bare payload without a
 * contract, throws ContractError (the caller cannot tell what to check against).
 */
export function validateMessage(input: string | object, options: ValidateMessageOptions = {}): MessageValidation {
  const chosen = options.contract === undefined ? undefined : resolveContract(options.contract);
  if (typeof input !== 'string') return validateJson(input, chosen);
  const text = input.replace(/^\uFEFF/, '').trim();
  if (COMPACT_JWS_RE.test(text)) return validateJws(text, chosen);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const kind: MessageKind = /^[[{"]/.test(text) ? (chosen ? 'payload' : 'envelope-json') : 'jws';
    const what = kind === 'jws' ? 'neither JSON nor a compact JWS' : `not JSON: ${(error as Error).message}`;
    return result(kind, chosen ? { id: chosen.id, version: chosen.version } : null, [violation('document', 'syntax', '', `the message is ${what}`)]);
  }
  // A JWS stored as a JSON string.
  if (typeof value === 'string' && COMPACT_JWS_RE.test(value)) return validateJws(value, chosen);
  return validateJson(value, chosen);
}

function validateJson(value: unknown, chosen: ReturnType<typeof resolveContract> | undefined): MessageValidation {
  if (isPlainObject(value) && 'messageType' in value && 'payload' in value) {
    const entry = typeof value.messageType === 'string' ? findContract(value.messageType) : undefined;
    const violations = checkEnvelopeBody(value).map((p) => violation('envelope', 'envelope', p.pointer, p.message));
    if (!entry || entry.messageType !== value.messageType) {
      if (chosen) {
        violations.push(violation('envelope', 'envelope', '/messageType', `envelope messageType must be "${chosen.entry.messageType}" for contract ${chosen.id}`));
      } else if (typeof value.messageType === 'string') {
        throw new ContractError(ContractErrorCode.UNKNOWN_CONTRACT, `unknown message type "${value.messageType}"; known: ${knownTypes()}`, { id: value.messageType });
      }
      const contract = chosen ? { id: chosen.id, version: chosen.version } : null;
      return result('envelope-json', contract, dedupe(violations), chosen ? { versionSource: 'option' } : {});
    }
    if (chosen && chosen.id !== entry.id) {
      violations.push(violation('envelope', 'envelope', '/messageType', `envelope messageType "${entry.messageType}" is not the message type of contract ${chosen.id} (${chosen.entry.messageType})`));
    }
    const contract = chosen ?? resolveContract(entry.id);
    const ref = { id: contract.id, version: contract.version };
    if (isPlainObject(value.payload)) violations.push(...payloadViolations(ref, value.payload));
    return result('envelope-json', ref, dedupe(violations), { versionSource: chosen ? 'option' : 'newest' });
  }
  if (!chosen) {
    throw new ContractError(
      ContractErrorCode.CONTRACT_REQUIRED,
      'the message is a bare payload (no messageType/payload envelope, not a JWS): say which contract it follows, e.g. --contract case-submission@1.0.0',
    );
  }
  const ref = { id: chosen.id, version: chosen.version };
  return result('payload', ref, payloadViolations(ref, value), { versionSource: 'option' });
}

function validateJws(jws: string, chosen: ReturnType<typeof resolveContract> | undefined): MessageValidation {
  let decoded;
  try {
    decoded = decodeCompactJws(jws);
  } catch (error) {
    if (!(error instanceof EnvelopeDecodeError)) throw error;
    return result('jws', null, [violation('document', 'envelope', '', error.message)]);
  }
  const { header, payloadText, body } = decoded;
  const violations = checkEnvelopeHeader(header).map((p) => violation('header', 'header', p.pointer, p.message));
  const ctr = parseCtr(header.ctr);
  if (ctr) {
    const entry = findContract(ctr.id);
    if (!entry || entry.id !== ctr.id) {
      throw new ContractError(ContractErrorCode.UNKNOWN_CONTRACT, `unknown contract "${ctr.id}" in the JWS header ctr; known: ${knownTypes()}`, { id: ctr.id });
    }
    resolveContract(`${ctr.id}@${ctr.version}`); // throws UNKNOWN_VERSION, listing the known ones
    if (chosen && (chosen.id !== ctr.id || chosen.version !== ctr.version)) {
      violations.push(violation('header', 'header', '/ctr', `JWS header ctr ${ctr.id}@${ctr.version} differs from the contract asked for, ${chosen.id}@${chosen.version}`));
    }
  }
  if (canonicalJson(body) !== payloadText) {
    violations.push(violation('document', 'canonical', '', 'JWS payload is not the RFC 8785 canonical form of its JSON (the gateway refuses it: ENVELOPE_NOT_CANONICAL)'));
  }
  if (!isPlainObject(body)) {
    violations.push(violation('envelope', 'envelope', '', 'the JWS payload (envelope body) must be a JSON object'));
    return result('jws', ctr, violations, ctr ? { versionSource: 'ctr' } : {});
  }
  violations.push(...checkEnvelopeBody(body).map((p) => violation('envelope', 'envelope', p.pointer, p.message)));
  if (ctr) {
    const messageType = findContract(ctr.id)?.messageType;
    if (typeof body.messageType === 'string' && body.messageType !== messageType) {
      violations.push(violation('envelope', 'envelope', '/messageType', `envelope messageType "${body.messageType}" does not match ctr ${ctr.id} (${String(messageType)})`));
    }
    if (isPlainObject(body.payload)) violations.push(...payloadViolations(ctr, body.payload));
  }
  return result('jws', ctr, dedupe(violations), ctr ? { versionSource: 'ctr' } : {});
}

function knownTypes(): string {
  return listContracts()
    .map((entry) => `${entry.id} (${entry.messageType})`)
    .join(', ');
}

function dedupe(violations: MessageViolation[]): MessageViolation[] {
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = `${v.target}\u0000${v.pointer}\u0000${v.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
