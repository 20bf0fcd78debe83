import { PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { CALLER_KIND, PARTNER_CONTROLLERS } from '@tongban/app-gateway';
import { MessageType } from '@tongban/envelope';
import { demoCaseNumber, demoSubmissionPayload, signedMessage } from '@tongban/partner-client';
import { issueDevelopmentPki, pkiLayout, revokeCertificate } from '@tongban/pki';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { v7 as uuidv7 } from 'uuid';
import { Stack, createTestDatabase, startStack, testPki, uniquePrefix } from '../support/harness';
import { RawHttp, partnerHttp } from '../support/partner-http';

/**
 * Issue #2 point 6: the partner API is mutual TLS with the alliance CA. No certificate, or one from
 * another CA, never gets an HTTP answer; a revoked one, or one of the wrong kind for the route, gets
 * a problem+json refusal; and every route declares who may call it.
 */
// The integration project's testTimeout is not applied per project by jest: set ours here.
jest.setTimeout(60_000);

const A = 'HZ-ZHONGKAI';
const B = '440303';
const C = '440304';
/** Revoked in the tests below; no other test of this suite uses its certificate. */
const REVOKED = '440309';

interface RawExchange {
  /** Everything the server sent back at the application layer. */
  response: string;
  clientError?: NodeJS.ErrnoException;
  /** TLS connections the server established during the attempt (its 'secureConnection' events). */
  serverSecureConnections: number;
  /** Handshakes the server's TLS layer refused during the attempt ('tlsClientError'). */
  serverTlsErrors: Error[];
}

/**
 * One HTTP/1.1 request over a bare node:tls socket, watching both ends: whether the server's TLS layer
 * established the connection, and whether any HTTP byte came back. (In TLS 1.3 the client finishes its
 * side of the handshake before the server has checked the client certificate, so the client alone
 * cannot tell a handshake refusal from a closed connection.)
 */
function rawExchange(server: tls.Server, url: string, options: tls.ConnectionOptions): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  const serverTlsErrors: Error[] = [];
  let serverSecureConnections = 0;
  const onSecure = () => void serverSecureConnections++;
  const onTlsError = (error: Error) => void serverTlsErrors.push(error);
  server.on('secureConnection', onSecure);
  server.on('tlsClientError', onTlsError);
  return new Promise<Omit<RawExchange, 'serverSecureConnections' | 'serverTlsErrors'>>((resolve) => {
    let response = '';
    let clientError: NodeJS.ErrnoException | undefined;
    const socket = tls.connect({ host: hostname, port: Number(port), servername: isIP(hostname) ? undefined : hostname, ...options }, () => {
      socket.write(`GET /v1/inbox HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`);
    });
    socket.setTimeout(5_000, () => socket.destroy(Object.assign(new Error('no answer within 5 s'), { code: 'TEST_TIMEOUT' })));
    socket.on('data', (chunk: Buffer) => (response += chunk.toString('latin1')));
    socket.on('error', (e: NodeJS.ErrnoException) => (clientError = e));
    socket.on('close', () => resolve({ response, clientError }));
  }).then(async (client) => {
    await new Promise((r) => setTimeout(r, 50)); // let the server's events for this socket run
    server.off('secureConnection', onSecure);
    server.off('tlsClientError', onTlsError);
    return { ...client, serverSecureConnections, serverTlsErrors };
  });
}

