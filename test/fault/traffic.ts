import { AppConfig } from '@tongban/config';
import { KeyRing, MessageType, SigningKey, sha256Digest, verifyReceipt } from '@tongban/envelope';
import { InboxEntry, PartnerClient, demoCaseNumber, demoSubmissionPayload, signedMessage } from '@tongban/partner-client';
import { pkiLayout } from '@tongban/pki';
import { readFileSync } from 'node:fs';
import { v7 as uuidv7 } from 'uuid';

/**
 * District systems for the fault suites: they sign case submissions, send them through whichever
 * gateway answers, pull and acknowledge their inboxes, and keep a ledger of every receipt and every
 * pulled message so the suites can reconcile both ends exactly.
 */

export interface Outgoing {
  messageId: string;
  sender: string;
  recipient: string;
  envelope: string;
}

/** Every (collecting → approving) pair an agreement allows, both ways when it is bidirectional. */
export function agreementPairs(config: AppConfig): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const a of config.alliance.agreements) {
    pairs.push([a.collectingDistrict, a.approvingDistrict]);
    if (a.bidirectional) pairs.push([a.approvingDistrict, a.collectingDistrict]);
  }
  return pairs;
}

export class MessageFactory {
  private readonly keys = new Map<string, SigningKey>();
  private readonly pairs: Array<[string, string]>;
  private n = 0;

  constructor(
    private readonly config: AppConfig,
    pkiDir: string,
  ) {
    this.pairs = agreementPairs(config);
    const layout = pkiLayout(pkiDir);
    for (const d of config.alliance.districts) {
      const jwk = JSON.parse(readFileSync(layout.district(d.id).signingPrivateJwk, 'utf8'));
      this.keys.set(d.id, { kid: jwk.kid, alg: jwk.alg, privateJwk: jwk });
    }
  }

  /** Recipients that some pair sends to. */
  get recipients(): string[] {
    return [...new Set(this.pairs.map(([, to]) => to))];
  }

  /** A fresh case submission; pairs are taken round-robin so every district sends and receives. */
  async next(): Promise<Outgoing> {
    const [sender, recipient] = this.pairs[this.n++ % this.pairs.length];
    const { body, envelope } = await signedMessage(this.keys.get(sender)!, {
      caseNumber: demoCaseNumber(sender, this.n),
      collaborationId: uuidv7(),
      sender,
      recipient,
      messageType: MessageType.CASE_SUBMISSION,
      payload: demoSubmissionPayload(this.config.alliance, sender, recipient),
    });
    return { messageId: body.messageId, sender, recipient, envelope };
  }
}

/** One mutual-TLS client per (gateway, district), each with its own district certificate. */
export class Districts {
  private readonly clients = new Map<string, PartnerClient>();
  private readonly cert = new Map<string, { cert: Buffer; key: Buffer }>();
  private readonly ca: Buffer;

  constructor(
    readonly gatewayUrls: string[],
    pkiDir: string,
    districtIds: string[],
  ) {
    const layout = pkiLayout(pkiDir);
    this.ca = readFileSync(layout.caCert);
    for (const id of districtIds) {
      this.cert.set(id, { cert: readFileSync(layout.district(id).clientCert), key: readFileSync(layout.district(id).clientKey) });
    }
  }

  client(gateway: number, district: string): PartnerClient {
    const k = `${gateway}|${district}`;
    let c = this.clients.get(k);
    if (!c) {
      const { cert, key } = this.cert.get(district)!;
      c = new PartnerClient({ baseUrl: this.gatewayUrls[gateway], cert, key, ca: this.ca, connections: 4 });
      this.clients.set(k, c);
    }
    return c;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close().catch(() => undefined)));
    this.clients.clear();
  }
}

export interface Answer {
  status: 200 | 202;
  gateway: number;
  /** The signed receipt (compact JWS) the answer carried. */
  receipt: string;
  /** Failed tries before the answer: network errors and 5xx. */
  networkErrors: number;
  serverErrors: number;
}

export class Ledger {
  readonly sent = new Map<string, Outgoing>();
  readonly answers = new Map<string, Answer>();
  /** recipient -> message ids pulled, in order (a duplicate shows up as a repeated id). */
  readonly pulled = new Map<string, string[]>();
  readonly acked = new Set<string>();
  /** Anything that breaks exactly-once on the pull side, as text for the assertion message. */
  readonly anomalies: string[] = [];
  pullErrors = 0;
  ackErrors = 0;

  acceptedFor(recipient: string): string[] {
    return [...this.answers.keys()].filter((id) => this.sent.get(id)!.recipient === recipient);
  }

