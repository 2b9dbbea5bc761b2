/**
 * Headless Chromium for the browser tests (Debian `chromium` + playwright-core). Outside CI a missing
 * browser skips the suites with the reason in their name; under CI (`CI` set) it fails them.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { REPO_ROOT } from '../../e2e/helpers/licence-server.ts';

/** The Chromium binary (override with CHROMIUM_PATH). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why the browser suites are skipped here, or null when they run. */
export function browserSkipReason(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  if (process.env.CI) return null; // under CI a missing browser must fail, not skip
  return `skipped: Chromium not found at ${CHROMIUM_PATH} (install it or set CHROMIUM_PATH)`;
}

/** Starts headless Chromium with a fresh profile (playwright creates a temporary user-data dir). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh browser profile (own cookies) at desktop size that records CSP violations and page errors. */
export async function newVisitor(
  browser: Browser,
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    // A 4xx page (unknown code, …) is logged as a failed resource; that is the page working.
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.setDefaultTimeout(15_000);
  return { context, page, problems };
}

/** Where screenshots go (git-ignored). */
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'screenshots');

/** Full-page screenshots of the current page at desktop (1280) and mobile (390) width. */
export async function screenshotBoth(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const original = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-mobile.png`), fullPage: true });
  // Nothing may stick out sideways on a phone.
  // A string: this project's tsconfig has no DOM types.
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
  if (overflow > 1) throw new Error(`${name}: the page is ${overflow}px wider than a 390px screen`);
  if (original) await page.setViewportSize(original);
}
