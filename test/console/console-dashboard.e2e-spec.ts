import { Clock, ProvisionDemoStaffUseCase, type ProvisionedAccount } from '@tongban/cases';
import { MessageType, sha256Digest } from '@tongban/envelope';
import { demoCaseNumber, demoLifecyclePayload, demoSubmissionPayload, signedMessage } from '@tongban/partner-client';
import { readFileSync } from 'node:fs';
import { TOTP, URI } from 'otpauth';
import { chromium } from 'playwright-core';
import { Agent, fetch } from 'undici';
import { v7 as uuidv7 } from 'uuid';
import { signInOnPage } from '../support/console';
import { Stack, createTestDatabase, startStack, submitDemoCase, uniquePrefix } from '../support/harness';

const A = 'HZ-ZHONGKAI'; // the supervisor's district: collects for Luohu, and Luohu collects for it
const B = '440303';
const DAY = 86_400_000;
/** Debian's chromium, as in console-browser.e2e-spec.ts: a missing browser fails the run. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The system clock moved by an offset: cases can be accepted "two weeks ago" and still tick. */
class OffsetClock extends Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

interface Figures {
  total: number;
  accepted: number;
  concluded: number;
  completionRate: number | null;
  onTime: number;
  onTimeRate: number | null;
  measured: number;
  avgWorkingDaysUsed: number | null;
  avgPromisedWorkingDays: number | null;
  avgStatutoryWorkingDays: number | null;
  timeSavedVsPromised: number | null;
  timeSavedVsStatutory: number | null;
  satisfaction: Record<'WINDOW_SERVICE' | 'CASE_HANDLING', Record<string, number>>;
}
interface Entry {
  caseNumber: string;
  direction: string;
  partner: { id: string };
  item: { code: string };
  promisedDueAt: string;
  workingDaysLeft: number | null;
}
interface Dashboard {
  period: { from: string; to: string };
  totals: { outgoing: Figures; incoming: Figures };
  byPartner: Array<{ partner: { id: string; name: string }; outgoing: Figures; incoming: Figures }>;
  byItem: Array<{ item: { code: string }; outgoing: Figures; incoming: Figures }>;
  overdue: { count: number; cases: Entry[] };
  atRisk: { count: number; cases: Entry[] };
}

/**
 * The supervisor dashboard on PostgreSQL + RabbitMQ: cases walked through the partner API (one decided
 * and rated, one running near its due date, one accepted two weeks ago and overdue, one not yet signed
 * for, one collected by the partner), then the figures read in the console by a supervisor.
 */
