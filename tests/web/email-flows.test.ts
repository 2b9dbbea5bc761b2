/**
 * E-mail for real (issue #17 item 4), in headless Chromium: the licence server sends through nodemailer
 * to a real SMTP server the test runs; the test reads each mail and follows its link. Sign up → mail →
 * verify → generate allowed; forgot password → mail → new password → sign in with it; used and expired
 * links say so.
 */
import { createEmailVerificationToken } from 'better-auth/api';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../server/db/schema/users.ts';
import { generationBody } from '../server/harness.ts';
import { expectHeading, fillSignUp, TEST_PASSWORD } from './helpers/browser-flows.ts';
import { browserSkipReason, launchBrowser, newVisitor, screenshotBoth } from './helpers/chromium.ts';
import { type ServedApp, serveTestApp } from './helpers/in-process-server.ts';
import { linkIn, type Mailbox, startMailbox } from './helpers/mailbox.ts';

const skip = browserSkipReason();
let served: ServedApp;
let mailbox: Mailbox;
let browser: Browser;
const email = `mail-${Date.now()}@example.test`;
const NEW_PASSWORD = 'a brand new passphrase';

/** POST /v1/generations with the browser's session cookie (as the dashboard's origin). */
async function generateAs(page: Page): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await page.request.post(`${served.url}/v1/generations`, {
    headers: { origin: served.url, 'idempotency-key': `key-${Date.now()}-${Math.random()}` },
    data: generationBody(),
  });
  return { status: response.status(), body: (await response.json()) as Record<string, unknown> };
}

describe.skipIf(skip !== null)(
  `e-mail verification and password reset over SMTP${skip ? ` — ${skip}` : ''}`,
  () => {
    beforeAll(async () => {
      mailbox = await startMailbox();
      [served, browser] = await Promise.all([
        serveTestApp({ mail: { smtpUrl: mailbox.smtpUrl, from: 'SpecMint <no-reply@licence.test>' } }),
        launchBrowser(),
      ]);
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await served?.close();
      await mailbox?.close();
    });

    it('sign up → check your inbox → the mailed link verifies → generating is allowed; the link used again says so', async () => {
      const { page, problems } = await newVisitor(browser);
      await page.goto(`${served.url}/sign-up`);
      await fillSignUp(page, { name: 'Mai L', email });
      await page.waitForURL(`${served.url}/check-email`);
      await expectHeading(page, 'Check your inbox');
      expect(await page.getByRole('main').textContent()).toContain(`We sent a link to ${email}`);
      await screenshotBoth(page, 'check-email');

      const refused = await generateAs(page);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ error: { code: 'EMAIL_NOT_VERIFIED' } });

      const mail = await mailbox.waitFor(email, /^Verify your e-mail address/);
      expect(mail.from).toContain('no-reply@licence.test');
      const link = linkIn(mail, served.url, '/verify-email');
      expect(mail.html).toContain('Verify my e-mail address');
      await page.goto(link);
      await expectHeading(page, 'Your e-mail address is verified');
      await screenshotBoth(page, 'email-verified');
      expect((await generateAs(page)).status).toBe(201);

      await page.goto(link);
      await expectHeading(page, 'This link was already used');
      expect(problems).toEqual([]);
    }, 60_000);

    it('an expired or damaged verification link says so and sends a new one on request', async () => {
      const { page } = await newVisitor(browser);
      const [user] = await served.database.db.select().from(users).where(eq(users.email, email));
      const secret = served.server.deps.auth.options.secret ?? '';
      const expired = await createEmailVerificationToken(secret, email, undefined, -60, { userId: user?.id });
      const response = await page.goto(`${served.url}/verify-email?token=${expired}`);
      expect(response?.status()).toBe(410);
      await expectHeading(page, 'This verification link has expired');
      await page.goto(`${served.url}/verify-email?token=${expired.slice(0, -4)}`);
      await expectHeading(page, 'This verification link is not valid');

      // A new link for an unverified account, asked for while signed out.
      const other = `resend-${Date.now()}@example.test`;
      await served.server.request('/api/auth/sign-up/email', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: served.url },
        body: JSON.stringify({ email: other, password: TEST_PASSWORD, name: 'Re Send' }),
      });
      await mailbox.waitFor(other, /^Verify your e-mail/);
      await page.getByLabel('Your e-mail address').fill(other);
      await page.getByRole('button', { name: 'Send me a new link' }).click();
      await page.waitForURL(/\/check-email\?notice=sent/);
      const second = await mailbox.waitFor(other, /^Verify your e-mail/, { skip: 1 });
      await page.goto(linkIn(second, served.url, '/verify-email'));
      await expectHeading(page, 'Your e-mail address is verified');
    }, 60_000);

    it('forgot password → mail → new password → sign in with it; the link works once; an expired one says so', async () => {
      const { page, problems } = await newVisitor(browser);
      await page.goto(`${served.url}/sign-in`);
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await expectHeading(page, 'Reset your password');
      await screenshotBoth(page, 'forgot-password');
      await page.getByLabel('Email').fill(email);
      await page.getByRole('button', { name: 'Send the link' }).click();
      await page.waitForURL(`${served.url}/check-email?for=reset`);
      expect(await page.getByRole('main').textContent()).toContain(
        'we sent it a link to choose a new password',
      );

      const mail = await mailbox.waitFor(email, /^Reset your SpecMint password/);
      const link = linkIn(mail, served.url, '/reset-password');
      await page.goto(link);
      await expectHeading(page, 'Choose a new password');
      await page.getByLabel('New password').fill('short');
      await page.getByRole('button', { name: 'Set the new password' }).click();
      expect(await page.getByText('Use at least 8 characters.').isVisible()).toBe(true);
      await page.getByLabel('New password').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Set the new password' }).click();
      await expectHeading(page, 'Your password was changed');
      await screenshotBoth(page, 'password-changed');

      await page.getByRole('link', { name: 'Sign in' }).last().click();
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      expect(await page.getByText('The email or password is incorrect.').isVisible()).toBe(true);
      await page.getByLabel('Password').fill(NEW_PASSWORD);
      await Promise.all([
        page.waitForURL(`${served.url}/dashboard`),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ]);

      const again = await page.goto(link);
      expect(again?.status()).toBe(410);
      await expectHeading(page, 'This reset link was already used');

      // An unknown address gets the same answer and no mail.
      const before = mailbox.messages.length;
      await page.goto(`${served.url}/forgot-password`);
      await page.getByLabel('Email').fill(`nobody-${Date.now()}@example.test`);
      await page.getByRole('button', { name: 'Send the link' }).click();
      await page.waitForURL(`${served.url}/check-email?for=reset`);
      expect(mailbox.messages.length).toBe(before);

      const context = await served.server.deps.auth.$context;
      const [user] = await served.database.db.select().from(users).where(eq(users.email, email));
      await context.internalAdapter.createVerificationValue({
        identifier: 'reset-password:expiredtoken1234',
        value: user?.id ?? '',
        expiresAt: new Date(Date.now() - 60_000),
      });
      await page.goto(`${served.url}/reset-password?token=expiredtoken1234`);
      await expectHeading(page, 'This reset link has expired');
      expect(problems).toEqual([]);
    }, 60_000);
  },
);
