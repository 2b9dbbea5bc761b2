/**
 * Quota that cannot be reset (issue #17 item 3): the Free plan needs a verified e-mail; one account per
 * normalised mailbox; deleting an account and creating it again (same mailbox, or same OAuth identity)
 * keeps the period's usage.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { mailboxKey, normaliseMailbox } from '../../server/accounts/mailbox-key.ts';
import { queryRows } from '../../server/db/rows.ts';
import { deleteAccount } from '../../server/web/data/delete-account.ts';
import { MeSchema } from '../../shared/contracts.ts';
import {
  BASE_URL,
  describeEachDb,
  generationBody,
  jsonRequest,
  postGeneration,
  signUp,
  type TestServer,
  uniqueEmail,
  verifyEmail,
} from './harness.ts';

async function me(server: TestServer, token: string) {
  return MeSchema.parse(await (await server.request('/v1/me', jsonRequest('GET', token))).json());
}

/** Uses `count` distinct specs (each completed) and returns the session token. */
async function useSpecs(server: TestServer, token: string, count: number) {
  for (let i = 0; i < count; i += 1) {
    const response = await postGeneration(server, token, generationBody());
    expect(response.status).toBe(201);
    const { generationId } = (await response.json()) as { generationId: string };
    await server.request(
      `/v1/generations/${generationId}/complete`,
      jsonRequest('POST', token, { files: 1, tests: 1, durationMs: 1 }),
    );
  }
}

/** Signs up with better-auth's GitHub path (user and account created as the OAuth callback does). */
async function signUpWithGitHub(server: TestServer, email: string, githubId: string) {
  const context = await server.deps.auth.$context;
  const { user } = await context.internalAdapter.createOAuthUser(
    { email, name: 'Octo Cat', emailVerified: true },
    { providerId: 'github', accountId: githubId },
  );
  const session = await context.internalAdapter.createSession(user.id);
  return { userId: user.id, token: session.token };
}

describeEachDb('quota per mailbox and identity', ({ server }) => {
  it('error: the Free plan needs a verified e-mail (403 EMAIL_NOT_VERIFIED naming the address); verified → 201', async () => {
    const { sessionToken, email, userId } = await signUp(server(), { verified: false });
    const refused = await postGeneration(server(), sessionToken, generationBody());
    expect(refused.status).toBe(403);
    const body = (await refused.json()) as { error: { code: string; message: string; details: unknown } };
    expect(body.error.code).toBe('EMAIL_NOT_VERIFIED');
    expect(body.error.message).toContain(`we sent a link to ${email}`);
    expect(body.error.details).toEqual({ email, verifyUrl: `${BASE_URL}/check-email` });
    expect((await me(server(), sessionToken)).usage.used).toBe(0);
    await verifyEmail(server(), email, userId);
    expect((await postGeneration(server(), sessionToken, generationBody())).status).toBe(201);
  });

  it('error: one account per mailbox — a +tag or dotted Gmail variant cannot sign up beside it', async () => {
    const local = `ann${Date.now()}`;
    await signUp(server(), { email: `${local}@gmail.com` });
    for (const variant of [
      `${local}+ci@gmail.com`,
      `${local.slice(0, 2)}.${local.slice(2)}@googlemail.com`,
    ]) {
      const response = await server().request('/api/auth/sign-up/email', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: BASE_URL },
        body: JSON.stringify({ email: variant, password: 'correct horse battery', name: 'Twin' }),
      });
      expect(response.status, variant).toBe(422);
      expect(((await response.json()) as { code: string }).code).toBe('MAILBOX_ALREADY_REGISTERED');
    }
  });

  it('security: deleting the account and signing up again with the same mailbox keeps the used quota', async () => {
    const email = uniqueEmail('again');
    const first = await signUp(server(), { email });
    await useSpecs(server(), first.sessionToken, 5);
    expect((await me(server(), first.sessionToken)).usage.used).toBe(5);
    await deleteAccount(server().deps.database.db, { id: first.userId, email });

    const [local, domain] = email.split('@');
    const second = await signUp(server(), { email: `${local}+back@${domain}`.toUpperCase() });
    expect((await me(server(), second.sessionToken)).usage).toMatchObject({ used: 5, remaining: 0 });
    const over = await postGeneration(server(), second.sessionToken, generationBody());
    expect(over.status).toBe(402);

    // Taken over once: a third account after deleting the second still has the 5.
    await deleteAccount(server().deps.database.db, { id: second.userId, email: second.email });
    const third = await signUp(server(), { email });
    expect((await me(server(), third.sessionToken)).usage.used).toBe(5);
  });

  it('security: the same GitHub identity with another e-mail keeps the used quota', async () => {
    const githubId = String(Date.now());
    const email = uniqueEmail('octo');
    const first = await signUpWithGitHub(server(), email, githubId);
    await useSpecs(server(), first.token, 2);
    await deleteAccount(server().deps.database.db, { id: first.userId, email });
    const second = await signUpWithGitHub(server(), uniqueEmail('octo-new'), githubId);
    expect((await me(server(), second.token)).usage.used).toBe(2);
    const stranger = await signUpWithGitHub(server(), uniqueEmail('octo-other'), `${githubId}9`);
    expect((await me(server(), stranger.token)).usage.used).toBe(0);
  });

  it('the migration’s SQL normalises mailboxes exactly as mailbox-key.ts does', async () => {
    const emails = [
      ' Ann.Lee+ci@GMail.com ',
      'ann.lee@googlemail.com',
      'bob+a+b@example.com',
      'b.o.b@example.com',
      '+only@example.org',
      'weird@name@example.net',
    ];
    expect(normaliseMailbox(emails[0]!)).toBe('annlee@gmail.com');
    expect(mailboxKey(emails[0]!)).toBe(mailboxKey(emails[1]!));
    expect(normaliseMailbox(emails[3]!)).toBe('b.o.b@example.com');
    const rows = await queryRows<{ email: string; key: string }>(
      server().deps.database.db,
      sql`select e.email, 'email:' || encode(sha256(convert_to(
          case when d.domain in ('gmail.com', 'googlemail.com')
            then replace(split_part(d.local, '+', 1), '.', '') || '@gmail.com'
            else split_part(d.local, '+', 1) || '@' || d.domain end, 'UTF8')), 'hex') as key
        from jsonb_array_elements_text(${JSON.stringify(emails)}::jsonb) as e(email)
        cross join lateral (select lower(btrim(e.email)) as n) n
        cross join lateral (select regexp_replace(n.n, '@[^@]*$', '') as local,
          substring(n.n from '@([^@]*)$') as domain) d`,
    );
    expect(Object.fromEntries(rows.map((row) => [row.email, row.key]))).toEqual(
      Object.fromEntries(emails.map((email) => [email, mailboxKey(email)])),
    );
  });
});