  pulledCount(): number {
    let n = 0;
    for (const ids of this.pulled.values()) n += ids.length;
    return n;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Sends one message until some gateway answers 202 or 200, starting with `preferred` and moving to
 * the other gateway after a connection error or a 5xx. A network error leaves it open whether the
 * gateway committed the message, so the same envelope goes again: the gateway dedupes by message id
 * and must hand back the original receipt. Any other answer is a test failure.
 */
export async function submitUntilAnswered(
  districts: Districts,
  keys: KeyRing,
  ledger: Ledger,
  m: Outgoing,
  preferred: number,
  deadline: number,
  aborted: () => boolean = () => false,
): Promise<Answer> {
  ledger.sent.set(m.messageId, m);
  let networkErrors = 0;
  let serverErrors = 0;
  let gateway = preferred;
  for (let attempt = 0; ; attempt++) {
    if (Date.now() > deadline || aborted()) throw new Error(`no answer for ${m.messageId} before the deadline (${networkErrors} network errors, ${serverErrors} 5xx)`);
    let response;
    try {
      response = await districts.client(gateway, m.sender).submit(m.envelope);
    } catch {
      networkErrors++;
      gateway = (gateway + 1) % districts.gatewayUrls.length;
      await sleep(Math.min(1_000, 50 * 2 ** Math.min(attempt, 5)));
      continue;
    }
    if (response.status >= 500) {
      serverErrors++;
      gateway = (gateway + 1) % districts.gatewayUrls.length;
      await sleep(Math.min(1_000, 50 * 2 ** Math.min(attempt, 5)));
      continue;
    }
    if (response.status !== 202 && response.status !== 200) {
      throw new Error(`${m.messageId} via gateway ${gateway}: HTTP ${response.status} ${JSON.stringify(response.body)}`);
    }
    const body = response.body as { receipt: string; duplicate: boolean };
    if (response.status === 200 && networkErrors + serverErrors === 0) {
      throw new Error(`${m.messageId}: first answer was "duplicate" although it was never sent before`);
    }
    const receipt = await verifyReceipt(body.receipt, keys);
    if (receipt.messageId !== m.messageId || receipt.envelopeDigest !== sha256Digest(m.envelope) || receipt.recipient !== m.recipient) {
      throw new Error(`${m.messageId}: receipt does not cover this envelope: ${JSON.stringify(receipt)}`);
    }
    const answer: Answer = { status: response.status, gateway, receipt: body.receipt, networkErrors, serverErrors };
    ledger.answers.set(m.messageId, answer);
    return answer;
  }
}

/**
 * A recipient district's inbox loop: pages through with the cursor, acknowledges each page (retrying
 * the ack until some gateway answers), and starts again from the top when a page comes back empty.
 * Alternates gateways; a failed call just moves on to the other one.
 */
export async function pullLoop(
  districts: Districts,
  ledger: Ledger,
  recipient: string,
  opts: { stop: () => boolean; deadline: number; pageSize?: number; idleMs?: number },
): Promise<void> {
  const pulled = ledger.pulled.get(recipient) ?? [];
  ledger.pulled.set(recipient, pulled);
  let gateway = 0;
  let after: string | null = null;
  while (!opts.stop() && Date.now() < opts.deadline) {
    gateway = (gateway + 1) % districts.gatewayUrls.length;
    let items: InboxEntry[];
    let nextCursor: string | null;
    try {
      const r = await districts.client(gateway, recipient).pull(after, opts.pageSize ?? 200);
      if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
      ({ items, nextCursor } = r.body);
    } catch {
      ledger.pullErrors++;
      await sleep(100);
      continue;
    }
    if (items.length === 0) {
      // End of what is there now: next round starts from the top (what was acked is gone).
      if (after === null) await sleep(opts.idleMs ?? 100);
      after = null;
      continue;
    }
    const ids: string[] = [];
    for (const item of items) {
      if (ledger.acked.has(item.messageId)) ledger.anomalies.push(`${recipient} pulled ${item.messageId} again after acknowledging it`);
      if (item.messageId && !ledger.sent.get(item.messageId)) ledger.anomalies.push(`${recipient} pulled ${item.messageId}, which no district sent`);
      const sent = ledger.sent.get(item.messageId);
      if (sent && (sent.recipient !== recipient || sent.envelope !== item.envelope)) ledger.anomalies.push(`${recipient} got ${item.messageId} with the wrong recipient or bytes`);
      pulled.push(item.messageId);
      ids.push(item.messageId);
    }
    await ackUntilAnswered(districts, ledger, recipient, ids, gateway, opts.deadline);
    after = nextCursor;
  }
}

async function ackUntilAnswered(districts: Districts, ledger: Ledger, recipient: string, ids: string[], preferred: number, deadline: number): Promise<void> {
  let gateway = preferred;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    try {
      const r = await districts.client(gateway, recipient).ack(ids);
      if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
      // On a first try every id must be new; after a lost answer, some may already have been acked.
      if (attempt === 0 && r.body.unknown.length > 0) ledger.anomalies.push(`${recipient}: ack of freshly pulled ${r.body.unknown.join(',')} reported unknown`);
      for (const id of ids) ledger.acked.add(id);
      return;
    } catch {
      ledger.ackErrors++;
      gateway = (gateway + 1) % districts.gatewayUrls.length;
      await sleep(100);
    }
  }
  throw new Error(`${recipient}: could not acknowledge ${ids.length} messages before the deadline`);
}

/** Runs `fn` over `items` with at most `concurrency` calls at a time; rejects on the first failure. */
export async function runPool<T>(items: T[], concurrency: number, fn: (item: T, index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}

/** recipient -> how many messages got a receipt for it. */
export function expectedPerRecipient(ledger: Ledger): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ledger.answers.keys()) {
    const r = ledger.sent.get(id)!.recipient;
    counts.set(r, (counts.get(r) ?? 0) + 1);
  }
  return counts;
}

/** True once every recipient has pulled at least as many messages as were accepted for it. */
export function allPulled(ledger: Ledger, recipients: string[]): boolean {
  const expected = expectedPerRecipient(ledger);
  return recipients.every((r) => (ledger.pulled.get(r)?.length ?? 0) >= (expected.get(r) ?? 0));
}
