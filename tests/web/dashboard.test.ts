/**
 * The dashboard and settings in headless Chromium with the built CLI, against the app served over HTTP
 * on PGlite (in-process, so the test can also look at the database): a generation made by the CLI shows
 * up, a token made in the page works as SPECMINT_TOKEN until revoked in the page, a second user sees
 * nothing of the first, and deleting the account removes access and anonymises the ledger.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, like } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generations } from '../../server/db/schema/generations.ts';
import { users } from '../../server/db/schema/users.ts';
import { buildOnce } from '../e2e/helpers/build-once.ts';
import { REPO_ROOT } from '../e2e/helpers/licence-server.ts';
import { runCli } from '../e2e/helpers/run-cli.ts';
import { expectHeading, signUpInBrowser, TEST_PASSWORD, verifyInBrowser } from './helpers/browser-flows.ts';
import { browserSkipReason, launchBrowser, newVisitor, screenshotBoth } from './helpers/chromium.ts';
import { type ServedApp, serveTestApp } from './helpers/in-process-server.ts';
import { type Mailbox, startMailbox } from './helpers/mailbox.ts';

const skip = browserSkipReason();
const SPEC_TITLE = 'SpecMint Pet Store';
let work: string;
let served: ServedApp;
let mailbox: Mailbox;
let browser: Browser;
let alice: Page;
let aliceProblems: string[];
const aliceEmail = `alice-${Date.now()}@example.test`;
let aliceUserId = '';
/** Alice's token that outlives the isolation test, for the deletion test. */
let aliceSecondToken = '';

function generate(token: string, format: string) {
  return runCli(
    ['generate', 'petstore.yaml', '--format', format, '--out', `out-${format}`, '--force', '--yes', '--json'],
    {
      cwd: work,
      env: { SPECMINT_API_URL: served.url, SPECMINT_CONFIG_DIR: join(work, 'config'), SPECMINT_TOKEN: token },
    },
  );
}

async function createToken(page: Page, name: string): Promise<string> {
  await page.goto(`${served.url}/dashboard#tokens`);
  await page.getByLabel('New token name').fill(name);
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('new-token').textContent())?.trim() ?? '';
  expect(token).toMatch(/^smk_/);
  return token;
}

async function historyRows(page: Page): Promise<string[]> {
  return page.locator('#history tbody tr').allTextContents();
}

