import { canonicalJson } from '@tongban/envelope';
import { assertLedgerEntry } from './entry.validator';
import type { LedgerEntryKind } from './entry-kind';
import { leafHash } from './merkle';

/** Flat on purpose: a nested structure would invite whole payloads (personal data) into the log. */
export type LedgerDetail = Record<string, string | number | boolean | null>;

/**
 * One event of the exchange ledger. Its leaf data is the UTF-8 of its RFC 8785 canonical JSON, so
 * anyone can recompute the leaf hash from the JSON alone. A closed record: see entry.validator.ts.
 */
export interface LedgerEntry {
  v: 1;
  /** UUID v7, unique in the ledger. */
  id: string;
  kind: LedgerEntryKind;
  /** RFC 3339 UTC: when the event happened, by the gateway clock. */
  at: string;
  /** District id, 'gateway', 'operator:<name>' or 'auditor:<name>'. */
  actor: string;
  caseNumber?: string;
  messageId?: string;
  messageType?: string;
  sender?: string;
  recipient?: string;
  /** sha256Digest of the envelope's compact JWS (UTF-8). */
  digest?: string;
  /** sha256Digest of the receipt's compact JWS. */
  receiptDigest?: string;
  /** Rejection code, dead-letter reason code… */
  code?: string;
  fromState?: string;
  toState?: string;
  detail?: LedgerDetail;
}

/** The bytes that are hashed into the tree: UTF-8 of the canonical JSON of a valid entry. */
export function entryLeafData(entry: LedgerEntry): Buffer {
  assertLedgerEntry(entry);
  return Buffer.from(canonicalJson(entry), 'utf8');
}

/** leafHash(entryLeafData(entry)). */
export function entryLeafHash(entry: LedgerEntry): Buffer {
  return leafHash(entryLeafData(entry));
}