describe('desk console: supervisor dashboard', () => {
  let stack: Stack;
  let db: { url: string; drop(): Promise<void> };
  let accounts: ProvisionedAccount[];
  let dispatcher: Agent;
  const clock = new OffsetClock();
  const query = (sql: string, params: unknown[] = []) => stack.runtime.database.dataSource.query(sql, params);
  const cases: Record<'decided' | 'running' | 'overdue' | 'dispatched' | 'incoming', string> = { decided: '', running: '', overdue: '', dispatched: '', incoming: '' };
  let twoWeeksAgo: string;

  const localDate = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

  /** One case from `from` to `to`, walked through `steps` by the partner API; the sender signs each step. */
  async function walk(from: string, to: string, steps: Array<[sender: 'from' | 'to', type: MessageType, payload?: Record<string, unknown>]>, caseType = '2') {
    const caseNumber = demoCaseNumber(from);
    const collaborationId = uuidv7();
    const send = async (sender: string, messageType: MessageType, payload: Record<string, unknown>) => {
      const recipient = sender === from ? to : from;
      const signed = await signedMessage(stack.signingKey(sender), { caseNumber, collaborationId, sender, recipient, messageType, payload, sentAt: clock.now().toISOString() });
      const response = await stack.client(sender).submit(signed.envelope);
      expect({ messageType, status: response.status, body: response.body }).toMatchObject({ messageType, status: 202 });
      return signed;
    };
    const submission = await send(from, MessageType.CASE_SUBMISSION, { ...demoSubmissionPayload(stack.config.alliance, from, to), caseType });
    for (const [who, type, payload] of steps) {
      const sender = who === 'from' ? from : to;
      const body =
        payload ??
        (type === MessageType.CASE_ACKNOWLEDGEMENT
          ? { acknowledgedMessageId: submission.body.messageId, acknowledgedEnvelopeDigest: sha256Digest(submission.envelope), signedBy: { officer: 'approver-01' }, signedAt: clock.now().toISOString() }
          : demoLifecyclePayload(type, type === MessageType.CONCLUSION || type === MessageType.RESULT_RETURN ? 'mail' : undefined));
      await send(sender, type, body);
    }
    return caseNumber;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    stack = await startStack({ databaseUrl: db.url, amqpPrefix: uniquePrefix('dashboard'), clock });
    accounts = await stack.gateway.partnerApp.get(ProvisionDemoStaffUseCase).execute();
    dispatcher = new Agent({ connect: { ca: readFileSync(stack.config.pki.caCert) } });

    // Accepted two weeks ago, never decided: overdue now.
    clock.offsetMs = -14 * DAY;
    twoWeeksAgo = localDate(clock.now());
    cases.overdue = await walk(A, B, [['to', MessageType.CASE_ACKNOWLEDGEMENT], ['to', MessageType.ACCEPTANCE]]);
    clock.offsetMs = 0;
    // An immediate case (即办件) decided at once, delivered, rated by the applicant at the window (and
    // re-rated once), and its handling rated at Luohu.
    cases.decided = await walk(
      A,
      B,
      [
        ['to', MessageType.CASE_ACKNOWLEDGEMENT],
        ['to', MessageType.ACCEPTANCE],
        ['to', MessageType.CONCLUSION],
        ['to', MessageType.RESULT_RETURN],
        ['from', MessageType.DELIVERY_CONFIRMATION],
        ['from', MessageType.EVALUATION, { ...demoLifecyclePayload(MessageType.EVALUATION), level: 'DISSATISFIED' }],
        ['from', MessageType.EVALUATION, demoLifecyclePayload(MessageType.EVALUATION, 'round-2')], // VERY_SATISFIED replaces it
        ['to', MessageType.EVALUATION, { ...demoLifecyclePayload(MessageType.EVALUATION), target: 'CASE_HANDLING', level: 'SATISFIED' }],
      ],
      '1',
    );
    // Accepted today with a 1-working-day promise: at risk.
    cases.running = await walk(A, B, [['to', MessageType.CASE_ACKNOWLEDGEMENT], ['to', MessageType.ACCEPTANCE]]);
    cases.dispatched = (await submitDemoCase(stack, A, B)).caseNumber;
    // Luohu collects for Zhongkai: incoming for the supervisor.
    cases.incoming = (await submitDemoCase(stack, B, A)).caseNumber;
  });
  afterAll(async () => {
    await dispatcher?.close();
    await stack?.stop();
    await db?.drop();
  });

  const call = (path: string, cookie?: string) => fetch(`${stack.gateway.consoleUrl}${path}`, { dispatcher, headers: cookie ? { cookie } : {} });
  /** One session per district for the suite: a one-time code is taken once. */
  const sessions = new Map<string, Promise<string>>();
  const signIn = (district: string): Promise<string> => {
    if (!sessions.has(district)) sessions.set(district, newSession(district));
    return sessions.get(district)!;
  };
  async function newSession(district: string): Promise<string> {
    const a = accounts.find((x) => x.district === district)!;
    const totp = (URI.parse(a.otpauthUri) as TOTP).generate();
    const response = await fetch(`${stack.gateway.consoleUrl}/console/api/login`, {
      method: 'POST',
      dispatcher,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: a.username, password: a.password, totp }),
    });
    expect(response.status).toBe(200);
    return response.headers.get('set-cookie')!.split(';')[0];
  }

  it('gives a supervisor exact figures per partner and item, and the overdue and at-risk running cases', async () => {
    const cookie = await signIn(A);
    const today = localDate(new Date());
    const response = await call(`/console/api/dashboard?from=${twoWeeksAgo}&to=${today}`, cookie);
    expect(response.status).toBe(200);
    const view = (await response.json()) as Dashboard;
    expect(view.period).toEqual({ from: twoWeeksAgo, to: today });

    // Collected for Luohu in the period: 4 (decided, running, overdue, not signed for); 3 accepted, 1 decided.
    const out = view.totals.outgoing;
    expect(out).toMatchObject({ total: 4, accepted: 3, concluded: 1, completionRate: 0.25, onTime: 1, onTimeRate: 1, measured: 1 });
    // Decided the day it was accepted: 0 of 1 promised and 0 of 3 statutory working days used (the item's limits).
    expect(out).toMatchObject({ avgWorkingDaysUsed: 0, avgPromisedWorkingDays: 1, avgStatutoryWorkingDays: 3, timeSavedVsPromised: 1, timeSavedVsStatutory: 1 });
    expect(out.satisfaction).toEqual({
      WINDOW_SERVICE: { VERY_SATISFIED: 1, SATISFIED: 0, BASIC_SATISFIED: 0, DISSATISFIED: 0, VERY_DISSATISFIED: 0 },
      CASE_HANDLING: { VERY_SATISFIED: 0, SATISFIED: 1, BASIC_SATISFIED: 0, DISSATISFIED: 0, VERY_DISSATISFIED: 0 },
    });
    expect(view.totals.incoming).toMatchObject({ total: 1, accepted: 0, concluded: 0, completionRate: 0, onTimeRate: null, avgWorkingDaysUsed: null });

    // Per partner: every partner of the district's agreements, Luohu with the cases, the others with none.
    expect(view.byPartner.map((p) => p.partner.id)).toEqual(stack.config.alliance.partnersOf(A));
    const luohu = view.byPartner.find((p) => p.partner.id === B)!;
    expect(luohu.partner.name).toBe('深圳市罗湖区');
    expect(luohu.outgoing).toEqual(out);
    expect(luohu.incoming.total).toBe(1);
    expect(view.byPartner.find((p) => p.partner.id === '440304')!.outgoing).toMatchObject({ total: 0, completionRate: null });
    // Per item: all five cases are the demo item (无犯罪记录证明).
    const item = stack.config.alliance.findAgreement(A, B, 'no-criminal-record')?.item ?? stack.config.alliance.items[0];
    const demoItem = view.byItem.find((i) => i.item.code === item.implementationCode)!;
    expect({ outgoing: demoItem.outgoing.total, incoming: demoItem.incoming.total }).toEqual({ outgoing: 4, incoming: 1 });

    // The lists: whatever the period, running cases past or within 2 working days of their promise.
    const calendar = stack.runtime.calendars.forDistrict(B);
    const now = new Date();
    expect(view.overdue.count).toBe(1);
    const [overdue] = view.overdue.cases;
    expect(overdue).toMatchObject({ caseNumber: cases.overdue, direction: 'outgoing', partner: { id: B }, item: { code: item.implementationCode } });
    const { body: overdueCase } = await stack.client(A).getCase(cases.overdue);
    expect(overdue.promisedDueAt).toBe((overdueCase as { deadlines: { promisedDueAt: string } }).deadlines.promisedDueAt);
    expect(overdue.workingDaysLeft).toBe(-calendar.workingDaysBetween(new Date(overdue.promisedDueAt), now));
    expect(overdue.workingDaysLeft).toBeLessThan(0);
    expect(view.atRisk).toMatchObject({ count: 1, cases: [{ caseNumber: cases.running, direction: 'outgoing', workingDaysLeft: 1 }] });
    // Only case number, item, partner, due date and days left: nothing about the applicant.
    expect(Object.keys(overdue).sort()).toEqual(['caseNumber', 'direction', 'item', 'partner', 'promisedDueAt', 'workingDaysLeft']);
  });

  it('counts the cases collected in the period (today only leaves out the case of two weeks ago), with defaults for this month', async () => {
    const cookie = await signIn(A);
    const today = localDate(new Date());
    const view = (await (await call(`/console/api/dashboard?from=${today}&to=${today}`, cookie)).json()) as Dashboard;
    expect(view.totals.outgoing).toMatchObject({ total: 3, accepted: 2, concluded: 1, completionRate: 0.3333 });
    expect(view.overdue.count).toBe(1); // the lists do not depend on the period
    const defaults = (await (await call('/console/api/dashboard', cookie)).json()) as Dashboard;
    expect(defaults.period).toEqual({ from: `${today.slice(0, 8)}01`, to: today });
    const bad = await call(`/console/api/dashboard?from=${today}&to=2020-01-01`, cookie);
    expect({ status: bad.status, type: bad.headers.get('content-type') }).toEqual({ status: 400, type: 'application/problem+json; charset=utf-8' });
    expect((await call('/console/api/dashboard?from=2026-02-31', cookie)).status).toBe(400);
  });

  it('is for supervisors only (403 problem+json) and records every view and refusal in the staff audit trail', async () => {
    expect((await call('/console/api/dashboard')).status).toBe(401);
    const clerk = accounts.find((a) => a.district === '440304')!;
    await query(`UPDATE staff_accounts SET roles = '{DESK_CLERK}' WHERE username = $1`, [clerk.username]);
    const refused = await call('/console/api/dashboard', await signIn('440304'));
    expect({ status: refused.status, type: refused.headers.get('content-type'), body: await refused.json() }).toMatchObject({
      status: 403,
      type: 'application/problem+json; charset=utf-8',
      body: { code: 'ROLE_REQUIRED', requiredRole: 'SUPERVISOR' },
    });
    const audit = await query(`SELECT username, target, result FROM staff_audit WHERE action = 'dashboard.view' ORDER BY id`);
    const today = localDate(new Date());
    expect(audit).toEqual([
      { username: 'desk-hz-zhongkai', target: `${twoWeeksAgo}/${today}`, result: 'OK' },
      { username: 'desk-hz-zhongkai', target: `${today}/${today}`, result: 'OK' },
      { username: 'desk-hz-zhongkai', target: `${today.slice(0, 8)}01/${today}`, result: 'OK' },
      { username: 'desk-440304', target: `${today.slice(0, 8)}01/${today}`, result: 'ROLE_REQUIRED' },
    ]);
  });

  it('serves the dashboard page and Apache ECharts from this origin under the strict CSP, and nothing else from node_modules', async () => {
    const page = await call('/console/dashboard.html');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<script src="/console/vendor/echarts/echarts.min.js" defer></script>');
    expect(html).not.toMatch(/<script>|<style|style="/); // no inline script or style: the CSP would block them
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self';.*style-src 'self'/);
    const echarts = await call('/console/vendor/echarts/echarts.min.js');
    expect({ status: echarts.status, type: echarts.headers.get('content-type') }).toMatchObject({ status: 200, type: expect.stringContaining('javascript') });
    expect((await echarts.text()).length).toBeGreaterThan(500_000);
    expect((await call('/console/vendor/echarts/echarts.js')).status).toBe(404);
    expect((await call('/console/vendor/echarts/../package.json')).status).toBe(404);
  });

  it('renders in chromium for Luohu’s supervisor: figures, charts on canvas, lists, English, keyboard, no CSP violation', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await (await browser.newContext({ ignoreHTTPSErrors: true, locale: 'zh-CN', viewport: { width: 1280, height: 800 } })).newPage();
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
      });
      page.on('pageerror', (e) => violations.push(e.message));
      const officer = accounts.find((a) => a.district === B)!;
      await signInOnPage(page, stack.gateway.consoleUrl, officer);
      await page.getByRole('link', { name: '数据大屏' }).click();
      await page.getByRole('heading', { name: /跨域通办数据大屏/ }).waitFor();
      // The heading is static HTML: wait for the first figures, so the page's script has set its period.
      await page.locator('#kpis dd').first().waitFor();
      expect(await page.getByLabel('快捷选择').inputValue()).toBe('month');
      // Luohu received the four cases Zhongkai collected since two weeks ago: a custom period, by keyboard.
      await page.getByLabel('起', { exact: true }).fill(twoWeeksAgo);
      await page.getByLabel('起', { exact: true }).press('Enter');
      await page.locator('#kpis').filter({ hasText: /收到待办（件）\s*4/ }).waitFor();
      expect(await page.getByLabel('快捷选择').inputValue()).toBe('custom');
      const kpis = await page.locator('#kpis').innerText();
      expect(kpis).toMatch(/收到待办（件）\s*4/);
      expect(kpis).toMatch(/超期（件）\s*1/);
      expect(await page.locator('#overdue tbody').innerText()).toContain(cases.overdue);
      expect(await page.locator('#at-risk tbody').innerText()).toContain(cases.running);
      expect(await page.locator('#c-partners canvas').count()).toBe(1);
      expect(await page.getByRole('img', { name: '按合作地区 · 办件量' }).count()).toBe(1);
      expect(await page.locator('#d-satisfaction').innerText()).toMatch(/非常满意\s+1\s+0/);
      expect(await page.locator('#updated').innerText()).toMatch(/^\d{2}:\d{2}:\d{2}$/);
      await page.getByRole('button', { name: /Switch language/ }).click();
      await page.getByRole('heading', { name: /dashboard/ }).waitFor();
      expect(await page.locator('#kpis').innerText()).toContain('Received from partners');
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
