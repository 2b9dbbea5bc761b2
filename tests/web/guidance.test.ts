/**
 * Pages that guide (issue #19 items 3, 5 and 10) in headless Chromium: 404/500 pages with a way on for
 * browsers while API clients keep the JSON envelope; "Create account" keeps ?next from /device; the device
 * outcomes lead on and a redeemed code says it was used; the empty dashboard's first steps; the chart's
 * axis; billing without Stripe; "Current plan"; the token form at its limit and POST-redirect-GET; an
 * interrupted generation in the history; sessions signed out one by one.
 */
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokens } from '../../server/db/schema/api-tokens.ts';
import { users } from '../../server/db/schema/users.ts';
import { CLI_CLIENT_ID } from '../../shared/contracts.ts';
import { generationBody, verifyEmail } from '../server/harness.ts';
import { expectHeading, fillSignUp, TEST_PASSWORD } from './helpers/browser-flows.ts';
import { browserSkipReason, launchBrowser, newVisitor, screenshotBoth } from './helpers/chromium.ts';
import { type ServedApp, serveTestApp } from './helpers/in-process-server.ts';

const skip = browserSkipReason();
let served: ServedApp;
let browser: Browser;

function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${served.url}${path}`, init);
}

describe.skipIf(skip !== null)(`pages that guide, in Chromium${skip ? ` — ${skip}` : ''}`, () => {
  beforeAll(async () => {
    [served, browser] = await Promise.all([serveTestApp({ devicePollInterval: '1s' }), launchBrowser()]);
    // A route that fails, to see what a browser and an API client get for a 500.
    served.server.app.get('/boom', () => {
      throw new Error('boom');
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  it('404 and 500: a page with a way on for a browser; the JSON envelope for API clients', async () => {
    const { page, problems } = await newVisitor(browser);
    const missing = await page.goto(`${served.url}/no/such/page`);
    expect(missing?.status()).toBe(404);
    await expectHeading(page, 'Page not found');
    for (const name of ['Home page', 'Sign in', 'Pricing']) {
      expect(await page.getByRole('link', { name, exact: true }).count()).toBeGreaterThan(0);
    }
    await screenshotBoth(page, 'not-found');
    const failed = await page.goto(`${served.url}/boom`);
    expect(failed?.status()).toBe(500);
    await expectHeading(page, 'Something went wrong');
    expect(await page.getByText(/Request id: \S+/).isVisible()).toBe(true);
    // The stylesheet and script load (the page's CSP, not the API's); the 500 itself is expected.
    expect(problems.filter((problem) => !/status of 500/.test(problem))).toEqual([]);

    const html = { accept: 'text/html,application/xhtml+xml' };
    for (const path of ['/v1/nope', '/api/auth/nope', '/webhooks/nope', '/.well-known/nope']) {
      const response = await api(path, { headers: html });
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.headers.get('content-type') ?? '', path).not.toContain('text/html');
      expect(await response.text(), path).not.toContain('<html');
    }
    const jsonClient = await api('/no/such/page', { headers: { accept: 'application/json' } });
    expect(await jsonClient.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const curl = await api('/boom', { headers: { accept: '*/*' } });
    expect(curl.status).toBe(500);
    expect(await curl.json()).toMatchObject({ error: { code: 'INTERNAL' } });
  }, 60_000);

  it('device: "Create account" keeps ?next; approved leads on; the redeemed code says it was used', async () => {
    const code = (await (
      await api('/api/auth/device/code', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: CLI_CLIENT_ID }),
      })
    ).json()) as { device_code: string; user_code: string };
    const { page, problems } = await newVisitor(browser);
    await page.goto(`${served.url}/device?user_code=${code.user_code}`);
    await page.waitForURL(/\/sign-in\?next=/);
    // The header's link, not the one under the form.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Create account' })
      .click();
    await page.waitForURL(/\/sign-up\?next=%2Fdevice/);
    await fillSignUp(page, { name: 'New Comer', email: `newcomer-${Date.now()}@example.test` });
    await page.waitForURL(/\/device\?user_code=/);
    await expectHeading(page, 'Approve this device?');
    await page.getByRole('button', { name: 'Approve' }).click();
    await expectHeading(page, 'Device approved');
    expect(await page.getByText('Verify your e-mail address first').isVisible()).toBe(true);
    await screenshotBoth(page, 'device-approved');
    const token = await api('/api/auth/device/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code: code.device_code,
        client_id: CLI_CLIENT_ID,
      }),
    });
    expect(token.status).toBe(200);
    await page.goto(`${served.url}/device?user_code=${code.user_code}`);
    await expectHeading(page, 'This code was already used');
    await page.getByRole('link', { name: 'Go to your dashboard' }).click();
    await page.waitForURL(`${served.url}/dashboard`);
    expect(problems).toEqual([]);
  }, 60_000);

  it('dashboard: first steps, the axis fits the limit, billing off, Current plan, tokens, interrupted runs, sessions', async () => {
    const { context, page, problems } = await newVisitor(browser);
    const email = `guide-${Date.now()}@example.test`;
    await page.goto(`${served.url}/sign-up`);
    await fillSignUp(page, { name: 'Gail Guide', email });
    await page.waitForURL(`${served.url}/check-email`);
    await page.goto(`${served.url}/dashboard`);
    const steps = page.locator('#getting-started');
    expect(await steps.getByRole('heading', { name: 'Get started' }).isVisible()).toBe(true);
    const commands = await steps.locator('pre code').allTextContents();
    expect(commands).toEqual([
      'npm install --global specmint',
      `export SPECMINT_API_URL=${served.url}\nspecmint login`,
      'specmint generate openapi.yaml --format pytest --out api-tests',
    ]);
    // The Free plan's axis: whole specs up to its limit of 5, with the limit drawn.
    const ticks = await page.locator('.chart text.tick').allTextContents();
    expect(ticks).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(await page.locator('.chart [data-limit="5"]').count()).toBe(1);
    // Billing is not configured on this server: buttons disabled, the notice shows the command as code.
    for (const name of [/Upgrade to Pro/, /Manage billing/]) {
      expect(await page.getByRole('button', { name }).isDisabled()).toBe(true);
    }
    expect(await page.locator('#billing-off code').textContent()).toContain('specmint-server admin set-plan');
    expect(await page.locator('#plan').textContent()).not.toContain('`');
    await screenshotBoth(page, 'dashboard-getting-started');

    await page.goto(`${served.url}/pricing`);
    const freeCard = page.locator('section.card', { has: page.getByRole('heading', { name: /^Free/ }) });
    expect(await freeCard.getByText('Current plan').isVisible()).toBe(true);
    expect(await page.getByText('Current plan').count()).toBe(1);

    // Create a token: the secret once, then POST-redirect-GET — a reload creates nothing.
    await page.goto(`${served.url}/dashboard#tokens`);
    await page.getByLabel('New token name').fill('ci');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.waitForURL(`${served.url}/dashboard#tokens`);
    const secret = ((await page.getByTestId('new-token').textContent()) ?? '').trim();
    expect(secret).toMatch(/^smk_/);
    await page.reload();
    expect(await page.getByTestId('new-token').count()).toBe(0);
    const [user] = await served.database.db.select().from(users).where(eq(users.email, email));
    expect(
      await served.database.db
        .select()
        .from(apiTokens)
        .where(eq(apiTokens.userId, user?.id ?? '')),
    ).toHaveLength(1);
    // At the Free plan's one token the form is gone, with the reason.
    expect(await page.getByLabel('New token name').count()).toBe(0);
    expect(await page.locator('#token-limit').textContent()).toContain('Your plan allows 1 CI token');

    // A run that wrote nothing: released, shown as interrupted and not charged.
    await verifyEmail(served.server, email, user?.id ?? '');
    const headers = { authorization: `Bearer ${secret}`, 'content-type': 'application/json' };
    const granted = (await (
      await api('/v1/generations', {
        method: 'POST',
        headers: { ...headers, 'idempotency-key': `k-${Date.now()}` },
        body: JSON.stringify(generationBody({ specTitle: 'Interrupted Spec' })),
      })
    ).json()) as { generationId: string };
    expect(
      (await api(`/v1/generations/${granted.generationId}/release`, { method: 'POST', headers })).status,
    ).toBe(200);
    await page.goto(`${served.url}/dashboard`);
    const row = page.locator(`#history tr[data-generation-id="${granted.generationId}"]`);
    expect(await row.textContent()).toContain('Interrupted — not charged');
    expect(await page.getByTestId('usage-used').textContent()).toBe('0 of 5');
    expect(await page.locator('#getting-started').count()).toBe(0);

    // Sessions: a terminal's session signed out on its own from /settings.
    const signIn = await api('/api/auth/sign-in/email', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: served.url, 'user-agent': 'specmint-cli/0.1.0' },
      body: JSON.stringify({ email, password: TEST_PASSWORD }),
    });
    const terminal = signIn.headers.get('set-auth-token') ?? '';
    const me = () => api('/v1/me', { headers: { authorization: `Bearer ${terminal}` } });
    expect((await me()).status).toBe(200);
    await page.goto(`${served.url}/settings`);
    await page.getByRole('button', { name: /^Sign out SpecMint CLI/ }).click();
    await page.waitForURL(/notice=session-revoked/);
    expect((await me()).status).toBe(401);
    expect(await page.getByRole('button', { name: /^Sign out SpecMint CLI/ }).count()).toBe(0);
    await screenshotBoth(page, 'settings-sessions');
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);
});
