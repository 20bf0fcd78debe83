import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { ClientCertificateVerifier, type PeerIdentity } from './client-certificate.verifier';
import { issueDevelopmentPki } from './development-pki.issuer';
import type { PkiLayout } from './pki.layout';

/** What the issued files do in a real handshake: the gateway's setup in miniature. */
describe('mutual TLS with the development PKI', () => {
  let dir: string;
  let foreignDir: string;
  let layout: PkiLayout;
  let foreign: PkiLayout;
  let server: Server;
  let port: number;
  const seen: PeerIdentity[] = [];

  beforeAll(async () => {
    [dir, foreignDir] = await Promise.all([mkdtemp(join(tmpdir(), 'tongban-pki-')), mkdtemp(join(tmpdir(), 'tongban-pki-foreign-'))]);
    [{ layout }, { layout: foreign }] = await Promise.all([
      issueDevelopmentPki({ dir, districts: [{ id: '440303', name: '深圳市罗湖区' }], operators: [] }),
      issueDevelopmentPki({ dir: foreignDir, districts: [{ id: '440303', name: '深圳市罗湖区' }], operators: [] }),
    ]);
    const ca = await readFile(layout.caCert, 'utf8');
    const verifier = new ClientCertificateVerifier({ caCertPem: ca, crlPem: await readFile(layout.crl, 'utf8') });
    server = createServer(
      { cert: await readFile(layout.serverCert), key: await readFile(layout.serverKey), ca, requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        const identity = verifier.identify((req.socket as TLSSocket).getPeerCertificate().raw);
        seen.push(identity);
        res.end(JSON.stringify(identity));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await Promise.all([rm(dir, { recursive: true, force: true }), rm(foreignDir, { recursive: true, force: true })]);
  });

  async function call(pkiLayout: PkiLayout): Promise<{ status?: number; body?: string; error?: Error }> {
    const [cert, key, ca] = await Promise.all([
      readFile(pkiLayout.district('440303').clientCert),
      readFile(pkiLayout.district('440303').clientKey),
      readFile(layout.caCert), // the client always trusts the real gateway
    ]);
    return new Promise((resolve) => {
      const req = request({ host: '127.0.0.1', servername: 'localhost', port, path: '/', cert, key, ca, agent: false }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      });
      req.on('error', (error) => resolve({ error }));
      req.end();
    });
  }

  it('accepts a district client certificate and identifies the district', async () => {
    const result = await call(layout);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body ?? '')).toEqual({ kind: 'district', districtId: '440303' });
  });

  it('refuses a client certificate from another CA at the handshake', async () => {
    const before = seen.length;
    const result = await call(foreign);
    // TLS 1.3: the server's alert reaches the client after its own Finished, as a request error.
    expect(result.error?.message).toMatch(/alert|certificate|ECONNRESET|socket hang up/i);
    expect(result.status).toBeUndefined();
    expect(seen.length).toBe(before); // the request handler never ran
  });
});