describe('partner API mutual TLS and caller rules', () => {
  let stack: Stack;
  let db: { url: string; drop(): Promise<void> };
  let pkiDir: string;
  const opened: RawHttp[] = [];
  const temporary: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    stack = await startStack({ databaseUrl: db.url, amqpPrefix: uniquePrefix('mtls'), worker: false });
    pkiDir = await testPki();
  });
  afterAll(async () => {
    await Promise.all(opened.map((c) => c.close()));
    await stack?.stop();
    await db?.drop();
    for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
  });

  async function as(who: { district: string } | { operator: string }): Promise<RawHttp> {
    const client = await partnerHttp(stack, who);
    opened.push(client);
    return client;
  }

  const files = (district: string) => {
    const layout = pkiLayout(pkiDir);
    return { ca: readFileSync(layout.caCert), cert: readFileSync(layout.district(district).clientCert), key: readFileSync(layout.district(district).clientKey) };
  };

  /** A copy of the test PKI whose CRL revokes `district`'s client certificate; returns the CRL's path. */
  async function crlRevoking(district: string): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'tongban-pki-revoked-'));
    temporary.push(dir);
    cpSync(pkiDir, dir, { recursive: true });
    const layout = pkiLayout(dir);
    await revokeCertificate({ dir, certPem: readFileSync(layout.district(district).clientCert, 'utf8') });
    return layout.crl;
  }

  describe('at the handshake', () => {
    const server = () => stack.gateway.partnerApp.getHttpServer() as tls.Server;

    it('lets a district certificate of the alliance CA through (control for the refusals below)', async () => {
      const { ca, cert, key } = files(A);
      const exchange = await rawExchange(server(), stack.gateway.partnerUrl, { ca, cert, key });
      expect(exchange).toMatchObject({ clientError: undefined, serverSecureConnections: 1, serverTlsErrors: [] });
      expect(exchange.response).toMatch(/^HTTP\/1\.1 200 /);
    });

    it('refuses a client without a certificate: the handshake fails and no HTTP byte comes back', async () => {
      const { ca } = files(A);
      const exchange = await rawExchange(server(), stack.gateway.partnerUrl, { ca });
      expect(exchange).toMatchObject({ response: '', serverSecureConnections: 0 });
      expect(exchange.serverTlsErrors).toHaveLength(1);
      expect(exchange.clientError?.code).not.toBe('TEST_TIMEOUT');

      // The same through undici: the request fails, there is no status to look at.
      const anonymous = new RawHttp(stack.gateway.partnerUrl, { ca });
      opened.push(anonymous);
      await expect(anonymous.send('GET', '/v1/inbox')).rejects.toThrow();
    });

    it('refuses a certificate issued by another CA, even one naming an alliance district', async () => {
      const foreignDir = mkdtempSync(join(tmpdir(), 'tongban-foreign-pki-'));
      temporary.push(foreignDir);
      await issueDevelopmentPki({ dir: foreignDir, districts: [{ id: A, name: '冒名仲恺' }], operators: ['admin'] });
      const foreign = pkiLayout(foreignDir).district(A);
      const { ca } = files(A); // the client trusts the real gateway: only its own certificate is foreign
      const exchange = await rawExchange(server(), stack.gateway.partnerUrl, { ca, cert: readFileSync(foreign.clientCert), key: readFileSync(foreign.clientKey) });
      expect(exchange).toMatchObject({ response: '', serverSecureConnections: 0 });
      expect(exchange.serverTlsErrors).toHaveLength(1);
      expect(exchange.clientError?.code).not.toBe('TEST_TIMEOUT');

      const impostor = new RawHttp(stack.gateway.partnerUrl, { ca, cert: readFileSync(foreign.clientCert), key: readFileSync(foreign.clientKey) });
      opened.push(impostor);
      await expect(impostor.send('GET', '/v1/inbox')).rejects.toThrow();
    });
  });

  describe('after the handshake', () => {
    it('refuses a revoked district certificate with 401 CERT_REVOKED once the CRL is updated at run time', async () => {
      const client = await as({ district: REVOKED });
      expect((await client.send('GET', '/v1/inbox')).status).toBe(200);

      const original = stack.config.pki.crl!;
      stack.runtime.certificates.updateCrl(readFileSync(await crlRevoking(REVOKED), 'utf8'));
      try {
        const res = await client.send('GET', '/v1/inbox'); // same keep-alive connection: checked per request
        expect(res.status).toBe(401);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body).toMatchObject({ code: 'CERT_REVOKED', status: 401, detail: expect.stringMatching(/revoked/) });
        // Others are unaffected.
        expect((await (await as({ district: A })).send('GET', '/v1/inbox')).status).toBe(200);
      } finally {
        stack.runtime.certificates.updateCrl(readFileSync(original, 'utf8'));
      }
      expect((await client.send('GET', '/v1/inbox')).status).toBe(200);
    });

    it('refuses a revoked district certificate with 401 CERT_REVOKED on a gateway whose config points at the CRL', async () => {
      const crl = await crlRevoking(REVOKED);
      const otherDb = await createTestDatabase();
      const restarted = await startStack({ databaseUrl: otherDb.url, amqpUrl: null, worker: false, env: { TONGBAN_PKI_CRL: crl } });
      try {
        expect(restarted.config.pki.crl).toBe(crl);
        const revoked = new RawHttp(restarted.gateway.partnerUrl, files(REVOKED));
        const fine = new RawHttp(restarted.gateway.partnerUrl, files(A));
        opened.push(revoked, fine);
        const res = await revoked.send('GET', '/v1/inbox');
        expect(res.status).toBe(401);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body).toMatchObject({ code: 'CERT_REVOKED' });
        expect((await fine.send('GET', '/v1/inbox')).status).toBe(200);
      } finally {
        await restarted.stop();
        await otherDb.drop();
      }
    });

    it('refuses an operator certificate on a district route with 403', async () => {
      const operator = await as({ operator: 'admin' });
      for (const path of ['/v1/inbox', `/v1/messages/${uuidv7()}`, '/v1/cases/some-case']) {
        const res = await operator.send('GET', path);
        expect({ path, status: res.status, code: res.body?.code }).toEqual({ path, status: 403, code: 'WRONG_CALLER_KIND' });
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
      expect((await operator.send('GET', '/v1/admin/dead-letters')).status).toBe(200);
    });

    it('refuses a district certificate on /v1/admin/dead-letters with 403', async () => {
      const district = await as({ district: A });
      const list = await district.send('GET', '/v1/admin/dead-letters');
      expect(list.status).toBe(403);
      expect(list.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(list.body).toMatchObject({ code: 'WRONG_CALLER_KIND', detail: expect.stringMatching(/operator certificates/) });
      const replay = await district.send('POST', `/v1/admin/dead-letters/${uuidv7()}/replay`);
      expect({ status: replay.status, code: replay.body?.code }).toEqual({ status: 403, code: 'WRONG_CALLER_KIND' });
    });

    it("refuses a district asking the status of a message that is not its own with 403 NOT_A_PARTY", async () => {
      const { body, envelope } = await signedMessage(stack.signingKey(A), {
        caseNumber: demoCaseNumber(A),
        collaborationId: uuidv7(),
        sender: A,
        recipient: B,
        messageType: MessageType.CASE_SUBMISSION,
        payload: demoSubmissionPayload(stack.config.alliance, A, B),
      });
      const a = await as({ district: A });
      expect((await a.send('POST', '/v1/messages', envelope, 'application/jose')).status).toBe(202);

      const res = await (await as({ district: C })).send('GET', `/v1/messages/${body.messageId}`);
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'NOT_A_PARTY', detail: expect.stringMatching(/Only the sender and the recipient/) });
      expect(JSON.stringify(res.body)).not.toContain(body.caseNumber); // nothing about the message leaks
      for (const party of [A, B]) {
        expect((await (await as({ district: party })).send('GET', `/v1/messages/${body.messageId}`)).body).toMatchObject({ messageId: body.messageId, sender: A, recipient: B });
      }
    });
  });

  describe('security invariant: default deny', () => {
    it('every route of every partner-API controller declares the caller kind that may call it', () => {
      const undeclared: string[] = [];
      const declared: Array<{ route: string; kind: string }> = [];
      for (const controller of PARTNER_CONTROLLERS) {
        const prefix = Reflect.getMetadata(PATH_METADATA, controller) as string;
        const prototype = controller.prototype as unknown as Record<string, unknown>;
        for (const name of Object.getOwnPropertyNames(prototype)) {
          const handler = prototype[name];
          if (name === 'constructor' || typeof handler !== 'function') continue;
          const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
          if (path === undefined) continue; // not a route
          const route = `${controller.name}.${name} (/${prefix}/${path})`;
          const kind = (Reflect.getMetadata(CALLER_KIND, handler) ?? Reflect.getMetadata(CALLER_KIND, controller)) as string | undefined;
          if (kind === 'district' || kind === 'operator' || kind === 'auditor') declared.push({ route, kind });
          else undeclared.push(route);
        }
      }
      expect(undeclared).toEqual([]);
      // Guards against a stale copy of CALLER_KIND above: then nothing would be found at all.
      expect(declared.length).toBeGreaterThanOrEqual(6);
      expect(declared.filter((d) => d.route.includes('/v1/admin/')).map((d) => d.kind)).toEqual(['operator', 'operator']);
      // Auditors read the audit routes and nothing else; districts everything else.
      expect(declared.filter((d) => d.route.includes('/v1/audit/')).map((d) => d.kind)).toEqual(['auditor', 'auditor', 'auditor']);
      expect(new Set(declared.filter((d) => !/\/v1\/(admin|audit)\//.test(d.route)).map((d) => d.kind))).toEqual(new Set(['district']));
    });

    it('the running partner API serves no controller outside PARTNER_CONTROLLERS', () => {
      const modules = stack.gateway.partnerApp.get(ModulesContainer);
      const served = [...modules.values()].flatMap((m) => [...m.controllers.keys()]);
      expect(new Set(served)).toEqual(new Set(PARTNER_CONTROLLERS));
    });
  });
});