describe.skipIf(skip !== null)(`dashboard and settings in Chromium${skip ? ` — ${skip}` : ''}`, () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'specmint-web-dashboard-'));
    mkdirSync(join(work, 'config'), { recursive: true });
    copyFileSync(join(REPO_ROOT, 'tests/fixtures/specs/sut/petstore.yaml'), join(work, 'petstore.yaml'));
    mailbox = await startMailbox();
    [, served, browser] = await Promise.all([
      buildOnce(),
      serveTestApp({ mail: { smtpUrl: mailbox.smtpUrl } }),
      launchBrowser(),
    ]);
    ({ page: alice, problems: aliceProblems } = await newVisitor(browser));
    alice.on('dialog', (dialog) => void dialog.accept());
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await mailbox?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('shows a CLI generation; a token made in the page works as SPECMINT_TOKEN until revoked there', async () => {
    await signUpInBrowser(alice, served.url, aliceEmail);
    const [row] = await served.database.db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, aliceEmail));
    aliceUserId = row?.id ?? '';
    expect(await alice.getByText('No generations yet').isVisible()).toBe(true);
    await screenshotBoth(alice, 'dashboard-empty');

    const token = await createToken(alice, 'github-actions');
    await screenshotBoth(alice, 'dashboard-token-created');
    // The Free plan generates once the address is verified: refused (exit 4), then the mailed link.
    const unverified = await generate(token, 'pytest');
    expect(unverified.code, unverified.stderr).toBe(4);
    expect(unverified.stderr).toContain(`we sent a link to ${aliceEmail}`);
    await verifyInBrowser(alice, { mailbox, baseUrl: served.url, email: aliceEmail });
    const first = await generate(token, 'pytest');
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ ok: true, usage: { charged: true, used: 1 } });
    const second = await generate(token, 'vitest');
    expect(second.code, second.stderr).toBe(0);

    await alice.goto(`${served.url}/dashboard`);
    const rows = await historyRows(alice);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain(SPEC_TITLE);
    expect(rows[0]).toContain('vitest');
    expect(rows[0]).toContain('Free re-run');
    expect(rows[1]).toContain('pytest');
    expect(rows[1]).toContain('Charged');
    expect(await alice.getByTestId('usage-used').textContent()).toBe('1 of 5');
    expect(await alice.locator('.chart rect.bar-charged').count()).toBe(1);
    expect(await alice.locator('.chart rect.bar-free').count()).toBe(1);
    expect(await alice.locator('#tokens tbody tr').allTextContents()).toEqual([
      expect.stringContaining('github-actions'),
    ]);
    // The secret is shown once only.
    expect(await alice.content()).not.toContain(token);
    await screenshotBoth(alice, 'dashboard');

    // Search and filters.
    await alice.getByLabel('Spec title').fill('no such spec');
    await alice.getByRole('button', { name: 'Filter' }).click();
    expect(await alice.getByText('No generations match these filters.').isVisible()).toBe(true);
    await alice.getByLabel('Spec title').fill('pet store');
    await alice.getByLabel('Format').selectOption('pytest');
    await alice.getByRole('button', { name: 'Filter' }).click();
    expect(await historyRows(alice)).toEqual([expect.stringContaining('pytest')]);
    const download = alice.waitForEvent('download');
    await alice.getByRole('link', { name: 'CSV' }).click();
    const csv = readFileSync((await (await download).path()) ?? '', 'utf8');
    expect(csv.trim().split('\r\n')).toHaveLength(2);
    expect(csv).toContain(SPEC_TITLE);

    // Revoke in the page → the CLI is refused (exit 4).
    await alice.goto(`${served.url}/dashboard#tokens`);
    await alice.getByRole('button', { name: 'Revoke token github-actions' }).click();
    expect(await alice.getByText('The token was revoked').isVisible()).toBe(true);
    const refused = await generate(token, 'pytest');
    expect(refused.code, refused.stderr).toBe(4);
    expect(aliceProblems).toEqual([]);
  }, 120_000);

  it('a second user sees none of the first user’s history or tokens, even by URL', async () => {
    const aliceToken = await createToken(alice, 'second');
    const tokenId = await alice.locator('#tokens tbody tr').first().getAttribute('data-token-id');
    expect(tokenId).toMatch(/^[0-9a-f-]{36}$/);

    const { context, page: bob } = await newVisitor(browser);
    await signUpInBrowser(bob, served.url, `bob-${Date.now()}@example.test`);
    const text = (await bob.getByRole('main').textContent()) ?? '';
    expect(text).not.toContain(SPEC_TITLE);
    expect(text).not.toContain(aliceEmail);
    expect(await bob.getByText('No CI tokens yet.').isVisible()).toBe(true);
    for (const path of ['/v1/generations', '/v1/tokens', '/v1/generations?format=json']) {
      const answer = await bob.request.get(`${served.url}${path}`);
      expect(answer.status()).toBe(200);
      expect((await answer.json()).items).toEqual([]);
    }
    // A revoke form aimed at Alice's token id, posted with Bob's own valid form token.
    await bob.locator('form[action="/dashboard/tokens"]').evaluate((element, id) => {
      const form = element as unknown as { action: string; submit(): void };
      form.action = `/dashboard/tokens/${id}/revoke`;
      form.submit();
    }, tokenId);
    await bob.waitForURL(/notice=token-missing/);
    expect(await bob.getByText('That token no longer exists.').isVisible()).toBe(true);
    const still = await runCli(['whoami', '--json'], {
      cwd: work,
      env: {
        SPECMINT_API_URL: served.url,
        SPECMINT_CONFIG_DIR: join(work, 'config'),
        SPECMINT_TOKEN: aliceToken,
      },
    });
    expect(still.code, still.stderr).toBe(0);
    expect(JSON.parse(still.stdout)).toMatchObject({ user: { email: aliceEmail } });
    await context.close();
    aliceSecondToken = aliceToken;
  }, 60_000);

  it('settings: export my data; deleting the account removes access and anonymises the ledger', async () => {
    const aliceToken = aliceSecondToken;
    await alice.goto(`${served.url}/settings`);
    await expectHeading(alice, 'Settings');
    await screenshotBoth(alice, 'settings');
    const download = alice.waitForEvent('download');
    await alice.getByRole('link', { name: 'Export my data (JSON)' }).click();
    const exported = JSON.parse(readFileSync((await (await download).path()) ?? '', 'utf8'));
    expect(exported.user.email).toBe(aliceEmail);
    expect(exported.generations).toHaveLength(2);
    expect(exported.ciTokens).toHaveLength(1);
    expect(JSON.stringify(exported)).not.toContain(aliceToken);

    await alice.getByLabel('Type your email address to confirm').fill('someone-else@example.test');
    await alice.getByLabel('Your password').fill(TEST_PASSWORD);
    await alice.getByRole('button', { name: 'Delete my account' }).click();
    expect(await alice.getByText('Type the email address of this account.').isVisible()).toBe(true);
    await alice.getByLabel('Type your email address to confirm').fill(aliceEmail);
    await alice.getByLabel('Your password').fill(TEST_PASSWORD);
    await alice.getByRole('button', { name: 'Delete my account' }).click();
    await expectHeading(alice, 'Your account was deleted');
    await screenshotBoth(alice, 'account-deleted');

    // No access: the page session, the CI token and the password are all gone.
    await alice.goto(`${served.url}/dashboard`);
    await alice.waitForURL(/\/sign-in\?next=%2Fdashboard/);
    const whoami = await runCli(['whoami'], {
      cwd: work,
      env: {
        SPECMINT_API_URL: served.url,
        SPECMINT_CONFIG_DIR: join(work, 'config'),
        SPECMINT_TOKEN: aliceToken,
      },
    });
    expect(whoami.code).toBe(4);
    await alice.getByLabel('Email').fill(aliceEmail);
    await alice.getByLabel('Password').fill(TEST_PASSWORD);
    await alice.getByRole('button', { name: 'Sign in' }).click();
    expect(await alice.getByText('The email or password is incorrect.').isVisible()).toBe(true);

    // The ledger is kept without the person.
    const db = served.database.db;
    expect(await db.select().from(users).where(eq(users.email, aliceEmail))).toEqual([]);
    expect(await db.select().from(generations).where(eq(generations.userId, aliceUserId))).toEqual([]);
    const kept = await db.select().from(generations).where(like(generations.userId, 'deleted-%'));
    expect(kept).toHaveLength(2);
    expect(kept.map((row) => row.specTitle)).toEqual(['(deleted)', '(deleted)']);
    expect(kept.filter((row) => row.charged)).toHaveLength(1);
    expect(kept.every((row) => row.response.usageToken === '')).toBe(true);
  }, 60_000);
});
