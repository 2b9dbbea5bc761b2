/** What a person does in the pages, as reusable steps of the browser tests. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { linkIn, type Mailbox } from './mailbox.ts';

/** Password used by the browser tests' accounts. */
export const TEST_PASSWORD = 'correct horse battery staple';

/** Fills and submits the sign-up form on the current `/sign-up` page. */
export async function fillSignUp(
  page: Page,
  options: { name: string; email: string; password?: string },
): Promise<void> {
  await page.getByLabel('Name').fill(options.name);
  await page.getByLabel('Email').fill(options.email);
  await page.getByLabel('Password').fill(options.password ?? TEST_PASSWORD);
  await Promise.all([
    page.waitForLoadState('load'),
    page.getByRole('button', { name: 'Create account' }).click(),
  ]);
}

/**
 * Opens `/sign-up` on `baseUrl` and creates an account: the page says to check the inbox (the
 * verification link is on its way); its "Continue" leads to the dashboard, where this ends.
 */
export async function signUpInBrowser(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-up`);
  await fillSignUp(page, { name: email.split('@')[0] ?? 'Tester', email });
  await page.waitForURL(`${baseUrl}/check-email`);
  await expectHeading(page, 'Check your inbox');
  await Promise.all([
    page.waitForURL(`${baseUrl}/dashboard`),
    page.getByRole('link', { name: /Continue/ }).click(),
  ]);
}

/** Opens the verification link mailed to `email` (received by `mailbox`) in `page`. */
export async function verifyInBrowser(
  page: Page,
  options: { mailbox: Mailbox; baseUrl: string; email: string },
): Promise<void> {
  const mail = await options.mailbox.waitFor(options.email, /Verify your e-mail/);
  await page.goto(linkIn(mail, options.baseUrl, '/verify-email'));
  await expectHeading(page, 'Your e-mail address is verified');
}

/** Reads the login code and the direct link from `specmint login --no-browser` output. */
export function parseLoginOutput(output: string): { userCode: string; url: string } | null {
  const url = /Or open (\S+) directly/.exec(output)?.[1];
  const code = /^\s{2,}([A-Z0-9]{4}-?[A-Z0-9]{4,})\s*$/m.exec(output)?.[1];
  return url && code ? { userCode: code, url } : null;
}

/** Waits until `read()` holds the login code (the CLI prints it after its first request). */
export async function waitForLoginCode(
  read: () => string,
  timeoutMs = 30_000,
): Promise<{ userCode: string; url: string }> {
  const started = Date.now();
  for (;;) {
    const parsed = parseLoginOutput(read());
    if (parsed) return parsed;
    if (Date.now() - started > timeoutMs) throw new Error(`no login code in the CLI output:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Asserts the page's main heading. */
export async function expectHeading(page: Page, text: string | RegExp): Promise<void> {
  const heading = page.getByRole('heading', { level: 1 });
  await heading.waitFor();
  const actual = (await heading.textContent()) ?? '';
  if (typeof text === 'string') expect(actual.trim()).toBe(text);
  else expect(actual).toMatch(text);
}
