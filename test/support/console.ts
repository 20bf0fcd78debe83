import type { ProvisionedAccount } from '@tongban/cases';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TOTP, URI } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { Agent, fetch } from 'undici';
import { ROOT_DIR } from './harness';

/** Debian's chromium (installed by .ci/run); a missing browser fails the run, it is never skipped. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where failing browser steps leave their screenshots (and the README's come from). */
export const SHOTS = join(ROOT_DIR, 'var', 'test-screenshots');

/** The account's current one-time code. */
export function totpOf(account: ProvisionedAccount, at = Date.now()): string {
  return (URI.parse(account.otpauthUri) as TOTP).generate({ timestamp: at });
}

/** Signs in over HTTPS like the console's script does: the session cookie and the CSRF token. */
export async function consoleSession(consoleUrl: string | undefined, dispatcher: Agent, account: ProvisionedAccount): Promise<{ cookie: string; csrf: string }> {
  if (!consoleUrl) throw new Error('this stack runs no console listener');
  const response = await fetch(`${consoleUrl}/console/api/login`, {
    method: 'POST',
    dispatcher,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: account.username, password: account.password, totp: totpOf(account) }),
  });
  if (response.status !== 200) throw new Error(`sign-in of ${account.username} refused: ${response.status}`);
  return { cookie: response.headers.get('set-cookie')!.split(';')[0], csrf: ((await response.json()) as { csrfToken: string }).csrfToken };
}

/** Fills the sign-in form of an open console page (zh-CN labels) and sends it with Enter. */
export async function signInOnPage(page: Page, consoleUrl: string | undefined, account: ProvisionedAccount): Promise<void> {
  if (!consoleUrl) throw new Error('this stack runs no console listener');
  await page.goto(`${consoleUrl}/console/`);
  await page.getByLabel('用户名').fill(account.username);
  await page.getByLabel('密码').fill(account.password);
  await page.getByLabel('动态验证码（6位）').fill(totpOf(account));
  await page.getByLabel('动态验证码（6位）').press('Enter');
}

/**
 * A named step of a browser test: on failure, a screenshot of every open page of the browser is kept
 * in var/test-screenshots before the failure is rethrown.
 */
export function screenshotSteps(browser: () => Browser | undefined, prefix: string) {
  return async (name: string, run: () => Promise<void>): Promise<void> => {
    try {
      await run();
    } catch (error) {
      mkdirSync(SHOTS, { recursive: true });
      const pages = browser()?.contexts().flatMap((c) => c.pages()) ?? [];
      await Promise.all(pages.map((p, i) => p.screenshot({ path: join(SHOTS, `${prefix}${name}-${i}-${Date.now()}.png`), fullPage: true }).catch(() => undefined)));
      throw error;
    }
  };
}
