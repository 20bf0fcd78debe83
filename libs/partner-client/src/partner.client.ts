import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
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

  /** Any other GET of the partner API (ledger, audit), answered as JSON. */
  get(path: string): Promise<PartnerResponse<Record<string, unknown>>> {
    return this.call('GET', path);
  }

  /** Any other POST of the partner API with a JSON body. */
  post(path: string, body: unknown): Promise<PartnerResponse<Record<string, unknown>>> {
    return this.call('POST', path, JSON.stringify(body), 'application/json');
  }

  /**
   * Streams a file to POST /v1/materials (never holding it whole when given a stream); the answer is the
   * file reference `{ digest, size, mediaType, name }` to put in an envelope. `size` sends Content-Length
   * (else the body is chunked); `sha256` (hex) lets the gateway refuse bytes damaged on the way.
   */
  async uploadMaterial(
    content: Buffer | Readable,
    file: { name: string; mediaType: string; sha256?: string; size?: number },
  ): Promise<PartnerResponse<MaterialUploadAnswer>> {
    const headers: Record<string, string> = {
      'content-type': 'application/octet-stream',
      'x-tongban-media-type': file.mediaType,
      'x-tongban-file-name': encodeURIComponent(file.name),
    };
    if (file.sha256) headers['x-tongban-sha256'] = file.sha256;
    if (file.size !== undefined) headers['content-length'] = String(file.size);
    const response = await request(`${this.opts.baseUrl}/v1/materials`, { method: 'POST', dispatcher: this.agent, headers, body: content });
    const text = await response.body.text();
    return { status: response.statusCode, body: (text ? JSON.parse(text) : null) as MaterialUploadAnswer };
  }

  /** GET /v1/materials/{digest}: status, headers and the body as a stream, which the caller must consume or destroy. */
  async downloadMaterial(digest: string, caseNumber?: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: Readable }> {
    const query = caseNumber ? `?${new URLSearchParams({ case: caseNumber })}` : '';
    const response = await request(`${this.opts.baseUrl}/v1/materials/${encodeURIComponent(digest)}${query}`, { method: 'GET', dispatcher: this.agent });
    return { status: response.statusCode, headers: response.headers as IncomingHttpHeaders, body: response.body };
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

/** The file reference on success (201), or a problem+json body. */
export interface MaterialUploadAnswer {
  digest: string;
  size: number;
  mediaType: string;
  name: string;
  code?: string;
  detail?: string;
  [k: string]: unknown;
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
  /** The contract version to read (the sender's, or the one the gateway converted to). */
  contract: string;
  /** Gateway-signed conversion when the payload to read differs from the envelope's (version or partner codes). */
  conversion: string | null;
}
