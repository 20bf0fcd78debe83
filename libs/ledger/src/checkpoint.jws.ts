import { canonicalJson, type KeyRing, type SigningKey } from '@tongban/envelope';
import { LedgerError, LedgerErrorCode } from './ledger.error';
import { decodeLedgerJws, signLedgerJws, verifyLedgerJws } from './ledger-jws.codec';
import { EMPTY_ROOT_HASH } from './merkle';
import { isTreeSize } from './merkle.math';
import { assertRecord, type FieldRule } from './record.validator';
import { isRfc3339 } from './rfc3339';

export const CHECKPOINT_TYP = 'tongban-checkpoint+jws';
export const COSIGNATURE_TYP = 'tongban-cosignature+jws';
/** KeyRing owner of the keys that sign checkpoints; kept apart from 'gateway' (receipts). */
export const CHECKPOINT_KEY_OWNER = 'gateway-ledger';

/** The gateway's signed statement "my ledger has treeSize entries and this root". */
export interface CheckpointBody {
  /** Gateway id: which ledger this is a checkpoint of. */
  origin: string;
  treeSize: number;
  /** MTH of the first treeSize leaves, 64 lowercase hex. */
  rootHash: string;
  signedAt: string;
}

/** A district's signed statement that it saw exactly that checkpoint (a witness against split views). */
export interface CosignatureBody {
  checkpoint: CheckpointBody;
  /** District id: the KeyRing owner whose key signs. */
  cosigner: string;
  cosignedAt: string;
}

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ROOT_HEX_RE = /^[0-9a-f]{64}$/;
const EMPTY_ROOT_HEX = EMPTY_ROOT_HASH.toString('hex');

const id: FieldRule = (v) => (typeof v === 'string' && ID_RE.test(v) ? null : `must match ${ID_RE.source}`);
const time: FieldRule = (v) => (isRfc3339(v) ? null : 'must be an RFC 3339 date-time with offset');

const CHECKPOINT_RULES: Record<keyof CheckpointBody, FieldRule> = {
  origin: id,
  treeSize: (v) => (isTreeSize(v) ? null : 'must be a non-negative safe integer'),
  rootHash: (v) => (typeof v === 'string' && ROOT_HEX_RE.test(v) ? null : 'must be 64 lowercase hex digits'),
  signedAt: time,
};

export function assertCheckpointBody(value: unknown, what = 'checkpoint'): asserts value is CheckpointBody {
  assertRecord(what, value, CHECKPOINT_RULES);
  // The empty tree has one root; any other claim for size 0 is a lie that no proof could expose.
  if (value.treeSize === 0 && value.rootHash !== EMPTY_ROOT_HEX) {
    throw new LedgerError(LedgerErrorCode.MALFORMED_BODY, `${what} field "rootHash" must be SHA-256("") when treeSize is 0`, { field: 'rootHash' });
  }
}

const COSIGNATURE_RULES: Record<keyof CosignatureBody, FieldRule> = {
  checkpoint: () => null, // checked below, with its own field names
  cosigner: id,
  cosignedAt: time,
};

export function assertCosignatureBody(value: unknown): asserts value is CosignatureBody {
  assertRecord('cosignature', value, COSIGNATURE_RULES);
  assertCheckpointBody(value.checkpoint, 'cosignature checkpoint');
}

/** Whether two checkpoint bodies are the same statement (same canonical JSON). */
export function isSameCheckpoint(a: CheckpointBody, b: CheckpointBody): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

export async function signCheckpoint(body: CheckpointBody, key: SigningKey): Promise<string> {
  assertCheckpointBody(body);
  return signLedgerJws(body, key, CHECKPOINT_TYP);
}

/**
 * Verifies a checkpoint JWS with the keys of `owner` ('gateway-ledger') and returns its body.
 * Throws LedgerError: MALFORMED_JWS, MALFORMED_BODY, NOT_CANONICAL, UNKNOWN_KEY, BAD_SIGNATURE.
 */
export async function verifyCheckpoint(jws: string, keys: KeyRing, owner = CHECKPOINT_KEY_OWNER): Promise<CheckpointBody> {
  const decoded = decodeLedgerJws(jws, CHECKPOINT_TYP);
  assertCheckpointBody(decoded.payload);
  await verifyLedgerJws(jws, decoded, keys, owner, 'checkpoint');
  return decoded.payload;
}

export async function signCosignature(body: CosignatureBody, key: SigningKey): Promise<string> {
  assertCosignatureBody(body);
  return signLedgerJws(body, key, COSIGNATURE_TYP);
}

/**
 * Verifies a co-signature with the keys of its cosigner (read from the body, like an envelope's
 * sender) and returns its body. Whether it co-signs the checkpoint at hand is the caller's
 * question: compare with isSameCheckpoint.
 */
export async function verifyCosignature(jws: string, keys: KeyRing): Promise<CosignatureBody> {
  const decoded = decodeLedgerJws(jws, COSIGNATURE_TYP);
  assertCosignatureBody(decoded.payload);
  await verifyLedgerJws(jws, decoded, keys, decoded.payload.cosigner, 'cosignature');
  return decoded.payload;
}
