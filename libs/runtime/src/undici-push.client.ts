import { PushClient, PushOutcome } from '@tongban/cases';
import { Agent, request } from 'undici';

/** POSTs envelopes to districts' own endpoints over mutual TLS (the gateway presents its certificate). */
export class UndiciPushClient extends PushClient {
  private readonly agent: Agent;

  constructor(tls: { cert: Buffer; key: Buffer; ca: Buffer }, private readonly timeoutMs: number) {
    super();
    this.agent = new Agent({ connect: { cert: tls.cert, key: tls.key, ca: tls.ca, rejectUnauthorized: true }, keepAliveTimeout: 30_000 });
  }

  async push(
    url: string,
    message: { messageId: string; messageType: string; envelope: string; receipt: string; conversion: string | null },
  ): Promise<PushOutcome> {
    try {
      const response = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: {
          'content-type': 'application/jose',
          'x-tongban-message-id': message.messageId,
          'x-tongban-message-type': message.messageType,
          'x-tongban-receipt': message.receipt,
          // The payload in the version the district accepts, signed by the gateway (see README: versions).
          ...(message.conversion ? { 'x-tongban-conversion': message.conversion } : {}),
        },
        body: message.envelope,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      await response.body.dump();
      const ok = response.statusCode >= 200 && response.statusCode < 300;
      return { ok, status: response.statusCode, reason: ok ? 'OK' : `HTTP ${response.statusCode}` };
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
