import type { AppConfig } from '@tongban/config';
import { MessageType, SigningKey } from '@tongban/envelope';
import { demoCaseNumber, demoSubmissionPayload, signedMessage } from '@tongban/partner-client';
import { pkiLayout } from '@tongban/pki';
import { readFileSync } from 'node:fs';
import { v7 as uuidv7 } from 'uuid';

export interface Pair {
  from: string;
  to: string;
}

/**
 * Which districts take part and who sends to whom. Districts are taken in breadth-first order over
 * the agreements, starting with the best-connected one, so that n = 4 gives HZ-ZHONGKAI with
 * Luohu, Futian and Nanshan (all bidirectional agreements). Only districts that pull their inbox
 * qualify (a push district would not be measured by pulls). Every direction an agreement covers
 * between two chosen districts carries traffic.
 */
export function chooseTraffic(config: AppConfig, count: number): { districts: string[]; pairs: Pair[] } {
  const alliance = config.alliance;
  const directions = new Map<string, Set<string>>();
  for (const a of alliance.agreements) {
    const add = (from: string, to: string) => {
      if (!directions.has(from)) directions.set(from, new Set());
      directions.get(from)?.add(to);
    };
    add(a.collectingDistrict, a.approvingDistrict);
    if (a.bidirectional) add(a.approvingDistrict, a.collectingDistrict);
  }
  const pulls = (id: string) => !alliance.district(id)?.push;
  const degree = (id: string) => alliance.partnersOf(id).length;
  const candidates = alliance.districts.map((d) => d.id).filter(pulls);
  const chosen: string[] = [];
  while (chosen.length < count) {
    const start = candidates.filter((id) => !chosen.includes(id)).sort((a, b) => degree(b) - degree(a))[0];
    if (!start) break;
    const queue = [start];
    while (queue.length > 0 && chosen.length < count) {
      const id = queue.shift() as string;
      if (chosen.includes(id)) continue;
      chosen.push(id);
      for (const p of alliance.partnersOf(id)) if (pulls(p) && !chosen.includes(p)) queue.push(p);
    }
  }
  const pairs: Pair[] = [];
  for (const from of chosen) for (const to of chosen) if (directions.get(from)?.has(to)) pairs.push({ from, to });
  return { districts: chosen, pairs };
}

export function signingKeyOf(pkiDir: string, districtId: string): SigningKey {
  const jwk = JSON.parse(readFileSync(pkiLayout(pkiDir).district(districtId).signingPrivateJwk, 'utf8'));
  return { kid: jwk.kid, alg: jwk.alg, privateJwk: jwk };
}

/** Signs demo case submissions for the pairs; the payload of each pair is built once. */
export class SubmissionFactory {
  private readonly payloads = new Map<string, Record<string, unknown>>();
  private readonly keys = new Map<string, SigningKey>();
  private serial = 0;

  constructor(
    private readonly config: AppConfig,
    pkiDir: string,
    districts: string[],
  ) {
    for (const id of districts) this.keys.set(id, signingKeyOf(pkiDir, id));
  }

  async next(pair: Pair): Promise<{ messageId: string; envelope: string }> {
    const key = `${pair.from}>${pair.to}`;
    let payload = this.payloads.get(key);
    if (!payload) this.payloads.set(key, (payload = demoSubmissionPayload(this.config.alliance, pair.from, pair.to)));
    const signed = await signedMessage(this.keys.get(pair.from) as SigningKey, {
      caseNumber: demoCaseNumber(pair.from, ++this.serial),
      collaborationId: uuidv7(),
      sender: pair.from,
      recipient: pair.to,
      messageType: MessageType.CASE_SUBMISSION,
      payload,
    });
    return { messageId: signed.body.messageId, envelope: signed.envelope };
  }
}
