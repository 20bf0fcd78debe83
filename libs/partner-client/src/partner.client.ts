import { Agent, request } from 'undici';

export interface PartnerClientOptions {
  /** e.g. https://localhost:8443 */
  baseUrl: string;
  cert: Buffer | string;
  key: Buffer | string;
  ca: Buffer | string;
  /** Concurrent connections to keep open (benchmarks raise it). */
  connections?: number;
}

export interface PartnerResponse<T = unknown> {
  status: number;
  body: T;
}

/**
 * A district system's side of the partner API over mutual TLS: what the CLI, the benchmark and the
 * end-to-end tests use, and a reference for integrators.
 */
export class PartnerClient {
  private readonly agent: Agent;

  constructor(private readonly opts: PartnerClientOptions) {
    this.agent = new Agent({
      connect: { cert: opts.cert, key: opts.key, ca: opts.ca, rejectUnauthorized: true },
      connections: opts.connections ?? 8,
      pipelining: 1,
      keepAliveTimeout: 30_000,
    });
  }

  submit(envelope: string): Promise<PartnerResponse<Record<string, unknown>>> {
    return this.call('POST', '/v1/messages', envelope, 'application/jose');
  }

  pull(after?: string | null, limit = 100): Promise<PartnerResponse<{ items: InboxEntry[]; nextCursor: string | null }>> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (after) query.set('after', after);
    return this.call('GET', `/v1/inbox?${query}`);
  }

  ack(messageIds: string[]): Promise<PartnerResponse<{ acknowledged: string[]; unknown: string[] }>> {
    return this.call('POST', '/v1/inbox/ack', JSON.stringify({ messageIds }), 'application/json');
  }

  messageStatus(messageId: string): Promise<PartnerResponse<Record<string, unknown>>> {
    return this.call('GET', `/v1/messages/${encodeURIComponent(messageId)}`);
  }

  getCase(caseNumber: string): Promise<PartnerResponse<Record<string, unknown>>> {
    return this.call('GET', `/v1/cases/${encodeURIComponent(caseNumber)}`);
  }

  async call<T>(method: 'GET' | 'POST', path: string, body?: string, contentType?: string): Promise<PartnerResponse<T>> {
    const response = await request(`${this.opts.baseUrl}${path}`, {
      method,
      dispatcher: this.agent,
      headers: contentType ? { 'content-type': contentType } : {},
      body,
    });
    const text = await response.body.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (e.g. metrics text); return as is
    }
    return { status: response.statusCode, body: parsed as T };
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

export interface InboxEntry {
  seq: string;
  messageId: string;
  messageType: string;
  sender: string;
  caseNumber: string;
  envelope: string;
  receipt: string;
  deliveredAt: string;
}
