import type { AppConfig } from '@tongban/config';
import { PartnerClient } from '@tongban/partner-client';
import { pkiLayout } from '@tongban/pki';
import { readFileSync } from 'node:fs';
import { sleep } from './latency';
import { HandoffTracker, LoadClock, runLoadSchedule } from './tracker';
import { Pair, SubmissionFactory } from './traffic';

export interface LoadOptions {
  config: AppConfig;
  pkiDir: string;
  partnerUrl: string;
  districts: string[];
  pairs: Pair[];
  concurrency: number;
  warmupS: number;
  durationS: number;
  /** Longest wait after the load for accepted messages to reach their recipients. */
  drainS: number;
  /** Pause of a recipient's pull loop after an empty page. */
  idlePollMs: number;
  pullLimit: number;
  /** Called when the measurement window opens and closes (CPU accounting). */
  onWindow?: (edge: 'start' | 'end') => void;
  /** Polled by the loops: true stops the load (and the drain) early. */
  stop?: () => boolean;
  /** Progress label on stderr (default 'gateway'). */
  label?: string;
}

/**
 * Drives the partner API over mutual TLS: `concurrency` submissions in flight, spread over every
 * pair, each signed by its sending district just before it is sent; every recipient district pulls
 * its inbox (GET /v1/inbox, then POST /v1/inbox/ack) in its own loop, all concurrently.
 */
export async function runGatewayLoad(opts: LoadOptions): Promise<HandoffTracker> {
  const tracker = new HandoffTracker();
  const layout = pkiLayout(opts.pkiDir);
  const ca = readFileSync(layout.caCert);
  const clients: PartnerClient[] = [];
  const clientFor = (district: string, connections: number): PartnerClient => {
    const files = layout.district(district);
    const client = new PartnerClient({ baseUrl: opts.partnerUrl, cert: readFileSync(files.clientCert), key: readFileSync(files.clientKey), ca, connections });
    clients.push(client);
    return client;
  };
  const senders = [...new Set(opts.pairs.map((p) => p.from))];
  const perSender = Math.ceil(opts.concurrency / senders.length);
  const submitClients = new Map(senders.map((d) => [d, clientFor(d, perSender)]));
  const pullClients = new Map(opts.districts.map((d) => [d, clientFor(d, 1)]));
  const factory = new SubmissionFactory(opts.config, opts.pkiDir, opts.districts);

  const sendLoop = async (index: number, clock: LoadClock): Promise<void> => {
    // Interleave the pairs so every sender has the same share of the in-flight submissions.
    const pair = opts.pairs[index % opts.pairs.length];
    const client = submitClients.get(pair.from) as PartnerClient;
    while (clock.sending()) {
      let messageId: string | undefined;
      try {
        const next = await factory.next(pair);
        messageId = next.messageId;
        tracker.submitted(messageId);
        const response = await client.submit(next.envelope);
        if (response.status === 202) tracker.acceptedOk();
        else tracker.failed(messageId, `POST /v1/messages ${pair.from}->${pair.to}: HTTP ${response.status} ${String(response.body?.code ?? '')}`.trim());
      } catch (error) {
        tracker.failed(messageId, `POST /v1/messages: ${(error as Error).message}`);
        await sleep(50); // a refused connection must not spin
      }
    }
  };

  const pullLoop = async (district: string, clock: LoadClock): Promise<void> => {
    const client = pullClients.get(district) as PartnerClient;
    while (clock.pulling()) {
      try {
        const page = await client.pull(null, opts.pullLimit);
        if (page.status !== 200) {
          tracker.failed(undefined, `GET /v1/inbox ${district}: HTTP ${page.status}`);
          await sleep(100);
          continue;
        }
        const items = page.body.items;
        if (items.length === 0) {
          await sleep(opts.idlePollMs);
          continue;
        }
        for (const item of items) tracker.deliveredTo(item.messageId);
        const ack = await client.ack(items.map((i) => i.messageId));
        if (ack.status !== 200) tracker.failed(undefined, `POST /v1/inbox/ack ${district}: HTTP ${ack.status} ${String((ack.body as { code?: unknown })?.code ?? '')}`.trim());
        else tracker.acknowledgedOk(ack.body.acknowledged);
      } catch (error) {
        tracker.failed(undefined, `inbox ${district}: ${(error as Error).message}`);
        await sleep(100);
      }
    }
  };

  try {
    await runLoadSchedule({ ...opts, label: opts.label ?? 'gateway', tracker }, sendLoop, pullLoop);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
  return tracker;
}
