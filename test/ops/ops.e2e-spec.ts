import { MessageType } from '@tongban/envelope';
import { demoCaseNumber, demoSubmissionPayload, signedMessage } from '@tongban/partner-client';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { ROOT_DIR, Stack, createTestDatabase, eventually, uniquePrefix } from '../support/harness';
import { CapturedLog, captureLog, startStackWithLogger } from '../support/logged-stack';
import { RawHttp } from '../support/partner-http';

/**
 * Issue #2 point 14, operating the gateway: health, readiness, Prometheus metrics, the OpenAPI document
 * (served and committed), and logs without personal data.
 */
// The integration project's testTimeout is not applied per project by jest: set ours here.
jest.setTimeout(60_000);

const A = 'HZ-ZHONGKAI';
const B = '440303';
/** Personal data in demoSubmissionPayload: must never reach a log line. */
const ID_NUMBER = '11010519491231002X';
const MOBILE = '13800138000';
const COMMITTED_OPENAPI = join(ROOT_DIR, 'docs', 'openapi.json');

describe('operations port: health, metrics, API docs, logs', () => {
  let stack: Stack;
  let db: { url: string; drop(): Promise<void> };
  let log: CapturedLog;
  let ops: RawHttp;

  beforeAll(async () => {
    db = await createTestDatabase();
    log = captureLog('trace');
    stack = await startStackWithLogger({ logger: log.logger, databaseUrl: db.url, amqpPrefix: uniquePrefix('ops') });
    ops = new RawHttp(stack.gateway.opsUrl);
  });
  afterAll(async () => {
    await ops?.close();
    await stack?.stop();
    await db?.drop();
  });

  /** A full hand-off: A submits to B, the worker delivers, B pulls and acknowledges. */
  async function handOff(): Promise<string> {
    const { body, envelope } = await signedMessage(stack.signingKey(A), {
      caseNumber: demoCaseNumber(A),
      collaborationId: uuidv7(),
      sender: A,
      recipient: B,
      messageType: MessageType.CASE_SUBMISSION,
      payload: demoSubmissionPayload(stack.config.alliance, A, B),
    });
    expect(envelope).toBeTruthy();
    expect((await stack.client(A).submit(envelope)).status).toBe(202);
    const b = stack.client(B);
    await eventually(async () => ((await b.pull()).body.items.some((i) => i.messageId === body.messageId) ? true : undefined));
    expect((await b.ack([body.messageId])).body.acknowledged).toEqual([body.messageId]);
    return body.messageId;
  }

  /** Sum of the samples of a counter whose labels match, from Prometheus text. */
  function counter(text: string, name: string, labels: Record<string, string> = {}): number {
    let sum = 0;
    for (const line of text.split('\n')) {
      const match = new RegExp(`^${name}(?:\\{([^}]*)\\})? (\\S+)$`).exec(line);
      if (!match) continue;
      const found = Object.fromEntries([...(match[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      if (Object.entries(labels).every(([k, v]) => found[k] === v)) sum += Number(match[2]);
    }
    return sum;
  }

  it('GET /health/live answers 200', async () => {
    const res = await ops.send('GET', '/health/live');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'up' });
  });

  it('GET /health/ready answers 200 with the database and the broker up', async () => {
    const res = await ops.send('GET', '/health/ready');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'up',
      checks: { database: { up: true }, broker: { up: true, kind: 'amqp' } },
    });
  });

  it('GET /metrics is Prometheus text, and a hand-off increments tongban_messages_accepted_total', async () => {
    const before = await ops.send('GET', '/metrics');
    expect(before.status).toBe(200);
    expect(before.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(before.text).toContain('# TYPE tongban_messages_accepted_total counter');
    expect(before.text).toMatch(/^# HELP tongban_messages_accepted_total /m);
    const labels = { type: MessageType.CASE_SUBMISSION, duplicate: 'false' };
    const accepted = counter(before.text, 'tongban_messages_accepted_total', labels);

    await handOff();

    const after = await ops.send('GET', '/metrics');
    expect(counter(after.text, 'tongban_messages_accepted_total', labels)).toBe(accepted + 1);
    expect(after.text).toMatch(/^tongban_messages_accepted_total\{[^}]*\} \d+$/m);
  });

  it('GET /docs serves Swagger UI and /docs/openapi.json the partner API document', async () => {
    const ui = await ops.send('GET', '/docs');
    expect(ui.status).toBe(200);
    expect(ui.headers['content-type']).toMatch(/^text\/html/);
    expect(ui.text).toMatch(/swagger-ui/i);

    const doc = await ops.send<Record<string, unknown> & { paths: Record<string, unknown> }>('GET', '/docs/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.headers['content-type']).toMatch(/^application\/json/);
    expect(doc.body).toMatchObject({ openapi: expect.stringMatching(/^3\./), info: { title: expect.stringContaining('Tongban partner API') } });
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/v1/messages', '/v1/messages/{messageId}', '/v1/inbox', '/v1/inbox/ack', '/v1/cases/{caseNumber}', '/v1/admin/dead-letters']),
    );
  });

  it('the committed docs/openapi.json is what the running gateway serves', async () => {
    const served = (await ops.send('GET', '/docs/openapi.json')).body;
    const expected = `${JSON.stringify(served, null, 2)}\n`; // the format `tongban openapi` writes
    const regenerate = 'Regenerate it with `npm run tongban -- openapi` and commit docs/openapi.json.';
    if (!existsSync(COMMITTED_OPENAPI)) throw new Error(`docs/openapi.json is missing. ${regenerate}`);
    const committed = readFileSync(COMMITTED_OPENAPI, 'utf8');
    if (committed !== expected) {
      const a = committed.split('\n');
      const b = expected.split('\n');
      const line = a.findIndex((text, i) => text !== b[i]);
      const at = line === -1 ? a.length : line;
      throw new Error(
        `docs/openapi.json differs from the document the gateway serves at /docs/openapi.json. ${regenerate}\n` +
          `First difference, line ${at + 1}:\n  committed: ${a[at] ?? '<end of file>'}\n  served:    ${b[at] ?? '<end of file>'}`,
      );
    }
  });

  it('logs structured JSON and never the applicant’s ID number or mobile, also when a message is refused', async () => {
    await handOff();
    // A refused message carrying the same personal data: the refusal must not echo it either.
    const payload = demoSubmissionPayload(stack.config.alliance, A, B);
    (payload.applicant as Record<string, unknown>).idType = 'not-a-code';
    const refused = await signedMessage(stack.signingKey(A), {
      caseNumber: demoCaseNumber(A),
      collaborationId: uuidv7(),
      sender: A,
      recipient: B,
      messageType: MessageType.CASE_SUBMISSION,
      payload,
    });
    const answer = await stack.client(A).submit(refused.envelope);
    expect(answer.status).toBe(422);
    expect(JSON.stringify(answer.body)).not.toContain(ID_NUMBER);
    // Wait until the worker has delivered and the relay has settled, so their log lines are in.
    await eventually(async () => {
      const [{ n }] = await stack.runtime.database.dataSource.query(`SELECT count(*)::int AS n FROM outbox`);
      return n === 0 ? true : undefined;
    });

    // The capture is the runtime's logger (start-up lines are in it); the hand-off itself logs ids only, if anything.
    const messages = log.lines.map((line) => (JSON.parse(line) as { msg?: string }).msg);
    expect(messages).toEqual(expect.arrayContaining(['gateway listening', 'worker consuming']));
    const all = log.text();
    expect(all).not.toContain(ID_NUMBER);
    expect(all).not.toContain(MOBILE);

    const rejections: Array<{ detail: string }> = await stack.runtime.database.dataSource.query(`SELECT detail FROM rejections`);
    expect(rejections.length).toBeGreaterThan(0);
    for (const { detail } of rejections) {
      expect(detail).not.toContain(ID_NUMBER);
      expect(detail).not.toContain(MOBILE);
    }
  });
});
