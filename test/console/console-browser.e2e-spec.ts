import { ProvisionDemoStaffUseCase, type ProvisionedAccount } from '@tongban/cases';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TOTP, URI } from 'otpauth';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT_DIR, Stack, createTestDatabase, startStack, submitDemoCase, uniquePrefix } from '../support/harness';

/** Debian's chromium (installed by .ci/run); a missing browser fails the run, it is never skipped. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(ROOT_DIR, 'var', 'test-screenshots');

/** The desk console in a real browser against the real gateway, PostgreSQL and RabbitMQ. */
describe('desk console in chromium', () => {
  let stack: Stack;
  let db: { url: string; drop(): Promise<void> };
  let browser: Browser;
  let page: Page;
  let clerk: ProvisionedAccount;
  let officer: ProvisionedAccount;
  let caseNumber: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    stack = await startStack({ databaseUrl: db.url, amqpPrefix: uniquePrefix('browser') });
    const accounts = await stack.gateway.partnerApp.get(ProvisionDemoStaffUseCase).execute();
    clerk = accounts.find((a) => a.district === 'HZ-ZHONGKAI')!;
    officer = accounts.find((a) => a.district === '440303')!;
    ({ caseNumber } = await submitDemoCase(stack, 'HZ-ZHONGKAI', '440303'));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    // The gateway's certificate comes from the alliance CA, which this throwaway profile does not know.
    page = await (await browser.newContext({ ignoreHTTPSErrors: true, locale: 'zh-CN', viewport: { width: 1280, height: 800 } })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await db?.drop();
  });

  /** Runs a step; on failure keeps a screenshot of the page (var/test-screenshots) before failing. */
  async function step(name: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `${name}-${Date.now()}.png`), fullPage: true }).catch(() => undefined);
      throw error;
    }
  }

  it('signs in with TOTP, lists the case, opens it by keyboard, the partner signs for it with the button, English, sign out', async () => {
    await step('login', async () => {
      await page.goto(`${stack.gateway.consoleUrl}/console/`);
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
      await page.getByLabel('用户名').fill(clerk.username);
      await page.getByLabel('密码').fill(clerk.password);
      await page.getByLabel('动态验证码（6位）').fill((URI.parse(clerk.otpauthUri) as TOTP).generate());
      await page.getByLabel('动态验证码（6位）').press('Enter');
      await page.getByRole('cell', { name: caseNumber }).waitFor();
    });
    await step('list', async () => {
      const row = page.getByRole('row', { name: new RegExp(caseNumber) });
      expect(await row.textContent()).toContain('已流转待签收');
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, 'console-list.png') });
      await row.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: new RegExp(caseNumber) }).waitFor();
      expect(await page.locator('#case-timeline').textContent()).toContain('case.submission');
      await page.screenshot({ path: join(SHOTS, 'console-case.png') });
    });
    await step('english', async () => {
      await page.getByRole('button', { name: '返回列表' }).click();
      await page.getByRole('button', { name: /Switch language/ }).click();
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      await page.getByRole('tab', { name: 'Collected for partners' }).waitFor();
      expect(await page.getByRole('row', { name: new RegExp(caseNumber) }).textContent()).toContain('DISPATCHED');
    });
    await step('acknowledge', async () => {
      // Luohu's approving officer, in a browser of their own, signs for the case (签收) with the button.
      const other = await (await browser.newContext({ ignoreHTTPSErrors: true, locale: 'zh-CN' })).newPage();
      await other.goto(`${stack.gateway.consoleUrl}/console/`);
      await other.getByLabel('用户名').fill(officer.username);
      await other.getByLabel('密码').fill(officer.password);
      await other.getByLabel('动态验证码（6位）').fill((URI.parse(officer.otpauthUri) as TOTP).generate());
      await other.getByRole('button', { name: '登录' }).click();
      await other.getByRole('tab', { name: '收到待办' }).click();
      await other.getByRole('cell', { name: caseNumber }).click();
      await other.getByRole('button', { name: 'case.acknowledgement' }).click();
      // The form fills in from the server (the submission's id and digest) after the click.
      await other.waitForFunction("document.getElementById('step-payload').value.includes('acknowledgedMessageId')");
      await other.getByRole('button', { name: '签名并发送' }).click();
      await other.getByRole('status').filter({ hasText: '已受理' }).waitFor();
      expect(await other.locator('#case-facts').textContent()).toContain('已签收');
      await other.context().close();
    });
    await step('logout', async () => {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('User name').waitFor();
      const me = await page.evaluate(async () => (await fetch('/console/api/me')).status);
      expect(me).toBe(401);
    });
  });
});
