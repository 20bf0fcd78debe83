import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { TLSSocket } from 'node:tls';

/** One POST the gateway made to the district's endpoint, as the endpoint saw it. */
export interface PushHit {
  /** performance.now() when the request body was complete. */
  at: number;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The TLS client certificate the gateway presented (already verified against the alliance CA). */
  peerSubjectCn: string | undefined;
  peerFingerprint256: string | undefined;
  peerAuthorized: boolean;
  status: number;
}

/**
 * A district's own push endpoint: HTTPS with mutual TLS against the alliance CA (client certificate
 * required and verified at the handshake), answering each message id with a scripted status sequence
 * (the last one repeats; 200 for ids without a script). It can be taken down and brought back on the
 * same port, so the alliance file's push URL stays valid.
 */
export class PushEndpoint {
  readonly hits: PushHit[] = [];
  /** TLS handshakes the endpoint refused (e.g. a client certificate without clientAuth). */
  readonly tlsErrors: string[] = [];
  private readonly scripts = new Map<string, number[]>();
  private server: Server | undefined;
  private readonly tls: { cert: Buffer; key: Buffer; ca: Buffer };
  port = 0;

  constructor(tls: { certFile: string; keyFile: string; caFile: string }) {
    this.tls = { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile), ca: readFileSync(tls.caFile) };
  }

  get url(): string {
    return `https://localhost:${this.port}/tongban/inbox`;
  }

  /** Statuses to answer for this message id, in order; the last one repeats. */
  respond(messageId: string, ...statuses: number[]): void {
    this.scripts.set(messageId, statuses);
  }

  hitsFor(messageId: string): PushHit[] {
    return this.hits.filter((h) => h.headers['x-tongban-message-id'] === messageId);
  }

  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer({ ...this.tls, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const messageId = String(req.headers['x-tongban-message-id'] ?? '');
        const script = this.scripts.get(messageId);
        const status = script ? (script.length > 1 ? script.shift()! : script[0]) : 200;
        const socket = req.socket as TLSSocket;
        const peer = socket.getPeerCertificate();
        this.hits.push({
          at: performance.now(),
          method: req.method ?? '',
          path: req.url ?? '',
          headers: { ...req.headers },
          body: Buffer.concat(chunks).toString('utf8'),
          peerSubjectCn: peer?.subject?.CN as string | undefined,
          peerFingerprint256: peer?.fingerprint256,
          peerAuthorized: socket.authorized,
          status,
        });
        const ok = status >= 200 && status < 300;
        res.writeHead(status, { 'content-type': ok ? 'application/json' : 'application/problem+json' });
        res.end(JSON.stringify(ok ? { received: messageId } : { type: 'about:blank', status, title: 'scripted refusal' }));
      });
    });
    server.on('tlsClientError', (error) => this.tlsErrors.push(error.message));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, 'localhost', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Closes the listener and every open (keep-alive) connection: the next push gets ECONNREFUSED. */
  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }
}
