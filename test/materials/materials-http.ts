import { pkiLayout } from '@tongban/pki';
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';

/** Mutual-TLS access to /v1/materials with any headers and body (what PartnerClient keeps tidy). */
export class MaterialsHttp {
  private readonly agent: Agent;

  constructor(
    private readonly baseUrl: string,
    pkiDir: string,
    district: string,
  ) {
    const layout = pkiLayout(pkiDir);
    const files = layout.district(district);
    this.agent = new Agent({
      connect: { cert: readFileSync(files.clientCert), key: readFileSync(files.clientKey), ca: readFileSync(layout.caCert), rejectUnauthorized: true },
      connections: 4,
      pipelining: 1,
    });
  }

  async upload(body: Buffer | Readable, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; body: Record<string, unknown> }> {
    const response = await request(`${this.baseUrl}/v1/materials`, { method: 'POST', dispatcher: this.agent, headers, body });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers as IncomingHttpHeaders, body: text ? JSON.parse(text) : {} };
  }

  async download(path: string): Promise<{ status: number; headers: IncomingHttpHeaders; bytes: Buffer }> {
    const response = await request(`${this.baseUrl}${path}`, { method: 'GET', dispatcher: this.agent });
    return { status: response.statusCode, headers: response.headers as IncomingHttpHeaders, bytes: Buffer.from(await response.body.arrayBuffer()) };
  }

  async post(path: string, body: Buffer, contentType: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await request(`${this.baseUrl}${path}`, { method: 'POST', dispatcher: this.agent, headers: { 'content-type': contentType }, body });
    const text = await response.body.text();
    return { status: response.statusCode, body: text ? JSON.parse(text) : {} };
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
