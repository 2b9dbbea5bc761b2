/**
 * The device login as a person lives it, in headless Chromium against the real licence server
 * (`bin/specmint-server start` on PGlite) and the built CLI: `specmint login --no-browser` prints a code,
 * the person signs up in the browser, enters or follows the code, approves or denies it.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from '../e2e/helpers/build-once.ts';
import {
  type LicenceServer,
  type ProcessResult,
  startLicenceServer,
  waitForExit,
} from '../e2e/helpers/licence-server.ts';
import { runCli, spawnCli } from '../e2e/helpers/run-cli.ts';
import { expectHeading, fillSignUp, waitForLoginCode } from './helpers/browser-flows.ts';
import { browserSkipReason, launchBrowser, newVisitor, screenshotBoth } from './helpers/chromium.ts';

const skip = browserSkipReason();
let work: string;
let server: LicenceServer;
let browser: Browser;
let page: Page;
let problems: string[];
const email = `device-${Date.now()}@example.test`;

function cliEnv(name: string) {
  return { SPECMINT_API_URL: server.url, SPECMINT_CONFIG_DIR: join(work, name) };
}

/** Starts `specmint login --no-browser`; returns its live output and its exit. */
function startLogin(name: string): {
  child: ChildProcess;
  output: () => string;
  exit: Promise<ProcessResult>;
} {
  const child = spawnCli(['login', '--no-browser'], { cwd: work, env: cliEnv(name), timeoutMs: 90_000 });
  const exit = waitForExit(child);
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  return { child, output: () => output, exit };
}

describe.skipIf(skip !== null)(
  `device login in Chromium with the built CLI${skip ? ` — ${skip}` : ''}`,
  () => {
    beforeAll(async () => {
      await buildOnce();
      work = mkdtempSync(join(tmpdir(), 'specmint-web-device-'));
      [server, browser] = await Promise.all([
        startLicenceServer({ dataDir: join(work, 'server-data') }),
        launchBrowser(),
      ]);
      ({ page, problems } = await newVisitor(browser));
    }, 240_000);

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('happy: login code → sign up through the link → approve → the CLI is logged in (whoami)', async () => {
      const login = startLogin('happy');
      const { url, userCode } = await waitForLoginCode(login.output);
      // The terminal shows the code grouped as the page does (ABCD-EFGH); the link carries it plain.
      expect(userCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
      expect(url).toBe(`${server.baseUrl}/device?user_code=${userCode.replace('-', '')}`);

      // Signed out: the link leads through sign-in, which explains why.
      await page.goto(url);
      await page.waitForURL(/\/sign-in\?next=%2Fdevice%3Fuser_code%3D/);
      await expectHeading(page, 'Sign in to SpecMint');
      expect(await page.getByText('approve the login code shown in your terminal').isVisible()).toBe(true);
      await screenshotBoth(page, 'sign-in-for-device');
      await page.getByRole('link', { name: 'Create an account' }).click();
      await page.waitForURL(/\/sign-up\?next=/);
      await fillSignUp(page, { name: 'Dee Vice', email });

      // …and comes back to the code, which now shows who asks.
      await page.waitForURL(url);
      await expectHeading(page, 'Approve this device?');
      const review = (await page.getByRole('main').textContent()) ?? '';
      expect(review).toContain('SpecMint CLI');
      expect(review).toContain(email);
      expect(review.replace(/-/g, '')).toContain(userCode.replace(/-/g, ''));
      await screenshotBoth(page, 'device-review');
      await page.getByRole('button', { name: 'Approve' }).click();
      await expectHeading(page, 'Device approved');
      await screenshotBoth(page, 'device-approved');

      const result = await login.exit;
      expect(result.code, result.stderr).toBe(0);
      expect(`${result.stdout}${result.stderr}`).toContain(email);
      const whoami = await runCli(['whoami', '--json'], { cwd: work, env: cliEnv('happy') });
      expect(whoami.code, whoami.stderr).toBe(0);
      expect(JSON.parse(whoami.stdout)).toMatchObject({ user: { email } });
      expect(problems).toEqual([]);
    }, 90_000);

    it('wrong code shows the unknown-code page; deny shows the denied page and the CLI exits 4', async () => {
      const login = startLogin('denied');
      const { userCode } = await waitForLoginCode(login.output);

      await page.goto(`${server.baseUrl}/device`);
      await expectHeading(page, 'Connect a device');
      await screenshotBoth(page, 'device-enter');
      await page.getByLabel('Code shown in your terminal').fill('ZZZZ-ZZZZ');
      await page.getByRole('button', { name: 'Continue' }).click();
      await expectHeading(page, 'We don’t recognise this code');
      expect(await page.getByRole('alert').textContent()).toContain('ZZZZ-ZZZZ');
      await screenshotBoth(page, 'device-unknown');

      // Typed in lower case with the dash: still the same code.
      await page.getByLabel('Try the code again').fill(userCode.toLowerCase());
      await page.getByRole('button', { name: 'Continue' }).click();
      await expectHeading(page, 'Approve this device?');
      await page.getByRole('button', { name: 'Deny' }).click();
      await expectHeading(page, 'Request denied');
      await screenshotBoth(page, 'device-denied');

      const result = await login.exit;
      expect(result.code, result.stderr).toBe(4);
      expect(result.stderr).toMatch(/denied/i);
      const whoami = await runCli(['whoami'], { cwd: work, env: cliEnv('denied') });
      expect(whoami.code).toBe(4);
      expect(problems).toEqual([]);
    }, 90_000);
  },
);
