import { ProvisionDemoStaffUseCase, type ProvisionedAccount } from '@tongban/cases';
import { readFileSync } from 'node:fs';
import { TOTP, URI } from 'otpauth';
import { Agent, fetch } from 'undici';
import { Stack, createTestDatabase, startStack, uniquePrefix } from '../support/harness';

/** Staff sign-in for the desk console on PostgreSQL: two factors, cookies, CSRF, lock-out, rate limit, audit. */
describe('desk console: staff accounts and sessions', () => {
  let stack: Stack;
  let db: { url: string; drop(): Promise<void> };
  let accounts: ProvisionedAccount[];
  let dispatcher: Agent;
  const query = (sql: string, params: unknown[] = []) => stack.runtime.database.dataSource.query(sql, params);

  beforeAll(async () => {
    db = await createTestDatabase();
    stack = await startStack({ databaseUrl: db.url, amqpPrefix: uniquePrefix('console'), worker: false });
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

  it('locks an account after 5 failed sign-ins, and rate-limits sign-in per address', async () => {
    const a = account('440304');
    for (let i = 0; i < 5; i++) expect((await login(a, { password: 'guess' })).status).toBe(401);
    const locked = await login(a);
    expect({ status: locked.status, body: await locked.json() }).toMatchObject({ status: 423, body: { code: 'ACCOUNT_LOCKED', lockedUntil: expect.any(String) } });
    let limited = 0;
    for (let i = 0; i < 4; i++) if ((await login(account('440306'), { password: 'guess' })).status === 429) limited += 1;
    expect(limited).toBeGreaterThan(0);
  });

  it('records every attempt and action as who, what, when, result', async () => {
    const rows: Array<{ username: string; action: string; result: string }> = await query(`SELECT username, action, result FROM staff_audit ORDER BY id`);
    const results = rows.map((r) => `${r.username} ${r.action} ${r.result}`);
    expect(results).toEqual(expect.arrayContaining(['desk-hz-zhongkai login FAILED', 'desk-hz-zhongkai login OK', 'desk-hz-zhongkai logout OK', 'desk-440304 login LOCKED']));
  });
});
