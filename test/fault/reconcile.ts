import { DatabaseCounts, databaseCounts } from './database';
import { Ledger } from './traffic';

export interface Reconciliation {
  problems: string[];
  db: DatabaseCounts;
  accepted: number;
  pulled: number;
}

function sameSet(a: Set<string>, b: Set<string>): { missing: string[]; extra: string[] } {
  return { missing: [...a].filter((x) => !b.has(x)), extra: [...b].filter((x) => !a.has(x)) };
}

function sample(ids: string[]): string {
  return `${ids.length} (${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', …' : ''})`;
}

/**
 * Both ends against each other: the receipts the senders hold, what each recipient pulled, and what
 * the database says (messages, deliveries, outbox). Every discrepancy becomes one line in `problems`.
 */
export async function reconcile(databaseUrl: string, ledger: Ledger, recipients: string[]): Promise<Reconciliation> {
  const problems: string[] = [];
  const db = await databaseCounts(databaseUrl);
  const accepted = new Set(ledger.answers.keys());

  const unanswered = [...ledger.sent.keys()].filter((id) => !accepted.has(id));
  if (unanswered.length) problems.push(`sent but never answered: ${sample(unanswered)}`);

  // Sender's end vs the gateway's records: exactly the answered messages exist, nothing else.
  const stored = sameSet(accepted, db.messageIds);
  if (stored.missing.length) problems.push(`receipt given but no message row: ${sample(stored.missing)}`);
  if (stored.extra.length) problems.push(`message rows nobody got a receipt for: ${sample(stored.extra)}`);

  // Exactly one inbox row per accepted message, to its own recipient.
  if (db.deliveries !== accepted.size) problems.push(`deliveries rows ${db.deliveries} != accepted ${accepted.size}`);
  if (db.distinctDelivered !== db.deliveries) problems.push(`deliveries has ${db.deliveries - db.distinctDelivered} repeated message ids`);
  if (db.misrouted) problems.push(`${db.misrouted} deliveries rows for the wrong recipient`);
  if (db.outbox !== 0) problems.push(`outbox still holds ${db.outbox} rows`);
  if (db.unacknowledgedDeliveries !== 0) problems.push(`${db.unacknowledgedDeliveries} deliveries not acknowledged`);
  const notAcked = Object.entries(db.byStatus).filter(([s]) => s !== 'ACKNOWLEDGED');
  if (notAcked.length) problems.push(`messages not ACKNOWLEDGED: ${JSON.stringify(Object.fromEntries(notAcked))}`);
  const audited = Object.values(db.byWorker).reduce((a, b) => a + b, 0);
  if (audited !== db.deliveries) problems.push(`audit saw ${audited} delivery inserts for ${db.deliveries} rows`);

  // Recipient's end: each pulled exactly its accepted messages, each once.
  let pulledTotal = 0;
  for (const r of recipients) {
    const pulled = ledger.pulled.get(r) ?? [];
    pulledTotal += pulled.length;
    const pulledSet = new Set(pulled);
    if (pulledSet.size !== pulled.length) {
      const seen = new Set<string>();
      problems.push(`${r} pulled duplicates: ${sample(pulled.filter((id) => seen.has(id) || !seen.add(id)))}`);
    }
    const expected = new Set([...accepted].filter((id) => ledger.sent.get(id)!.recipient === r));
    const diff = sameSet(expected, pulledSet);
    if (diff.missing.length) problems.push(`${r} never pulled accepted ${sample(diff.missing)}`);
    if (diff.extra.length) problems.push(`${r} pulled unaccepted ${sample(diff.extra)}`);
    const inDb = sameSet(expected, db.deliveredTo.get(r) ?? new Set());
    if (inDb.missing.length || inDb.extra.length) problems.push(`${r}: deliveries rows differ (missing ${inDb.missing.length}, extra ${inDb.extra.length})`);
  }
  const strays = [...ledger.pulled.keys()].filter((r) => !recipients.includes(r));
  if (strays.length) problems.push(`pulls recorded for unexpected recipients ${strays.join(',')}`);
  problems.push(...ledger.anomalies.slice(0, 20));
  if (ledger.anomalies.length > 20) problems.push(`… and ${ledger.anomalies.length - 20} more pull-side anomalies`);

  return { problems, db, accepted: accepted.size, pulled: pulledTotal };
}
