import { ProvisionDemoStaffUseCase, type ProvisionedAccount } from '@tongban/cases';
import { residentIdCheckCharacter } from '@tongban/config';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, SHOTS, screenshotSteps, signInOnPage } from '../support/console';
import { Stack, createTestDatabase, startStack, uniquePrefix } from '../support/harness';

/**
 * One case from the window to the rating, every step in the browser, against the real gateway,
 * PostgreSQL and RabbitMQ: Huizhou Zhongkai's clerk collects it for Shenzhen Luohu (收件, with a
 * scan and the 收件凭证), Luohu's officer signs for it and asks for a supplement, the clerk sends it,
 * Luohu accepts and concludes and returns the result, the clerk hands it over (出件), the applicant
 * rates the window (好差评), and the supervisor's dashboard counts the case.
 */
describe('desk console in chromium: a whole case, window to rating', () => {
  let stack: Stack;
  let db: { url: string; drop(): Promise<void> };
  let browser: Browser;
  let clerk: ProvisionedAccount;
  let officer: ProvisionedAccount;

  beforeAll(async () => {
    db = await createTestDatabase();
    stack = await startStack({ databaseUrl: db.url, amqpPrefix: uniquePrefix('walk') });
    const accounts = await stack.gateway.partnerApp.get(ProvisionDemoStaffUseCase).execute();
    clerk = accounts.find((a) => a.district === 'HZ-ZHONGKAI')!;
    officer = accounts.find((a) => a.district === '440303')!;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await db?.drop();
  });

  const step = screenshotSteps(() => browser, 'walk-');

  async function signIn(account: ProvisionedAccount): Promise<Page> {
    // The hall's time zone, so the forms' local times are +08:00 like the windows'.
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInOnPage(page, stack.gateway.consoleUrl, account);
    await page.getByRole('tab', { name: '代收发出' }).waitFor();
    return page;
  }

  async function openFromList(page: Page, tab: '代收发出' | '收到待办', caseNumber: string): Promise<void> {
    const back = page.getByRole('button', { name: '返回列表' }); // from a case or the 收件 screen
    if (await back.isVisible()) await back.click();
    await page.getByRole('tab', { name: tab }).click();
    await page.getByRole('cell', { name: caseNumber }).click();
    await page.getByRole('heading', { name: new RegExp(caseNumber) }).waitFor();
  }

  /** Opens a step's form from its button; `fill` edits it; sends it and waits for the gateway's receipt. */
  async function sendStep(page: Page, label: string, fill: () => Promise<void> = async () => undefined): Promise<Record<string, unknown>> {
    await page.getByRole('button', { name: label, exact: true }).click();
    await page.getByRole('heading', { name: label, exact: true }).waitFor();
    await fill();
    const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/messages'));
    await page.getByRole('button', { name: '签名并发送' }).click();
    const payload = ((await sent).postDataJSON() as { payload: Record<string, unknown> }).payload;
    await page.getByRole('status').filter({ hasText: '已受理' }).waitFor();
    return payload;
  }

  const state = (page: Page) => page.locator('#case-facts').textContent();

  it('collects, works, issues, rates and counts one case', async () => {
    const desk = await signIn(clerk);
    let caseNumber = '';
    const scan = Buffer.from('%PDF-1.4\n身份证复印件（扫描，测试）\n%%EOF\n');

    await step('collect', async () => {
      await desk.getByRole('button', { name: '收件（新办件）' }).click();
      await desk.getByLabel('办理地（合作地区）').selectOption('440303');
      await desk.getByRole('group', { name: '代收事项' }).getByLabel('事项').selectOption({ label: '无犯罪记录证明开具' });
      // The partner's checklist for the item, with its promised limit.
      expect(await desk.locator('#collect-limits').textContent()).toContain('承诺时限 1 个工作日');
      await desk.getByRole('row', { name: /申请人有效身份证件/ }).waitFor();
      await desk.getByLabel('申请人有效身份证件(居民身份证) 扫描件').setInputFiles({ name: '身份证.pdf', mimeType: 'application/pdf', buffer: scan });
      await desk.getByRole('row', { name: /申请人有效身份证件/ }).getByText(/已上传/).waitFor();
      expect(await desk.getByLabel('申请人有效身份证件(居民身份证) 收取方式').inputValue()).toBe('COPY');
      await desk.getByLabel('申请人有效身份证件(居民身份证) 收取方式').selectOption('ELECTRONIC');
      await desk.getByLabel('姓', { exact: true }).fill('李');
      await desk.getByLabel('名', { exact: true }).fill('小明');
      // A resident ID with a wrong check digit is flagged as it is typed, and refused on sending.
      const first17 = '44130219900307123';
      const good = first17 + residentIdCheckCharacter(first17)!;
      await desk.getByLabel('证件号码').fill(first17 + (good.endsWith('0') ? '1' : '0'));
      expect(await desk.locator('#id-check').textContent()).toContain('校验位不正确');
      await desk.getByRole('button', { name: '签名并流转' }).click();
      await desk.getByRole('alert').filter({ hasText: '校验位不正确' }).waitFor();
      expect(await desk.getByLabel('证件号码').getAttribute('aria-invalid')).toBe('true');
      await desk.getByLabel('证件号码').fill(good);
      expect(await desk.locator('#id-check').textContent()).toContain('校验位正确');
      expect(await desk.locator('#collect-problems').textContent()).toBe(''); // the refusal was about the old number
      await desk.getByLabel('手机号码').fill('13912345678');
      mkdirSync(SHOTS, { recursive: true });
      await desk.screenshot({ path: join(SHOTS, 'walk-collect.png'), fullPage: true });
      const submitted = desk.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/console/api/cases'));
      await desk.getByRole('button', { name: '签名并流转' }).click();
      const answer = (await (await submitted).json()) as { caseNumber: string; queryPassword: string; intake: { materials: Array<{ scanned: boolean }> } };
      caseNumber = answer.caseNumber;
      await desk.getByRole('heading', { name: '已流转，回执已签发' }).waitFor();
      expect(await desk.locator('#collect-summary').textContent()).toContain(answer.queryPassword);
      expect(answer.intake.materials).toEqual([expect.objectContaining({ scanned: true })]);

      // The 收件凭证 opens in its own tab, ready to print: case number, password, item, partner, materials.
      const [receipt] = await Promise.all([desk.context().waitForEvent('page'), desk.getByRole('link', { name: '打印收件凭证' }).click()]);
      await receipt.getByRole('heading', { name: '跨域通办收件凭证' }).waitFor();
      await receipt.locator('#receipt-facts dd').first().waitFor();
      const facts = await receipt.locator('#receipt-facts').textContent();
      for (const expected of [caseNumber, answer.queryPassword, '无犯罪记录证明开具', '深圳市罗湖区']) expect(facts).toContain(expected);
      expect(await receipt.locator('#receipt-materials').textContent()).toContain('电子材料');
      await receipt.emulateMedia({ media: 'print' });
      await receipt.screenshot({ path: join(SHOTS, 'walk-receipt.png'), fullPage: true });
      expect(await receipt.getByRole('button', { name: '打印' }).isVisible()).toBe(false);
      await receipt.close();
    });

    await step('filters', async () => {
      await desk.getByRole('button', { name: '返回列表' }).click();
      await desk.locator('#filters').getByLabel('事项').selectOption({ label: '在职人才引进' });
      await desk.getByRole('button', { name: '筛选' }).click();
      await desk.getByRole('cell', { name: '暂无办件' }).waitFor();
      await desk.locator('#filters').getByLabel('事项').selectOption({ label: '无犯罪记录证明开具' });
      await desk.locator('#filters').getByLabel('合作地区').selectOption('440303');
      await desk.getByRole('button', { name: '筛选' }).click();
      const row = desk.getByRole('row', { name: new RegExp(caseNumber) });
      expect(await row.textContent()).toContain('深圳市罗湖区（440303）');
      expect(await row.textContent()).toContain('未受理'); // no promised date before acceptance
      await desk.getByLabel('仅超期').check();
      await desk.getByRole('button', { name: '筛选' }).click();
      await desk.getByRole('cell', { name: '暂无办件' }).waitFor();
      await desk.getByLabel('仅超期').uncheck();
      await desk.locator('#filters').getByLabel('事项').selectOption('');
      await desk.locator('#filters').getByLabel('合作地区').selectOption('');
    });

    const luohu = await signIn(officer);
    await step('arrives and is signed for', async () => {
      await openFromList(luohu, '收到待办', caseNumber);
      expect(await state(luohu)).toContain('已流转待签收');
      await sendStep(luohu, '签收');
      expect(await state(luohu)).toContain('已签收');
    });

    await step('supplement requested', async () => {
      // All missing items at once (行政许可法 Art. 32): the officer names them; the form starts with none.
      const request = await sendStep(luohu, '补正通知', async () => {
        await luohu.getByLabel('补正通知书编号').fill('罗政数补〔2026〕0042号');
        // The list needs at least one item, so the form opens with one empty line.
        const line = luohu.getByRole('group', { name: '需补正的全部材料 1' });
        await line.getByLabel(/^材料编码/).fill('NCR-02');
        await line.getByLabel(/^材料名称/).fill('居民户口簿');
        await line.getByLabel(/^问题类型/).selectOption('MISSING');
      });
      expect(request).toMatchObject({ phase: 'BEFORE_ACCEPTANCE', items: [{ materialCode: 'NCR-02', name: '居民户口簿', problem: 'MISSING' }] });
      expect(await state(luohu)).toContain('待补正');
    });

    await step('supplement sent from the window', async () => {
      await openFromList(desk, '代收发出', caseNumber);
      expect(await state(desk)).toContain('待补正');
      // The supplement answers the request under its notice number, one line per item asked for.
      const supplement = await sendStep(desk, '转告/补正材料');
      expect(supplement).toMatchObject({ noticeNumber: '罗政数补〔2026〕0042号', materials: [{ code: 'NCR-02', name: '居民户口簿', form: 'COPY', count: 1 }] });
      expect(await state(desk)).toContain('已签收');
    });

    await step('accepted, concluded, result returned', async () => {
      await openFromList(luohu, '收到待办', caseNumber);
      const acceptance = await sendStep(luohu, '受理', async () => {
        await luohu.getByLabel('受理通知书编号').fill('罗政数受〔2026〕0123号');
      });
      expect(acceptance).toMatchObject({ acceptingBody: { name: '深圳市罗湖区' }, officer: '深圳市罗湖区 窗口', noticeNumber: '罗政数受〔2026〕0123号' });
      expect(await state(luohu)).toContain('已受理');
      await sendStep(luohu, '办理环节');
      expect(await state(luohu)).toContain('审查中');
      const certificate = Buffer.from('OFD 电子证照（测试）');
      const conclusion = await sendStep(luohu, '办结', async () => {
        await luohu.getByLabel('办理决定').selectOption({ label: '准予' });
        await luohu.getByLabel('证照名称').fill('无犯罪记录证明');
        await luohu.getByLabel('证照编号').fill('WFZ-440303-2026-000123');
        // The e-certificate's digest is filled by uploading the file, not typed.
        await luohu.getByLabel(/^上传文件以填写电子证照文件摘要/).setInputFiles({ name: '电子证照.ofd', mimeType: 'application/ofd', buffer: certificate });
        await luohu.getByText('已上传：电子证照.ofd').waitFor();
        await luohu.getByLabel('办结结果代码').selectOption({ label: '准予（全部准予）' });
      });
      expect(conclusion).toMatchObject({ decision: 'APPROVED', certificate: { number: 'WFZ-440303-2026-000123', issuer: '深圳市罗湖区', fileDigest: `sha256:${createHash('sha256').update(certificate).digest('hex')}` } });
      expect(await state(luohu)).toContain('准予');
      const result = Buffer.from('%PDF-1.7\n无犯罪记录证明（测试）\n%%EOF\n');
      const returned = await sendStep(luohu, '结果回传', async () => {
        await luohu.getByLabel('回传方式').selectOption({ label: '电子回传（结果文件）' });
        await luohu.getByLabel(/^结果文件( \*)?$/).setInputFiles({ name: '无犯罪记录证明.pdf', mimeType: 'application/pdf', buffer: result });
        await luohu.locator('.sf-digest').filter({ hasText: `sha256:${createHash('sha256').update(result).digest('hex')}` }).waitFor();
      });
      expect(returned).toMatchObject({ method: 'ELECTRONIC', resultFile: { name: '无犯罪记录证明.pdf' } });
      expect(await state(luohu)).toContain('结果已回传');
    });

    await step('issued at the window (出件)', async () => {
      await openFromList(desk, '代收发出', caseNumber);
      const issued = await sendStep(desk, '出件/送达', async () => {
        expect(await desk.getByLabel('送达方式').inputValue()).toBe('WINDOW_HANDOVER'); // no courier was chosen at 收件
        expect(await desk.getByLabel('送达方式').locator('option:checked').textContent()).toBe('窗口出件');
      });
      expect(issued).toMatchObject({ method: 'WINDOW_HANDOVER' });
      expect(await state(desk)).toContain('已出件');
      // The timeline shows every step with its receipt, and the ledger proves each in time.
      const timeline = await desk.locator('#case-timeline').textContent();
      for (const label of ['收件流转', '签收', '补正通知', '转告/补正材料', '受理', '办理环节', '办结', '结果回传', '出件']) expect(timeline).toContain(label);
      // Every step is on the ledger under a signed checkpoint within seconds (the worker sequences each second).
      for (let tries = 0; (await desk.locator('#case-timeline .proof.pending').count()) > 0; tries++) {
        if (tries > 20) throw new Error('ledger entries were not checkpointed within 10 s');
        await desk.waitForTimeout(500);
        await openFromList(desk, '代收发出', caseNumber);
      }
      expect(await desk.locator('#case-timeline .proof.ok').count()).toBe(9);
      expect(await state(desk)).toContain('惠州仲恺高新技术产业开发区（HZ-ZHONGKAI）');
      mkdirSync(SHOTS, { recursive: true });
      await desk.screenshot({ path: join(SHOTS, 'walk-case.png'), fullPage: true });
    });

    await step('rated at the window (好差评), called back, re-rated', async () => {
      const rateOnTablet = async (level: RegExp, comment?: string) => {
        const [tablet] = await Promise.all([desk.context().waitForEvent('page'), desk.getByRole('link', { name: '请申请人评价（好差评）' }).click()]);
        await tablet.setViewportSize({ width: 1024, height: 768 }); // the hall's tablet
        await tablet.getByRole('radio', { name: level }).click();
        if (comment) {
          await tablet.getByRole('button', { name: '等候时间长' }).click();
          await tablet.getByLabel('留言（选填）').fill(comment);
        }
        await tablet.screenshot({ path: join(SHOTS, 'walk-rate.png') });
        await tablet.getByRole('button', { name: '提交评价' }).click();
        await tablet.getByRole('status').filter({ hasText: '感谢您的评价' }).waitFor();
        await tablet.close();
      };
      await rateOnTablet(/^不满意/, '等候时间较长');
      // The supervisor's call-back list (差评回访) shows it, and opens the case from it.
      await desk.getByRole('button', { name: '差评回访' }).click();
      const row = desk.getByRole('row', { name: new RegExp(caseNumber) });
      await row.waitFor();
      expect(await row.textContent()).toContain('窗口服务（一次一评）');
      expect(await row.textContent()).toContain('等候时间较长');
      await row.click();
      await desk.getByRole('heading', { name: new RegExp(caseNumber) }).waitFor();
      // After the call-back the applicant re-rates once (二次评价): the case leaves the list.
      await rateOnTablet(/^非常满意/);
      await desk.getByRole('button', { name: '差评回访' }).click();
      await desk.getByRole('cell', { name: '暂无差评' }).waitFor();
    });

    await step('counted on the dashboard', async () => {
      await desk.goto(`${stack.gateway.consoleUrl}/console/dashboard.html`);
      await desk.getByRole('heading', { name: /数据大屏/ }).waitFor();
      // This database holds this one case: collected, concluded on time, rated 非常满意 at the window.
      const figures = (await desk.evaluate(async () => (await fetch('/console/api/dashboard')).json())) as { totals: { outgoing: Record<string, unknown>; incoming: { total: number } }; byPartner: Array<{ partner: { id: string }; outgoing: { total: number } }> };
      expect(figures.totals.outgoing).toMatchObject({ total: 1, accepted: 1, concluded: 1, completionRate: 1, satisfaction: { WINDOW_SERVICE: { VERY_SATISFIED: 1 } } });
      expect(figures.totals.incoming.total).toBe(0);
      expect(figures.byPartner.find((p) => p.partner.id === '440303')?.outgoing.total).toBe(1);
      await desk.locator('#kpis dd').first().waitFor();
      const kpis = await desk.locator('#kpis').textContent();
      expect(kpis).toContain('代收发出');
      expect(kpis).toContain('100');
      await desk.screenshot({ path: join(SHOTS, 'walk-dashboard.png') });
    });
  });
});
