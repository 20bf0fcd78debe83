import { CheckMaterialReferencesUseCase, CaseError } from '@tongban/cases';
import { MessageType } from '@tongban/envelope';
import { demoCaseNumber, demoSubmissionPayload, signedMessage } from '@tongban/partner-client';
import { MIGRATIONS } from '@tongban/persistence';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { v7 as uuidv7 } from 'uuid';
import { Stack, createTestDatabase, startStack, testPki, uniquePrefix } from '../support/harness';
import { MaterialsHttp } from './materials-http';

/**
 * Issue #4 point 4, materials: uploaded separately and streamed, stored content-addressed by SHA-256
 * (in a directory or in PostgreSQL), limited in size, downloadable by the uploader and the parties of
 * a case that references them. The same suite runs on both content stores.
 */
jest.setTimeout(90_000);

const A = 'HZ-ZHONGKAI';
const B = '440303';
const C = '440304';
const MAX_BYTES = 2 * 1024 * 1024;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe.each(['directory', 'postgres'] as const)('materials on the %s store, over mutual TLS on PostgreSQL', (store) => {
  let stack: Stack;
  let db: { url: string; drop(): Promise<void> };
  let a: MaterialsHttp;
  let b: MaterialsHttp;
  let c: MaterialsHttp;

  beforeAll(async () => {
    db = await createTestDatabase();
    stack = await startStack({
      databaseUrl: db.url,
      amqpPrefix: uniquePrefix(`materials-${store}`),
      worker: false,
      env: { MATERIALS_STORE: store, MATERIALS_MAX_BYTES: String(MAX_BYTES) },
    });
    const pki = await testPki();
    [a, b, c] = [A, B, C].map((d) => new MaterialsHttp(stack.gateway.partnerUrl, pki, d));
  });
  afterAll(async () => {
    await Promise.all([a, b, c].map((h) => h?.close()));
    await stack?.stop();
    await db?.drop();
  });

  const query = (sql: string, params: unknown[] = []) => stack.runtime.database.dataSource.query(sql, params);

  const headersFor = (name: string, mediaType = 'application/pdf', extra: Record<string, string> = {}) => ({
    'content-type': 'application/octet-stream',
    'x-tongban-media-type': mediaType,
    'x-tongban-file-name': encodeURIComponent(name),
    ...extra,
  });

  /** Everything the stores hold: rows, content files, staged leftovers. */
  async function kept() {
    const [rows] = await query(
      `SELECT (SELECT count(*)::int FROM materials) AS materials, (SELECT count(*)::int FROM material_uploaders) AS uploaders,
              (SELECT count(*)::int FROM material_contents) AS contents, (SELECT count(DISTINCT object_id)::int FROM material_chunks) AS objects`,
    );
    const dir = stack.config.materials.dir;
    const files = existsSync(dir) ? readdirSync(dir).filter((d) => d !== '.staging').flatMap((d) => readdirSync(join(dir, d))) : [];
    const staged = existsSync(join(dir, '.staging')) ? readdirSync(join(dir, '.staging')).length : 0;
    return { ...rows, files: files.length, staged };
  }

  /** A case between A and B whose submission references `file`: accepting it links the file to the case. */
  async function caseReferencing(file: Record<string, unknown>): Promise<string> {
    const payload = demoSubmissionPayload(stack.config.alliance, A, B) as { materials: { file?: unknown }[] };
    payload.materials = payload.materials.map((m) => ({ ...m, file }));
    const { body, envelope } = await signedMessage(stack.signingKey(A), {
      caseNumber: demoCaseNumber(A),
      collaborationId: uuidv7(),
      sender: A,
      recipient: B,
      messageType: MessageType.CASE_SUBMISSION,
      payload,
    });
    expect((await stack.client(A).submit(envelope)).status).toBe(202);
    // Linked in the transaction that accepted the submission, not after it.
    const links = await query(`SELECT count(*)::int AS n FROM material_cases WHERE sha256 = $1 AND case_number = $2`, [
      (file.digest as string).slice('sha256:'.length),
      body.caseNumber,
    ]);
    expect(links).toEqual([{ n: 1 }]);
    return body.caseNumber;
  }

  it('stores an upload under its SHA-256 and answers the file reference', async () => {
    const bytes = randomBytes(300_000);
    const before = await kept();
    const res = await a.upload(bytes, headersFor('申请书 扫描件.pdf', 'application/pdf', { 'x-tongban-sha256': sha256(bytes) }));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ digest: `sha256:${sha256(bytes)}`, size: bytes.length, mediaType: 'application/pdf', name: '申请书 扫描件.pdf' });
    expect(res.headers.location).toBe(`/v1/materials/sha256:${sha256(bytes)}`);
    const after = await kept();
    expect(after).toMatchObject({ materials: before.materials + 1, uploaders: before.uploaders + 1, staged: 0 });
    if (store === 'directory') {
      expect(existsSync(join(stack.config.materials.dir, sha256(bytes).slice(0, 2), sha256(bytes)))).toBe(true);
      expect(after.files).toBe(before.files + 1);
      expect(after.contents).toBe(0);
    } else {
      expect(after).toMatchObject({ contents: before.contents + 1, objects: before.objects + 1, files: 0 });
    }
  });

  it('stores the same bytes once, whoever uploads them, and streams a chunked body of any media type', async () => {
    const bytes = randomBytes(1_500_000);
    const first = await stack.client(A).uploadMaterial(bytes, { name: 'a.bin', mediaType: 'application/octet-stream', size: bytes.length });
    expect(first.status).toBe(201);
    const before = await kept();
    // Chunked (no Content-Length), with the file's own media type as Content-Type: even application/json stays a stream.
    const again = await b.upload(Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), {
      'content-type': 'application/json',
      'x-tongban-file-name': encodeURIComponent('copy.json'),
    });
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ digest: first.body.digest, size: bytes.length, mediaType: 'application/json', name: 'copy.json' });
    // One more uploader, no more content.
    expect(await kept()).toEqual({ ...before, uploaders: before.uploaders + 1 });
    // B uploaded those bytes too, so B may read them.
    expect((await b.download(`/v1/materials/${first.body.digest}`)).status).toBe(200);
  });

  it('refuses an upload over materials.maxBytes with 413 and keeps nothing, with or without Content-Length', async () => {
    const before = await kept();
    const declared = await a.upload(randomBytes(MAX_BYTES + 1), headersFor('big.pdf'));
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', maxBytes: MAX_BYTES });

    // Chunked: refused as the stream passes the limit, long before the client has sent it all.
    let sent = 0;
    const endless = Readable.from(
      (function* () {
        for (let i = 0; i < 64; i++) {
          sent += 1024 * 1024;
          yield randomBytes(1024 * 1024);
        }
      })(),
    );
    const streamed = await a.upload(endless, headersFor('endless.pdf')).catch((error: Error) => ({ status: 0, body: { error: error.message } }));
    expect(streamed).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(sent).toBeLessThan(32 * 1024 * 1024);
    expect(await kept()).toEqual(before);
  });

  it('refuses bytes that do not match x-tongban-sha256 with 422 and keeps nothing', async () => {
    const before = await kept();
    const bytes = randomBytes(50_000);
    const res = await a.upload(bytes, headersFor('scan.pdf', 'application/pdf', { 'x-tongban-sha256': sha256(Buffer.from('something else')) }));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'MATERIAL_DIGEST_MISMATCH', received: `sha256:${sha256(bytes)}` });
    expect(await kept()).toEqual(before);
    expect((await a.download(`/v1/materials/sha256:${sha256(bytes)}`)).status).toBe(404);
  });

  it.each([
    ['no file name', { 'content-type': 'application/pdf' }],
    ['a file name that is a path', { 'content-type': 'application/pdf', 'x-tongban-file-name': encodeURIComponent('../etc/passwd') }],
    ['a broken percent-encoding', { 'content-type': 'application/pdf', 'x-tongban-file-name': '%E4%B8' }],
    ['a media type without a subtype', { 'content-type': 'pdf', 'x-tongban-file-name': 'a.pdf' }],
    ['a malformed x-tongban-sha256', { 'content-type': 'application/pdf', 'x-tongban-file-name': 'a.pdf', 'x-tongban-sha256': 'abc' }],
  ])('refuses an upload with %s: 400 MATERIAL_MALFORMED', async (_what, headers) => {
    const before = await kept();
    const res = await a.upload(randomBytes(1000), headers);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'MATERIAL_MALFORMED' });
    expect(await kept()).toEqual(before);
  });

  it('lets the uploader download, then the parties of a case that references it; others get 403, unknown digests 404', async () => {
    const bytes = randomBytes(700_000);
    const up = await a.upload(bytes, headersFor('身份证.jpg', 'image/jpeg'));
    expect(up.status).toBe(201);
    const digest = up.body.digest as string;

    const mine = await a.download(`/v1/materials/${digest}`);
    expect(mine.status).toBe(200);
    expect(sha256(mine.bytes)).toBe(sha256(bytes));
    expect(mine.headers).toMatchObject({
      'content-type': 'image/jpeg',
      'content-length': String(bytes.length),
      'x-tongban-sha256': digest,
      'repr-digest': `sha-256=:${Buffer.from(sha256(bytes), 'hex').toString('base64')}:`,
    });
    expect(mine.headers['content-disposition']).toBe(`attachment; filename="___.jpg"; filename*=UTF-8''${encodeURIComponent('身份证.jpg')}`);
    // The bare hex names it too.
    expect((await a.download(`/v1/materials/${digest.slice(7)}`)).status).toBe(200);

    const notYet = await b.download(`/v1/materials/${digest}`);
    expect(notYet.status).toBe(403);
    expect(JSON.parse(notYet.bytes.toString())).toMatchObject({ code: 'NOT_A_PARTY' });

    const caseNumber = await caseReferencing({ digest, size: bytes.length, mediaType: 'image/jpeg', name: '身份证.jpg' });
    const party = await b.download(`/v1/materials/${digest}?case=${encodeURIComponent(caseNumber)}`);
    expect(party.status).toBe(200);
    expect(sha256(party.bytes)).toBe(sha256(bytes));
    expect((await b.download(`/v1/materials/${digest}`)).status).toBe(200);
    expect((await b.download(`/v1/materials/${digest}?case=OTHER-CASE`)).status).toBe(403);

    const third = await c.download(`/v1/materials/${digest}?case=${encodeURIComponent(caseNumber)}`);
    expect(third.status).toBe(403);
    expect(JSON.parse(third.bytes.toString())).toMatchObject({ code: 'NOT_A_PARTY' });

    const unknown = await c.download(`/v1/materials/sha256:${'0'.repeat(64)}`);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.bytes.toString())).toMatchObject({ code: 'MATERIAL_NOT_FOUND' });
    expect((await a.download('/v1/materials/not-a-digest')).status).toBe(404);
  });

  it('checks the references of a payload against what is stored and what the sender may read', async () => {
    const bytes = randomBytes(10_000);
    const up = await a.upload(bytes, headersFor('form.pdf'));
    const file = { digest: up.body.digest, size: bytes.length, mediaType: 'application/pdf', name: 'form.pdf' };
    const check = stack.gateway.partnerApp.get(CheckMaterialReferencesUseCase);
    expect(await check.execute({ materials: [{ file }] }, A)).toEqual([file.digest]);

    const refusal = await check.execute({ materials: [{ file: { ...file, size: 9_999 } }, { file: { ...file, digest: `sha256:${'1'.repeat(64)}` } }] }, A).catch((e: CaseError) => e);
    expect(refusal).toBeInstanceOf(CaseError);
    expect((refusal as CaseError).code).toBe('MATERIAL_MISSING');
    expect((refusal as CaseError).detail).toEqual({
      materials: [
        { pointer: '/materials/0/file', digest: file.digest, reason: 'SIZE_DIFFERS', size: 9_999, storedSize: bytes.length },
        { pointer: '/materials/1/file', digest: `sha256:${'1'.repeat(64)}`, reason: 'NOT_STORED', size: 10_000 },
      ],
    });
    // C neither uploaded it nor is party to a case that references it.
    await expect(check.execute({ file }, C)).rejects.toMatchObject({ code: 'MATERIAL_MISSING', detail: { materials: [{ reason: 'NOT_STORED' }] } });
  });

  it('leaves other routes as they were: application/octet-stream is still 415 on /v1/messages', async () => {
    const res = await a.post('/v1/messages', Buffer.from('not an envelope'), 'application/octet-stream');
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  if (store === 'postgres') {
    it("the migration's down() removes the tables and up() restores them", async () => {
      const migration = MIGRATIONS.find((m) => m.name === 'Materials1764082800000');
      expect(migration).toBeDefined();
      const runner = stack.runtime.database.dataSource.createQueryRunner();
      try {
        await new migration!().down(runner);
        const [{ n }] = await runner.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name LIKE 'material%'`);
        expect(n).toBe(0);
        await new migration!().up(runner);
        const [{ m }] = await runner.query(`SELECT count(*)::int AS m FROM information_schema.tables WHERE table_name LIKE 'material%'`);
        expect(m).toBe(5);
      } finally {
        await runner.release();
      }
    });
  }
});
