import { ProvisionDemoStaffUseCase, type ProvisionedAccount } from '@tongban/cases';
import { MessageType, sha256Digest } from '@tongban/envelope';
import { demoCaseNumber, demoLifecyclePayload, demoSubmissionPayload, signedMessage } from '@tongban/partner-client';
import { readFileSync } from 'node:fs';
import { v7 as uuidv7 } from 'uuid';
import { TOTP, URI } from 'otpauth';
import { Agent, fetch } from 'undici';
import { Stack, createTestDatabase, eventually, startStack, submitDemoCase, uniquePrefix } from '../support/harness';

/** Staff sign-in for the desk console on PostgreSQL: two factors, cookies, CSRF, lock-out, rate limit, audit. */
describe('desk console: staff accounts and sessions', () => {
  let stack: Stack;
  let db: { url: string; drop(): Promise<void> };
  let accounts: ProvisionedAccount[];
  let dispatcher: Agent;
  const query = (sql: string, params: unknown[] = []) => stack.runtime.database.dataSource.query(sql, params);

  beforeAll(async () => {
    db = await createTestDatabase();
    stack = await startStack({ databaseUrl: db.url, amqpPrefix: uniquePrefix('console') });
    accounts = await stack.gateway.partnerApp.get(ProvisionDemoStaffUseCase).execute();
    dispatcher = new Agent({ connect: { ca: readFileSync(stack.config.pki.caCert) } });
  });
  afterAll(async () => {
    await dispatcher?.close();
    await stack?.stop();
    await db?.drop();
  });

  const account = (district: string) => accounts.find((a) => a.district === district)!;
  const code = (a: ProvisionedAccount, at = Date.now()) => (URI.parse(a.otpauthUri) as TOTP).generate({ timestamp: at });
  const call = (path: string, init: { method?: string; body?: unknown; cookie?: string; csrf?: string } = {}) =>
    fetch(`${stack.gateway.consoleUrl}${path}`, {
      method: init.method ?? 'GET',
      dispatcher,
      headers: {
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(init.cookie ? { cookie: init.cookie } : {}),
        ...(init.csrf ? { 'x-csrf-token': init.csrf } : {}),
      },
      ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    });
  const login = (a: ProvisionedAccount, overrides: Partial<{ password: string; totp: string }> = {}) =>
    call('/console/api/login', { method: 'POST', body: { username: a.username, password: a.password, totp: code(a), ...overrides } });

  it('provisions one demo account per district, once', async () => {
    expect(accounts.map((a) => a.district).sort()).toEqual(stack.config.alliance.districts.map((d) => d.id).sort());
    expect(accounts[0].otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(await stack.gateway.partnerApp.get(ProvisionDemoStaffUseCase).execute()).toEqual([]);
    const [{ password_hash }] = await query(`SELECT password_hash FROM staff_accounts WHERE username = $1`, [accounts[0].username]);
    expect(password_hash).toMatch(/^scrypt\$32768\$8\$1\$/); // memory-hard, never the password
  });

  it('signs in with password and TOTP: HttpOnly, Secure, SameSite=Strict __Host- cookie, security headers; CSRF on changes', async () => {
    const a = account('HZ-ZHONGKAI');
    expect((await login(a, { password: 'wrong' })).status).toBe(401);
    const ok = await login(a);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { csrfToken: string; staff: { district: string } };
    expect(body.staff.district).toBe('HZ-ZHONGKAI');
    const setCookie = ok.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^__Host-tongban_session=[A-Za-z0-9_-]{40,};/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/Secure/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(ok.headers.get('strict-transport-security')).toContain('max-age=');
    expect(ok.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    const cookie = setCookie.split(';')[0];

    expect((await call('/console/api/me')).status).toBe(401);
    expect(await (await call('/console/api/me', { cookie })).json()).toMatchObject({ username: a.username, district: 'HZ-ZHONGKAI' });
    const noCsrf = await call('/console/api/logout', { method: 'POST', cookie });
    expect({ status: noCsrf.status, body: await noCsrf.json() }).toMatchObject({ status: 403, body: { code: 'CSRF_TOKEN_INVALID' } });
    expect((await call('/console/api/logout', { method: 'POST', cookie, csrf: body.csrfToken })).status).toBe(204);
    expect((await call('/console/api/me', { cookie })).status).toBe(401);
  });

  it('takes a one-time code once', async () => {
    const a = account('440303');
    const totp = code(a);
    expect((await login(a, { totp })).status).toBe(200);
    expect((await login(a, { totp })).status).toBe(401);
  });

  it('serves the screens (zh-CN by default) and, for a signed-in clerk, the catalogue, the case lists and one case', async () => {
    const page = await call('/console/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html lang="zh-CN">');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");

    // A case collected at Zhongkai for Luohu, through the partner API.
    const submission = await submitDemoCase(stack, 'HZ-ZHONGKAI', '440303');
    const { caseNumber } = submission;

    const session = async (district: string) => {
      const a = account(district);
      const response = await call('/console/api/login', { method: 'POST', body: { username: a.username, password: a.password, totp: code(a, Date.now() + 30_000) } });
      expect(response.status).toBe(200);
      csrfOf.set(district, ((await response.json()) as { csrfToken: string }).csrfToken);
      return response.headers.get('set-cookie')!.split(';')[0];
    };
    const csrfOf = new Map<string, string>();
    const zhongkai = await session('HZ-ZHONGKAI');
    const catalogue = (await (await call('/console/api/catalogue', { cookie: zhongkai })).json()) as { partners: Array<{ id: string; items: Array<{ materials: unknown[] }> }> };
    expect(catalogue.partners.map((p) => p.id)).toEqual(['440303', '440304', '440306', '440309', '440106']);
    expect(catalogue.partners[0].items[0].materials.length).toBeGreaterThan(0);

    const outgoing = (await (await call('/console/api/cases?direction=outgoing', { cookie: zhongkai })).json()) as { cases: Array<{ caseNumber: string; partner: string; state: string }> };
    expect(outgoing.cases).toEqual([expect.objectContaining({ caseNumber, partner: '440303', state: 'DISPATCHED' })]);
    const luohu = await session('440303');
    const incoming = (await (await call('/console/api/cases?direction=incoming', { cookie: luohu })).json()) as { cases: Array<{ caseNumber: string; allowedActions: string[] }> };
    expect(incoming.cases[0]).toMatchObject({ caseNumber, allowedActions: expect.arrayContaining(['case.acknowledgement']) });
    expect((await (await call('/console/api/cases?direction=incoming', { cookie: zhongkai })).json()) as object).toEqual({ cases: [], next: null });

    const view = await call(`/console/api/cases/${encodeURIComponent(caseNumber)}`, { cookie: luohu });
    expect(await view.json()).toMatchObject({ caseNumber, state: 'DISPATCHED', timeline: [expect.objectContaining({ messageType: 'case.submission' })] });
    // Only the case's parties: Futian's clerk gets 403 and the attempt is audited too.
    expect((await call(`/console/api/cases/${encodeURIComponent(caseNumber)}`, { cookie: await session('440309') })).status).toBe(403);
    const views = await query(`SELECT username, result FROM staff_audit WHERE action = 'case.view' AND target = $1 ORDER BY id`, [caseNumber]);
    expect(views).toEqual([{ username: 'desk-440303', result: 'OK' }, { username: 'desk-440309', result: 'NOT_A_PARTY' }]);

    // Luohu's approving officer signs for the case (签收) in the console: the district's signed envelope,
    // through the same use case as the partner API; Zhongkai's system receives it by pull.
    const path = `/console/api/cases/${encodeURIComponent(caseNumber)}`;
    const template = (await (await call(`${path}/templates/case.acknowledgement`, { cookie: luohu })).json()) as Record<string, unknown>;
    expect(template).toMatchObject({ acknowledgedMessageId: submission.messageId, signedBy: { officer: '深圳市罗湖区 窗口', body: '深圳市罗湖区' } });
    // The form is drawn from the contract in the version Luohu sends; deadline events are no district's to send.
    const schema = await call('/console/api/contracts/case.acknowledgement', { cookie: luohu });
    expect({ status: schema.status, body: await schema.json() }).toMatchObject({ status: 200, body: { $id: 'https://tongban.example/contracts/case-acknowledgement/1.0.0/schema.json', required: expect.arrayContaining(['signedAt']) } });
    expect((await call('/console/api/contracts/case.acknowledgement')).status).toBe(401);
    const gatewayOnly = await call('/console/api/contracts/case.deadline-event', { cookie: luohu });
    expect({ status: gatewayOnly.status, body: await gatewayOnly.json() }).toMatchObject({ status: 400, body: { code: 'UNKNOWN_CONTRACT' } });
    const noCsrf = await call(`${path}/messages`, { method: 'POST', cookie: luohu, body: { messageType: 'case.acknowledgement', payload: template } });
    expect(noCsrf.status).toBe(403);
    const sent = await call(`${path}/messages`, { method: 'POST', cookie: luohu, csrf: csrfOf.get('440303'), body: { messageType: 'case.acknowledgement', payload: template } });
    const receipt = (await sent.json()) as { messageId: string; receipt: string };
    expect({ status: sent.status, receipt }).toMatchObject({ status: 202, receipt: { messageId: expect.any(String), receipt: expect.any(String) } });
    expect(await (await call(path, { cookie: zhongkai })).json()).toMatchObject({ state: 'ACKNOWLEDGED' });
    const arrived = await eventually(async () => (await stack.client('HZ-ZHONGKAI').pull()).body.items.find((i) => i.messageId === receipt.messageId));
    expect(arrived).toMatchObject({ messageType: 'case.acknowledgement', sender: '440303' });
    // The collecting side cannot sign for its own case: refused by the same rules, with the allowed actions.
    const wrongSide = await call(`${path}/messages`, { method: 'POST', cookie: zhongkai, csrf: csrfOf.get('HZ-ZHONGKAI'), body: { messageType: 'case.acknowledgement', payload: template } });
    expect({ status: wrongSide.status, body: await wrongSide.json() }).toMatchObject({ status: 409, body: { code: 'ACTION_NOT_ALLOWED' } });
  });

  it('takes the applicant’s rating at the window (round 1, one re-rating) and lists bad ratings for the supervisor', async () => {
    const A = 'HZ-ZHONGKAI';
    const B = '440303';
    const caseNumber = demoCaseNumber(A);
    const collaborationId = uuidv7();
    const step = async (from: string, messageType: MessageType, payload: Record<string, unknown>) => {
      const signed = await signedMessage(stack.signingKey(from), { caseNumber, collaborationId, sender: from, recipient: from === A ? B : A, messageType, payload });
      expect({ messageType, status: (await stack.client(from).submit(signed.envelope)).status }).toEqual({ messageType, status: 202 });
      return signed;
    };
    // An immediate case (即办件) walked to delivery through the partner API.
    const submission = await step(A, MessageType.CASE_SUBMISSION, { ...demoSubmissionPayload(stack.config.alliance, A, B), caseType: '1' });
    await step(B, MessageType.CASE_ACKNOWLEDGEMENT, {
      acknowledgedMessageId: submission.body.messageId,
      acknowledgedEnvelopeDigest: sha256Digest(submission.envelope),
      signedBy: { officer: 'approver-01' },
      signedAt: new Date().toISOString(),
    });
    for (const [from, type, variant] of [
      [B, MessageType.ACCEPTANCE, undefined],
      [B, MessageType.CONCLUSION, 'mail'],
      [B, MessageType.RESULT_RETURN, 'mail'],
      [A, MessageType.DELIVERY_CONFIRMATION, undefined],
    ] as const) {
      await step(from, type, demoLifecyclePayload(type, variant));
    }

    const a = account(A);
    // This clerk already used this and the next 30-second code; rather than wait for a third, forget them.
    await query(`UPDATE staff_accounts SET last_totp_step = NULL WHERE username = $1`, [a.username]);
    const signedIn = await call('/console/api/login', { method: 'POST', body: { username: a.username, password: a.password, totp: code(a) } });
    const cookie = signedIn.headers.get('set-cookie')!.split(';')[0];
    const { csrfToken } = (await signedIn.json()) as { csrfToken: string };
    const rate = (level: string, comment?: string) =>
      call(`/console/api/cases/${encodeURIComponent(caseNumber)}/rating`, {
        method: 'POST',
        cookie,
        csrf: csrfToken,
        body: { target: 'WINDOW_SERVICE', level, indicatorCodes: ['WAITING_TIME'], ...(comment ? { comment } : {}) },
      });
    expect((await rate('VERY_DISSATISFIED', '等了一个小时')).status).toBe(202);
    const followUps = (await (await call('/console/api/follow-ups', { cookie })).json()) as { followUps: Array<Record<string, unknown>> };
    expect(followUps.followUps).toEqual([expect.objectContaining({ caseNumber, partner: '440303', level: 'VERY_DISSATISFIED', round: 1, indicatorCodes: ['WAITING_TIME'], comment: '等了一个小时' })]);
    expect((await rate('SATISFIED')).status).toBe(202); // the one re-rating (二次评价)
    // The applicant is satisfied now: the case leaves the call-back list.
    expect(await (await call('/console/api/follow-ups', { cookie })).json()).toEqual({ followUps: [] });
    const third = await rate('VERY_SATISFIED');
    expect({ status: third.status, body: await third.json() }).toMatchObject({ status: 409, body: { code: 'ACTION_NOT_ALLOWED' } });
    expect((await call('/console/rate.html')).status).toBe(200);
  });

  it('locks an account after 5 failed sign-ins, and rate-limits sign-in per address and account', async () => {
    const a = account('440304');
    for (let i = 0; i < 5; i++) expect((await login(a, { password: 'guess' })).status).toBe(401);
    const locked = await login(a);
    expect({ status: locked.status, body: await locked.json() }).toMatchObject({ status: 423, body: { code: 'ACCOUNT_LOCKED', lockedUntil: expect.any(String) } });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await login(account('440306'), { password: 'guess' })).status);
    // 5 wrong → 401, then locked → 423, and past 10 a minute → 429 before the password is even checked.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 423, 423, 423, 423, 423, 429, 429]);
  });

  it('records every attempt and action as who, what, when, result', async () => {
    const rows: Array<{ username: string; action: string; result: string }> = await query(`SELECT username, action, result FROM staff_audit ORDER BY id`);
    const results = rows.map((r) => `${r.username} ${r.action} ${r.result}`);
    expect(results).toEqual(expect.arrayContaining(['desk-hz-zhongkai login FAILED', 'desk-hz-zhongkai login OK', 'desk-hz-zhongkai logout OK', 'desk-440304 login LOCKED']));
  });
});
