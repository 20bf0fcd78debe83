import { decodeEnvelope, sha256Digest, verifyEnvelope, verifyReceipt, type DecodedEnvelope, type EnvelopeBody } from '@tongban/envelope';
import { BundleFailureCode, type BundleFailure, type EvidenceBundle } from './bundle.types';
import type { IndexedEntry, VerificationContext } from './bundle.context';
import type { LedgerEntry } from './entry';

type EnvelopeRecord = EvidenceBundle['envelopes'][number];
/** A failure of one envelope or receipt, before we know which entry to blame it on. */
type Problem = { code: BundleFailureCode; reason: string } | null;

/** Signature checks run this many at a time (WebCrypto works off the main thread); verdicts are still taken in index order. */
const CONCURRENCY = 32;

/** Entry fields that must say what the signed envelope says, when the entry has them. */
const MIRRORED: Array<keyof LedgerEntry & keyof EnvelopeBody> = ['messageId', 'caseNumber', 'sender', 'recipient', 'messageType'];

/**
 * Step (e): for each MESSAGE_ACCEPTED / RECEIPT_ISSUED entry naming a message, the bundle holds its
 * envelope, which hashes to the entry's digest, verifies with its sender's key and agrees with
 * the entry; the receipt, when the entry has receiptDigest, hashes to it, verifies with the
 * gateway's key and acknowledges exactly that envelope.
 */
export async function checkEnvelopes(ctx: VerificationContext): Promise<BundleFailure | null> {
  const records = new Map(ctx.bundle.envelopes.map((e) => [e.messageId, e]));
  const envelopeChecks = new Map<string, Promise<{ problem: Problem; decoded?: DecodedEnvelope }>>();
  const receiptChecks = new Map<string, Promise<Problem>>();

  const envelopeOf = (record: EnvelopeRecord) => {
    let check = envelopeChecks.get(record.messageId);
    if (!check) {
      check = verifySignedEnvelope(ctx, record);
      envelopeChecks.set(record.messageId, check);
    }
    return check;
  };
  const receiptOf = (record: EnvelopeRecord, receipt: string) => {
    let check = receiptChecks.get(record.messageId);
    if (!check) {
      check = verifySignedReceipt(ctx, record, receipt);
      receiptChecks.set(record.messageId, check);
    }
    return check;
  };

  const checkEntry = async ({ index, entry }: IndexedEntry): Promise<BundleFailure | null> => {
    const messageId = entry.messageId as string;
    const at = { entryIndex: index, entryId: entry.id, messageId };
    const fail = (problem: NonNullable<Problem>): BundleFailure => ({ ...problem, ...at });
    const record = records.get(messageId);
    if (!record) {
      return fail({ code: BundleFailureCode.ENVELOPE_MISSING, reason: `Entry ${index} (${entry.kind}) names message ${messageId}, whose envelope is not in the bundle.` });
    }
    if (sha256Digest(record.envelope) !== entry.digest) {
      return fail({
        code: BundleFailureCode.ENVELOPE_DIGEST_MISMATCH,
        reason: `The envelope of message ${messageId} in the bundle hashes to ${sha256Digest(record.envelope)}, but entry ${index} logged ${String(entry.digest)}: the envelope was altered or swapped.`,
      });
    }
    const { problem, decoded } = await envelopeOf(record);
    if (problem) return fail(problem);
    const body = (decoded as DecodedEnvelope).body;
    const differing = MIRRORED.find((field) => entry[field] !== undefined && entry[field] !== body[field]);
    if (differing) {
      return fail({ code: BundleFailureCode.ENVELOPE_MISMATCH, reason: `Entry ${index} logged a ${differing} that differs from the one in message ${messageId}'s signed envelope.` });
    }
    if (entry.receiptDigest === undefined) return null;
    if (record.receipt === null) {
      return fail({ code: BundleFailureCode.RECEIPT_INVALID, reason: `Entry ${index} logged a receipt for message ${messageId}, but the bundle has none.` });
    }
    if (sha256Digest(record.receipt) !== entry.receiptDigest) {
      return fail({ code: BundleFailureCode.RECEIPT_INVALID, reason: `The receipt of message ${messageId} does not hash to the receiptDigest logged by entry ${index}: it was altered or swapped.` });
    }
    const receiptProblem = await receiptOf(record, record.receipt);
    return receiptProblem ? fail(receiptProblem) : null;
  };

  const entries = ctx.messageEntries;
  for (let start = 0; start < entries.length; start += CONCURRENCY) {
    const batch = entries.slice(start, start + CONCURRENCY).map(checkEntry);
    for (const result of batch) {
      const failure = await result;
      if (failure) {
        // Let the rest of the batch settle quietly before reporting.
        await Promise.allSettled(batch);
        return failure;
      }
    }
  }
  ctx.stats.envelopes = envelopeChecks.size;
  ctx.stats.receipts = receiptChecks.size;
  ctx.progress.advance(ctx.bundle.envelopes.length);
  return null;
}

async function verifySignedEnvelope(ctx: VerificationContext, record: EnvelopeRecord): Promise<{ problem: Problem; decoded?: DecodedEnvelope }> {
  try {
    const decoded = decodeEnvelope(record.envelope);
    await verifyEnvelope(decoded, ctx.keys);
    return { problem: null, decoded };
  } catch (error) {
    return {
      problem: {
        code: BundleFailureCode.ENVELOPE_SIGNATURE_INVALID,
        reason: `The envelope of message ${record.messageId} does not verify with its sender's keys in the bundle: ${(error as Error).message}.`,
      },
    };
  }
}

async function verifySignedReceipt(ctx: VerificationContext, record: EnvelopeRecord, receipt: string): Promise<Problem> {
  let body;
  try {
    body = await verifyReceipt(receipt, ctx.keys, 'gateway');
  } catch (error) {
    return { code: BundleFailureCode.RECEIPT_INVALID, reason: `The receipt of message ${record.messageId} does not verify with the gateway's keys in the bundle: ${(error as Error).message}.` };
  }
  if (body.envelopeDigest !== sha256Digest(record.envelope) || body.messageId !== record.messageId) {
    return { code: BundleFailureCode.RECEIPT_INVALID, reason: `The receipt of message ${record.messageId} acknowledges another message or envelope (${body.messageId}, ${body.envelopeDigest}).` };
  }
  return null;
}
