import { EVIDENCE_BUNDLE_FORMAT, type EvidenceBundle } from './bundle.types';
import { isTreeSize } from './merkle.math';
import { isRfc3339 } from './rfc3339';

/**
 * The input is not an evidence bundle this verifier can read (exit code 2 of a CLI), as opposed
 * to a bundle that fails verification. `path` points at the offending member, e.g. entries[3].proof.
 */
export class BundleFormatError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'BundleFormatError';
  }
}

const SCOPE_KINDS = ['case', 'district', 'range', 'all'];
const ENTRY_MEMBERS = ['index', 'leaf', 'checkpoint', 'proof'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A closed record: unknown members would be carried along as if verified. */
function record(value: unknown, path: string, required: readonly string[], optional: readonly string[] = []): Record<string, unknown> {
  if (!isObject(value)) throw new BundleFormatError('must be a JSON object', path);
  for (const name of required) {
    if (!(name in value)) throw new BundleFormatError(`member "${name}" is missing`, path);
  }
  for (const name of Object.keys(value)) {
    if (!required.includes(name) && !optional.includes(name)) throw new BundleFormatError(`member "${name}" is not allowed`, path);
  }
  return value;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new BundleFormatError('must be an array', path);
  return value;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new BundleFormatError('must be a string', path);
  return value;
}

function size(value: unknown, path: string): number {
  if (!isTreeSize(value)) throw new BundleFormatError('must be a non-negative integer', path);
  return value;
}

function strings(value: unknown, path: string): string[] {
  const list = array(value, path);
  for (let i = 0; i < list.length; i++) {
    if (typeof list[i] !== 'string') throw new BundleFormatError('must be a string', `${path}[${i}]`);
  }
  return list as string[];
}

/**
 * Checks the JSON shape of an evidence bundle (README.md, "Bundle format"), nothing cryptographic:
 * types, closed records, the ordering rules. Throws BundleFormatError; returns the same object.
 */
export function assertBundleFormat(value: unknown): asserts value is EvidenceBundle {
  const bundle = record(value, '', ['format', 'createdAt', 'origin', 'scope', 'keys', 'certificates', 'checkpoints', 'consistency', 'entries', 'envelopes'], ['complete']);
  if (bundle.format !== EVIDENCE_BUNDLE_FORMAT) throw new BundleFormatError(`must be "${EVIDENCE_BUNDLE_FORMAT}"`, 'format');
  if (!isRfc3339(bundle.createdAt)) throw new BundleFormatError('must be an RFC 3339 date-time', 'createdAt');
  if (string(bundle.origin, 'origin') === '') throw new BundleFormatError('must not be empty', 'origin');
  if (bundle.complete !== undefined && typeof bundle.complete !== 'boolean') throw new BundleFormatError('must be a boolean', 'complete');

  const scope = record(bundle.scope, 'scope', ['kind'], ['caseNumber', 'district', 'from', 'to']);
  if (!SCOPE_KINDS.includes(scope.kind as string)) throw new BundleFormatError(`must be one of ${SCOPE_KINDS.join(', ')}`, 'scope.kind');
  for (const name of ['caseNumber', 'district', 'from', 'to']) {
    if (scope[name] !== undefined) string(scope[name], `scope.${name}`);
  }

  array(bundle.keys, 'keys').forEach((k, i) => {
    const key = record(k, `keys[${i}]`, ['owner', 'jwks']);
    string(key.owner, `keys[${i}].owner`);
    array(record(key.jwks, `keys[${i}].jwks`, ['keys']).keys, `keys[${i}].jwks.keys`);
  });
  array(bundle.certificates, 'certificates').forEach((c, i) => {
    const certificate = record(c, `certificates[${i}]`, ['owner', 'pem']);
    string(certificate.owner, `certificates[${i}].owner`);
    string(certificate.pem, `certificates[${i}].pem`);
  });

  const checkpoints = array(bundle.checkpoints, 'checkpoints');
  if (checkpoints.length === 0) throw new BundleFormatError('must hold at least one checkpoint', 'checkpoints');
  checkpoints.forEach((c, i) => {
    const checkpoint = record(c, `checkpoints[${i}]`, ['jws', 'cosignatures']);
    string(checkpoint.jws, `checkpoints[${i}].jws`);
    strings(checkpoint.cosignatures, `checkpoints[${i}].cosignatures`);
  });

  const consistency = array(bundle.consistency, 'consistency');
  if (consistency.length !== checkpoints.length - 1) {
    throw new BundleFormatError(`must hold one proof per consecutive pair of checkpoints (${checkpoints.length - 1}), not ${consistency.length}`, 'consistency');
  }
  consistency.forEach((c, i) => {
    const proof = record(c, `consistency[${i}]`, ['from', 'to', 'proof']);
    size(proof.from, `consistency[${i}].from`);
    size(proof.to, `consistency[${i}].to`);
    strings(proof.proof, `consistency[${i}].proof`);
  });

  // Runs once per entry, hundreds of thousands of times: a cheap test first, the detailed checks
  // (which name the problem) only for an entry that fails it.
  const entries = array(bundle.entries, 'entries');
  let previous = -1;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as Record<string, unknown>;
    if (!isWellFormedEntry(entry)) describeEntry(entry, `entries[${i}]`);
    if ((entry.index as number) <= previous) {
      throw new BundleFormatError(`must be greater than the previous entry's index ${previous} (ascending, no duplicates)`, `entries[${i}].index`);
    }
    previous = entry.index as number;
  }

  const messageIds = new Set<string>();
  array(bundle.envelopes, 'envelopes').forEach((e, i) => {
    const envelope = record(e, `envelopes[${i}]`, ['messageId', 'envelope', 'receipt']);
    const messageId = string(envelope.messageId, `envelopes[${i}].messageId`);
    if (messageIds.has(messageId)) throw new BundleFormatError('appears twice: a message has one envelope', `envelopes[${i}].messageId`);
    messageIds.add(messageId);
    string(envelope.envelope, `envelopes[${i}].envelope`);
    if (envelope.receipt !== null) string(envelope.receipt, `envelopes[${i}].receipt`);
  });
}

function isWellFormedEntry(entry: Record<string, unknown>): boolean {
  if (!isObject(entry) || Object.keys(entry).length !== ENTRY_MEMBERS.length) return false;
  if (!isTreeSize(entry.index) || !isTreeSize(entry.checkpoint) || typeof entry.leaf !== 'string' || !Array.isArray(entry.proof)) return false;
  const proof = entry.proof as unknown[];
  for (let i = 0; i < proof.length; i++) {
    if (typeof proof[i] !== 'string') return false;
  }
  return true;
}

/** Throws the BundleFormatError that names what is wrong with an entry isWellFormedEntry refused. */
function describeEntry(value: unknown, path: string): never {
  const entry = record(value, path, ENTRY_MEMBERS);
  size(entry.index, `${path}.index`);
  string(entry.leaf, `${path}.leaf`);
  size(entry.checkpoint, `${path}.checkpoint`);
  strings(entry.proof, `${path}.proof`);
  throw new BundleFormatError('is malformed', path);
}
