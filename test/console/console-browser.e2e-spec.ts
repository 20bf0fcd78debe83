import { ProvisionDemoStaffUseCase, type ProvisionedAccount } from '@tongban/cases';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOTP, URI } from 'otpauth';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, SHOTS, screenshotSteps } from '../support/console';
import { ROOT_DIR, Stack, createTestDatabase, startStack, submitDemoCase, uniquePrefix } from '../support/harness';

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

  const step = screenshotSteps(() => browser, '');

  it('signs in with TOTP, lists the case, opens it by keyboard, English; the partner signs for it and accepts it with the step forms; sign out', async () => {
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
      expect(await page.locator('#case-timeline').textContent()).toContain('收件流转');
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
      // Luohu's approving officer, in a browser of their own (in China's time zone), signs for the case (签收) with its form.
      const other = await (await browser.newContext({ ignoreHTTPSErrors: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })).newPage();
      await other.goto(`${stack.gateway.consoleUrl}/console/`);
      await other.getByLabel('用户名').fill(officer.username);
      await other.getByLabel('密码').fill(officer.password);
      await other.getByLabel('动态验证码（6位）').fill((URI.parse(officer.otpauthUri) as TOTP).generate());
      await other.getByRole('button', { name: '登录' }).click();
      await other.getByRole('tab', { name: '收到待办' }).click();
      await other.getByRole('cell', { name: caseNumber }).click();
      await other.getByRole('button', { name: '签收', exact: true }).click();
      // The form is drawn from the contract and filled in from the server (the submission's id and digest).
      await other.getByRole('heading', { name: '签收' }).waitFor();
      expect(await other.getByLabel('被签收的流转消息编号').inputValue()).toMatch(/^[0-9a-f-]{36}$/);
      expect(await other.getByLabel('签收人员').inputValue()).toBe('深圳市罗湖区 窗口') // the signed-in staff member's name;
      expect(await other.getByLabel('签收时间').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
      const digest = other.getByLabel('被签收信封的 SHA-256 摘要');
      const realDigest = await digest.inputValue();

      // A digest of the right shape but the wrong envelope passes the form and is refused by the
      // gateway: the refusal is shown at the field its pointer names, and in the summary.
      await digest.fill(`sha256:${'0'.repeat(64)}`);
      await other.getByRole('button', { name: '签名并发送' }).click();
      await other.getByRole('alert').filter({ hasText: 'REFERENCE_MISMATCH' }).waitFor();
      const messageId = other.getByLabel('被签收的流转消息编号');
      expect(await messageId.getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await messageId.getAttribute('aria-describedby'))!.split(' ');
      const said = await Promise.all(describedBy.map((id) => other.locator(`[id="${id}"]`).textContent()));
      expect(said.join(' ')).toContain('acknowledgedMessageId/acknowledgedEnvelopeDigest must name the submission');

      await digest.fill(realDigest);
      await other.getByLabel('签收单位名称').fill('深圳市罗湖区政务服务中心');
      const sent = other.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/messages'));
      await other.getByRole('button', { name: '签名并发送' }).click();
      const payload = ((await sent).postDataJSON() as { payload: Record<string, unknown> }).payload;
      expect(payload).toMatchObject({ acknowledgedEnvelopeDigest: realDigest, signedBy: { officer: '深圳市罗湖区 窗口', body: '深圳市罗湖区政务服务中心' } });
      expect(payload.signedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?\+08:00$/);
      expect(payload).not.toHaveProperty('remark'); // left empty: not sent
      await other.getByRole('status').filter({ hasText: '已受理' }).waitFor();
      expect(await other.locator('#case-facts').textContent()).toContain('已签收');
      expect(await other.locator('#case-timeline').textContent()).toContain('签收');

      // 受理 by keyboard: the form opens on its first field, Tab walks the labelled fields.
      await other.getByRole('button', { name: '受理', exact: true }).click();
      await other.getByRole('heading', { name: '受理' }).waitFor();
      const focused = () => other.evaluate<string>("document.activeElement?.labels?.[0]?.textContent ?? ''");
      expect(await focused()).toContain('受理单位名称');
      await other.keyboard.press('Control+A');
      await other.keyboard.type('深圳市罗湖区政务服务中心');
      await other.keyboard.press('Tab');
      expect(await focused()).toContain('受理单位统一社会信用代码');
      await other.keyboard.press('Control+A');
      await other.keyboard.type('11440303TB000005'); // two characters short
      await other.keyboard.press('Tab');
      expect(await focused()).toContain('受理人员');
      await other.keyboard.press('Control+A');
      await other.keyboard.type('孙九');
      await other.getByLabel('受理时间').fill('2026-11-25T10:00');
      await other.getByLabel('受理通知书编号').fill('罗政数受〔2026〕0123号');
      await other.getByLabel('承诺办结时间').fill('2026-12-09T17:30');
      // Counted by the gateway from the item's statutory limit in Luohu's calendar, in the hall's time.
      expect(await other.getByLabel('法定办结时间').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}T23:59:59\.999$/);
      await other.getByLabel('受理通知书编号').press('Enter');

      // Checked in the browser first: the wrong code is marked and focused, nothing is sent.
      const uscc = other.getByLabel('受理单位统一社会信用代码');
      await other.getByRole('alert').filter({ hasText: '请先更正以下 1 处问题' }).waitFor();
      expect(await uscc.getAttribute('aria-invalid')).toBe('true');
      expect(await focused()).toContain('受理单位统一社会信用代码');
      expect(await other.locator('#step-acceptingBody-uscc-error').textContent()).toBe('格式不正确');
      await other.keyboard.type('2B');

      // The advanced JSON view shows what the form holds, and an edit there comes back to the form.
      await other.getByLabel('高级：以 JSON 编辑').check();
      const json = JSON.parse(await other.getByLabel(/消息内容/).inputValue()) as Record<string, unknown>;
      expect(json).toMatchObject({ acceptingBody: { uscc: '11440303TB0000052B' }, officer: '孙九', acceptedAt: '2026-11-25T10:00:00+08:00', promisedDueAt: '2026-12-09T17:30:00+08:00' });
      await other.getByLabel(/消息内容/).fill(JSON.stringify({ ...json, officer: '孙九（窗口）' }));
      await other.getByLabel('高级：以 JSON 编辑').uncheck();
      expect(await other.getByLabel('受理人员').inputValue()).toBe('孙九（窗口）');
      // Switching to English redraws the open form in English and keeps what was typed.
      await other.getByRole('button', { name: /Switch language/ }).click();
      await other.getByRole('heading', { name: 'Accept', exact: true }).waitFor();
      expect(await other.getByLabel('Accepting officer').inputValue()).toBe('孙九（窗口）');
      expect(await other.getByLabel('Time of acceptance').inputValue()).toBe('2026-11-25T10:00');
      await other.getByRole('button', { name: 'Refuse to accept' }).waitFor();
      await other.getByRole('button', { name: /Switch language/ }).click();
      await other.getByRole('heading', { name: '受理', exact: true }).waitFor();

      const accepted = other.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/messages'));
      await other.getByLabel('受理人员').press('Enter');
      expect(((await accepted).postDataJSON() as { payload: unknown }).payload).toEqual({
        acceptingBody: { name: '深圳市罗湖区政务服务中心', uscc: '11440303TB0000052B' },
        officer: '孙九（窗口）',
        acceptedAt: '2026-11-25T10:00:00+08:00',
        noticeNumber: '罗政数受〔2026〕0123号',
        promisedDueAt: '2026-12-09T17:30:00+08:00',
        statutoryDueAt: expect.stringMatching(/T23:59:59\.999\+08:00$/),
        regionCode: '440303',
      });
      await other.getByRole('status').filter({ hasText: '已受理' }).waitFor();
      expect(await other.locator('#case-facts').textContent()).toContain('已受理');

      // 办理环节: an opinion becomes required when the step is sent back (the contract's if/then).
      await other.getByRole('button', { name: '办理环节', exact: true }).click();
      await other.getByRole('heading', { name: '办理环节' }).waitFor();
      expect(await other.getByLabel('环节意见').getAttribute('aria-required')).toBeNull();
      await other.getByLabel('环节处理结果').selectOption({ label: '退回' });
      expect(await other.getByLabel('环节意见').getAttribute('aria-required')).toBe('true');
      await other.getByLabel('环节处理结果').selectOption({ label: '通过（转下一环节）' });
      await other.getByRole('button', { name: '签名并发送' }).click();
      await other.getByRole('status').filter({ hasText: '已受理' }).waitFor();
      expect(await other.locator('#case-facts').textContent()).toContain('审查中');

      // 办结: the fields follow the decision (if/then in the contract). Approved: the certificate;
      // 不予: no certificate, the reasons required, the result codes of a denial only.
      await other.getByRole('button', { name: '办结', exact: true }).click();
      await other.getByRole('heading', { name: '办结' }).waitFor();
      await other.getByRole('group', { name: /核发的证照/ }).waitFor();
      // The issuer is the officer's district; the certificate's name and number are theirs to enter.
      expect(await other.getByLabel('发证机关').inputValue()).toBe('深圳市罗湖区');
      expect(await other.getByLabel('证照编号').inputValue()).toBe('');
      await other.getByLabel('证照名称').fill('无犯罪记录证明');
      await other.getByLabel('证照编号').fill('WFZ-440303-2026-000123');
      await other.getByLabel('办理决定').focus();
      await other.getByLabel('办理决定').selectOption({ label: '不予' });
      await other.getByRole('textbox', { name: '理由 1' }).waitFor();
      expect(await other.getByRole('group', { name: /核发的证照/ }).count()).toBe(0);
      expect(await other.evaluate('document.activeElement?.id')).toBe('step-decision'); // focus stays on the choice
      const codes = await other.getByLabel('办结结果代码').locator('option').allTextContents();
      expect(codes.slice(1)).toEqual(['不予（不符合法定条件、标准）', '受理后查明不属于本机关职权范围而不予办理']);
      mkdirSync(SHOTS, { recursive: true });
      await other.screenshot({ path: join(SHOTS, 'console-step-form.png'), fullPage: true });
      // Back to 准予: the certificate comes back as it was, the blank reason goes.
      await other.getByLabel('办理决定').selectOption({ label: '准予' });
      await other.getByRole('group', { name: /核发的证照/ }).waitFor();
      expect(await other.getByLabel('证照名称').inputValue()).toBe('无犯罪记录证明');
      expect(await other.getByRole('textbox', { name: /理由/ }).count()).toBe(0);
      await other.getByLabel('办结结果代码').selectOption({ label: '准予（全部准予）' });
      await other.getByRole('button', { name: '签名并发送' }).click();
      await other.getByRole('status').filter({ hasText: '已受理' }).waitFor();
      expect(await other.locator('#case-facts').textContent()).toContain('准予');

      // 结果回传, electronic: the result file is uploaded from the form, with progress and its digest.
      await other.getByRole('button', { name: '结果回传', exact: true }).click();
      await other.getByRole('heading', { name: '结果回传' }).waitFor();
      await other.getByLabel('回传方式').selectOption({ label: '电子回传（结果文件）' });
      const result = Buffer.from('%PDF-1.7\n无犯罪记录证明（测试）\n%%EOF\n');
      await other.getByLabel(/^结果文件( \*)?$/).setInputFiles({ name: '无犯罪记录证明.pdf', mimeType: 'application/pdf', buffer: result });
      const digestOfResult = `sha256:${createHash('sha256').update(result).digest('hex')}`;
      await other.locator('.sf-digest').filter({ hasText: digestOfResult }).waitFor();
      expect(await other.getByRole('progressbar', { name: '结果文件上传进度' }).getAttribute('value')).toBe('1');
      await other.getByLabel('回传时间').fill('2026-11-26T09:00');
      await other.screenshot({ path: join(SHOTS, 'console-step-upload.png'), fullPage: true });
      const returned = other.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/messages'));
      await other.getByRole('button', { name: '签名并发送' }).click();
      expect(((await returned).postDataJSON() as { payload: unknown }).payload).toEqual({
        method: 'ELECTRONIC',
        resultFile: { digest: digestOfResult, size: result.length, mediaType: 'application/pdf', name: '无犯罪记录证明.pdf' },
        returnedAt: '2026-11-26T09:00:00+08:00',
      });
      await other.getByRole('status').filter({ hasText: '已受理' }).waitFor();
      expect(await other.locator('#case-facts').textContent()).toContain('结果已回传');
      await other.context().close();
    });
    await step('logout', async () => {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('User name').waitFor();
      const me = await page.evaluate(async () => (await fetch('/console/api/me')).status);
      expect(me).toBe(401);
    });
  });

  /** In the page (a string: this project type-checks without the DOM library): draws one form and reads it back. */
  const DRAW_FORM = `({ schema, payload, lang }) => {
    const form = SchemaForm.render(document.getElementById('form'), schema, payload, { lang, upload: async () => ({}) });
    const controls = [...document.querySelectorAll('#form input, #form select, #form textarea')];
    const ids = [...document.querySelectorAll('#form [id]')].map((e) => e.id);
    return {
      value: form.value(),
      errors: form.errors(),
      unlabelled: controls.filter((e) => !e.labels || e.labels.length === 0).map((e) => e.id),
      duplicateIds: ids.filter((id, i) => ids.indexOf(id) !== i),
    };
  }`;

  it('draws a form for every contract that gives back each valid example, every field labelled', async () => {
    const contracts = join(ROOT_DIR, 'contracts');
    const cases = readdirSync(contracts, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap(({ name: id }) =>
        readdirSync(join(contracts, id), { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .flatMap(({ name: version }) => {
            const dir = join(contracts, id, version);
            const schema = JSON.parse(readFileSync(join(dir, 'schema.json'), 'utf8')) as unknown;
            const valid = join(dir, 'examples', 'valid');
            const files = existsSync(valid) ? readdirSync(valid).filter((f) => f.endsWith('.json')) : [];
            return [{ name: `${id}@${version} (empty)`, schema, payload: {} as unknown }, ...files.map((f) => ({ name: `${id}@${version}/${f}`, schema, payload: JSON.parse(readFileSync(join(valid, f), 'utf8')) as unknown }))];
          }),
      );
    const blank = await (await browser.newContext({ timezoneId: 'Asia/Shanghai' })).newPage();
    const failures: string[] = [];
    blank.on('pageerror', (error) => failures.push(error.message));
    await blank.setContent('<div id="form"></div>');
    await blank.addScriptTag({ path: join(ROOT_DIR, 'apps', 'gateway', 'src', 'console', 'static', 'schema-form.js') });
    // The form writes times in the browser's zone: compare instants, not strings.
    const instants = (value: unknown) => JSON.parse(JSON.stringify(value), (_k, v) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(v) ? new Date(v).toISOString() : v)) as unknown;
    for (const lang of ['zh-CN', 'en']) {
      for (const c of cases) {
        const drawn = (await blank.evaluate(`(${DRAW_FORM})(${JSON.stringify({ schema: c.schema, payload: c.payload, lang })})`)) as { value: unknown; errors: unknown[]; unlabelled: string[]; duplicateIds: string[] };
        expect({ name: c.name, unlabelled: drawn.unlabelled, duplicateIds: drawn.duplicateIds }).toEqual({ name: c.name, unlabelled: [], duplicateIds: [] });
        if (!c.name.endsWith('(empty)')) expect({ name: c.name, value: instants(drawn.value), errors: drawn.errors }).toEqual({ name: c.name, value: instants(c.payload), errors: [] });
      }
    }
    expect(failures).toEqual([]);
    await blank.context().close();
  });
});
