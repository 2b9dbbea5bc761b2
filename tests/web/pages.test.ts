/**
 * Public pages, sign-in/sign-up and the device pages' error states in headless Chromium, against the
 * app served over HTTP on PGlite (in-process, so the test can expire a code in the database).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceCodes } from '../../server/db/schema/device-codes.ts';
import { formatPrice } from '../../server/web/components/plan-cards.tsx';
import { CLI_CLIENT_ID, DeviceCodeResponseSchema } from '../../shared/contracts.ts';
import { PLAN_IDS, PLANS } from '../../shared/plans.ts';
import { buildOnce } from '../e2e/helpers/build-once.ts';
import { runCli } from '../e2e/helpers/run-cli.ts';
import { expectHeading, parseLoginOutput, signUpInBrowser, TEST_PASSWORD } from './helpers/browser-flows.ts';
import { browserSkipReason, launchBrowser, newVisitor, screenshotBoth } from './helpers/chromium.ts';
import { type ServedApp, serveTestApp } from './helpers/in-process-server.ts';

const skip = browserSkipReason();
let work: string;
let served: ServedApp;
let browser: Browser;
let page: Page;
let problems: string[];
const email = `pages-${Date.now()}@example.test`;

async function requestCode(): Promise<string> {
  const response = await fetch(`${served.url}/api/auth/device/code`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: CLI_CLIENT_ID }),
  });
  return DeviceCodeResponseSchema.parse(await response.json()).user_code;
}

async function expireCode(userCode: string): Promise<void> {
  await served.database.db
    .update(deviceCodes)
    .set({ expiresAt: new Date(Date.now() - 1000) })
    .where(eq(deviceCodes.userCode, userCode.replace(/-/g, '')));
}

describe.skipIf(skip !== null)(
  `public, sign-in and device pages in Chromium${skip ? ` — ${skip}` : ''}`,
  () => {
    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'specmint-web-pages-'));
      [, served, browser] = await Promise.all([
        buildOnce(),
        serveTestApp({ devicePollInterval: '1s' }),
        launchBrowser(),
      ]);
      ({ page, problems } = await newVisitor(browser));
    }, 240_000);

    afterAll(async () => {
      await browser?.close();
      await served?.close();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('home and pricing show the plans from shared/plans.ts and how to start; keyboard focus is visible', async () => {
      for (const [path, name] of [
        ['/', 'home'],
        ['/pricing', 'pricing'],
      ] as const) {
        const response = await page.goto(`${served.url}${path}`);
        expect(response?.status()).toBe(200);
        const main = (await page.getByRole('main').textContent()) ?? '';
        expect(main).toContain('npx specmint login');
        for (const id of PLAN_IDS) {
          const card = page.getByRole('region', { name: PLANS[id].name, exact: true });
          expect(await card.textContent()).toContain(formatPrice(PLANS[id]));
        }
        expect(main).toContain(`${PLANS.free.generationsPerPeriod} distinct specs per period`);
        expect(main).toContain(`${PLANS.pro.generationsPerPeriod} distinct specs per period`);
        await screenshotBoth(page, name);
      }
      // Landmarks, the skip link first in tab order, and a visible focus ring.
      expect(await page.getByRole('banner').count()).toBe(1);
      expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(1);
      expect(await page.getByRole('contentinfo').count()).toBe(1);
      await page.keyboard.press('Tab');
      // A string: this project's tsconfig has no DOM types.
      const focused = await page.evaluate<{ text: string; outline: string; width: string }>(`(() => {
        const element = document.activeElement;
        const style = getComputedStyle(element);
        return { text: element.textContent, outline: style.outlineStyle, width: style.outlineWidth };
      })()`);
      expect(focused).toEqual({ text: 'Skip to content', outline: 'solid', width: '3px' });
      expect(problems).toEqual([]);
    }, 60_000);

    it('sign-up shows inline errors; ?next= follows only same-origin paths', async () => {
      await page.goto(`${served.url}/sign-up?next=${encodeURIComponent('//evil.com/steal')}`);
      await page.getByLabel('Email').fill('not-an-email');
      await page.getByLabel('Password').fill('short');
      await page.getByRole('button', { name: 'Create account' }).click();
      await expectHeading(page, 'Create your SpecMint account');
      expect(await page.getByRole('alert').textContent()).toContain('Fix the 3 fields');
      const emailInput = page.getByLabel('Email');
      expect(await emailInput.getAttribute('aria-invalid')).toBe('true');
      expect(await emailInput.inputValue()).toBe('not-an-email');
      const describedBy = (await emailInput.getAttribute('aria-describedby')) ?? '';
      expect(await page.locator(`#${describedBy}`).textContent()).toContain('like name@example.com');
      expect(await page.getByText('Use at least 8 characters.').isVisible()).toBe(true);
      expect(await page.getByText('Enter your name.').isVisible()).toBe(true);
      await screenshotBoth(page, 'sign-up-errors');

      await page.getByLabel('Name').fill('Pat Ages');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      // The refused ?next falls back to the default: "check your inbox", then the dashboard.
      await page.waitForURL(`${served.url}/check-email`);

      for (const [next, landing] of [
        ['https://evil.com/', '/dashboard'],
        ['/\\evil.com', '/dashboard'],
        ['//evil.com', '/dashboard'],
        ['/settings', '/settings'],
      ] as const) {
        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.waitForURL(`${served.url}/`);
        await page.goto(`${served.url}/sign-in?next=${encodeURIComponent(next)}`);
        if (next === '/settings') await screenshotBoth(page, 'sign-in');
        await page.getByLabel('Email').fill(email);
        await page.getByLabel('Password').fill(TEST_PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL(`${served.url}${landing}`);
      }
      expect(problems).toEqual([]);
    }, 60_000);

    it('device: expired code (page, and the CLI exits 4), already-used code, someone else’s code', async () => {
      // The CLI gives up with exit 4 when its code expires.
      const login = runCli(['login', '--no-browser'], {
        cwd: work,
        env: { SPECMINT_API_URL: served.url, SPECMINT_CONFIG_DIR: join(work, 'expired') },
        timeoutMs: 30_000,
      });
      const code = await requestCode();
      await expireCode(code);
      await page.goto(`${served.url}/device?user_code=${code}`);
      await expectHeading(page, 'This code has expired');
      await screenshotBoth(page, 'device-expired');
      // The CLI's own code: expire it once it was printed.
      let cliCode: string | undefined;
      for (let attempt = 0; attempt < 100 && !cliCode; attempt++) {
        const rows = await served.database.db
          .select()
          .from(deviceCodes)
          .where(eq(deviceCodes.status, 'pending'));
        cliCode = rows.find(
          (row) => row.userCode !== code.replace(/-/g, '') && row.userId === null,
        )?.userCode;
        if (!cliCode) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(cliCode).toBeDefined();
      await expireCode(cliCode ?? '');
      const result = await login;
      expect(result.code, result.stderr).toBe(4);
      expect(result.stderr).toMatch(/expired/i);
      expect(parseLoginOutput(result.stderr)).not.toBeNull();

      // Approved once → the same link says it was already used.
      const used = await requestCode();
      await page.goto(`${served.url}/device?user_code=${used}`);
      await page.getByRole('button', { name: 'Approve' }).click();
      await expectHeading(page, 'Device approved');
      await page.goto(`${served.url}/device?user_code=${used}`);
      await expectHeading(page, 'This code was already used');
      await screenshotBoth(page, 'device-used');

      // A code opened by this account is not shown to another one.
      const claimed = await requestCode();
      await page.goto(`${served.url}/device?user_code=${claimed}`);
      await expectHeading(page, 'Approve this device?');
      const { context, page: other } = await newVisitor(browser);
      await signUpInBrowser(other, served.url, `other-${Date.now()}@example.test`);
      await other.goto(`${served.url}/device?user_code=${claimed}`);
      await expectHeading(other, 'This code belongs to another sign-in');
      expect(await other.getByRole('button', { name: 'Approve' }).count()).toBe(0);
      expect((await other.getByRole('main').textContent()) ?? '').not.toContain(email);
      await context.close();
      expect(problems).toEqual([]);
    }, 60_000);
  },
);
