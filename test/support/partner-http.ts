import { pkiLayout } from '@tongban/pki';
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, request } from 'undici';
import { Stack, testPki } from './harness';

/**
 * Raw HTTP(S) access for end-to-end tests that must see what PartnerClient hides: response headers,
 * arbitrary content types and bodies, and certificates other than the stack's own.
 */
export interface RawResponse<T = Record<string, unknown>> {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  body: T;
}

export class RawHttp {
  private readonly agent: Agent;

  constructor(
    private readonly baseUrl: string,
    tls?: { cert?: Buffer | string; key?: Buffer | string; ca?: Buffer | string },
  ) {
    this.agent = new Agent({ connect: tls ? { ...tls, rejectUnauthorized: true } : {}, connections: 4, pipelining: 1 });
  }

  async send<T = Record<string, unknown>>(method: 'GET' | 'POST', path: string, body?: string | Buffer, contentType?: string): Promise<RawResponse<T>> {
    const response = await request(`${this.baseUrl}${path}`, {
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
      // not JSON: keep the text
    }
    return { status: response.statusCode, headers: response.headers, text, body: parsed as T };
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** A mutual-TLS client of the stack's partner API with the client certificate of a district or operator of the test PKI. */
export async function partnerHttp(stack: Stack, who: { district: string } | { operator: string }): Promise<RawHttp> {
  const layout = pkiLayout(await testPki());
  const files = 'district' in who ? layout.district(who.district) : layout.operator(who.operator);
  return new RawHttp(stack.gateway.partnerUrl, { cert: readFileSync(files.clientCert), key: readFileSync(files.clientKey), ca: readFileSync(layout.caCert) });
}

/** What a refused request must not have written: rows of messages and cases, and rows ever inserted into the outbox. */
/**
 * What a refused message must not have written. Outbox rows need no count of their own (the relay deletes
 * them, and a rolled-back insert still advances the id sequence): every outbox row references a message
 * row, and a refused message adds none, nor any admin action that could re-queue an old one.
 */
export async function writeSnapshot(stack: Stack): Promise<{ messages: number; cases: number; outboxForNewMessages: number }> {
  const [row] = await stack.runtime.database.dataSource.query(
    `SELECT (SELECT count(*)::int FROM messages) AS messages,
            (SELECT count(*)::int FROM cases) AS cases,
            (SELECT count(*)::int FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.message_id = o.message_id)) AS "outboxForNewMessages"`,
  );
  return row;
}

export interface RejectionRow {
  id: string;
  peer: string;
  code: string;
  message_id: string | null;
  envelope_digest: string | null;
  size_bytes: number;
  detail: string;
}

/** Rejections recorded after `afterId` (use lastRejectionId() before the request). */
export async function rejectionsSince(stack: Stack, afterId: string): Promise<RejectionRow[]> {
  return stack.runtime.database.dataSource.query(`SELECT * FROM rejections WHERE id > $1 ORDER BY id`, [afterId]);
}

export async function lastRejectionId(stack: Stack): Promise<string> {
  const [{ id }] = await stack.runtime.database.dataSource.query(`SELECT coalesce(max(id), 0)::text AS id FROM rejections`);
  return id;
}
