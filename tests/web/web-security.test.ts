/**
 * The pages over `app.request` (no browser): security headers, CSRF on every form, the `?next=` guard,
 * sign-in walls, one user's data never reachable by another, HTTP statuses of the device pages.
 */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { createTestServer, describeEachDb, uniqueEmail } from '../server/harness.ts';
import { PageClient } from './helpers/page-client.ts';

describeEachDb('web pages over HTTP', ({ server, database, kind }) => {
  it('security: pages send a CSP without inline code, no framing, no HSTS over http; the API keeps its own', async () => {
    const page = await server().request('/');
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('strict-transport-security')).toBeNull();
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle="/);
    const stylesheet = /href="(\/assets\/[^"]+\.css)"/.exec(html)?.[1] ?? '';
    const css = await server().request(stylesheet);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(css.headers.get('cache-control')).toContain('immutable');

    const api = await server().request('/v1/me');
    expect(api.status).toBe(401);
    expect(api.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');

    const https = await createTestServer(kind, database(), { baseUrl: 'https://licence.example' });
    const secure = await https.app.request('https://licence.example/pricing');
    expect(secure.headers.get('strict-transport-security')).toContain('max-age=');
    expect(secure.headers.getSetCookie().join()).toMatch(/Secure/);
  });

  it('security: every form needs the token for this browser and session, from this origin', async () => {
    const client = new PageClient(server());
    const token = await client.formToken('/sign-in');
    const form = { email: uniqueEmail(), password: 'whatever-password' };
    expect((await client.post('/sign-in', form)).status).toBe(403);
    expect((await client.post('/sign-in', { ...form, _csrf: 'forged' })).status).toBe(403);
    const crossSite = await client.post('/sign-in', { ...form, _csrf: token }, 'https://evil.example');
    expect(crossSite.status).toBe(403);
    expect(crossSite.text).toContain('This form has expired');
    // Another browser's token does not work here.
    const other = new PageClient(server());
    expect(
      (await client.post('/sign-in', { ...form, _csrf: await other.formToken('/sign-in') })).status,
    ).toBe(403);
    // The right token gets to the real check.
    const wrongPassword = await client.post('/sign-in', { ...form, _csrf: token });
    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.text).toContain('The email or password is incorrect.');

    // After signing in, the anonymous token no longer works (bound to the session).
    await client.signUp(uniqueEmail());
    expect((await client.post('/dashboard/tokens', { _csrf: token, name: 'x' })).status).toBe(403);
    // Created, then POST-redirect-GET to the dashboard.
    expect(
      (await client.post('/dashboard/tokens', { _csrf: await client.formToken('/dashboard'), name: 'x' }))
        .status,
    ).toBe(303);
  });

  it('security: ?next= only leads to same-origin paths after sign-in', async () => {
    const email = uniqueEmail();
    const setup = new PageClient(server());
    await setup.signUp(email);
    for (const [next, expected] of [
      ['//evil.com', '/dashboard'],
      ['https://evil.com', '/dashboard'],
      ['/\\evil.com', '/dashboard'],
      ['/device?user_code=ABCD1234', '/device?user_code=ABCD1234'],
    ]) {
      const client = new PageClient(server());
      const answer = await client.post('/sign-in', {
        _csrf: await client.formToken(`/sign-in?next=${encodeURIComponent(next ?? '')}`),
        email,
        password: 'correct horse battery',
        next: next ?? '',
      });
      expect(answer.status).toBe(303);
      expect(answer.location).toBe(expected);
    }
  });

  it('error: signed-out visitors are sent to sign-in and back', async () => {
    const client = new PageClient(server());
    for (const [path, next] of [
      ['/dashboard?q=pet', '/dashboard?q=pet'],
      ['/settings', '/settings'],
      ['/device?user_code=ab-cd', '/device?user_code=ABCD'],
    ]) {
      const answer = await client.get(path ?? '');
      expect(answer.status).toBe(303);
      expect(answer.location).toBe(`/sign-in?next=${encodeURIComponent(next ?? '')}`);
    }
    expect((await client.get('/settings/export')).status).toBe(303);
  });

  it('security: a second user cannot see or revoke the first user’s tokens or history by URL', async () => {
    const alice = new PageClient(server());
    const aliceEmail = uniqueEmail('alice');
    await alice.signUp(aliceEmail);
    await alice.post('/dashboard/tokens', { _csrf: await alice.formToken('/dashboard'), name: 'alice-ci' });
    const created = await alice.get('/dashboard');
    const aliceToken = /data-testid="new-token">(smk_[^<]+)</.exec(created.text)?.[1] ?? '';
    const tokenId = /data-token-id="([^"]+)"/.exec(created.text)?.[1] ?? '';
    expect(aliceToken).toMatch(/^smk_/);

    const bob = new PageClient(server());
    await bob.signUp(uniqueEmail('bob'));
    const revoke = await bob.post(`/dashboard/tokens/${tokenId}/revoke`, {
      _csrf: await bob.formToken('/dashboard'),
    });
    expect(revoke.location).toBe('/dashboard?notice=token-missing#tokens');
    const dashboard = await bob.get('/dashboard');
    expect(dashboard.text).not.toContain('alice-ci');
    expect(dashboard.text).not.toContain(aliceEmail);
    const exported = JSON.parse((await bob.get('/settings/export')).text);
    expect(exported.ciTokens).toEqual([]);
    expect(JSON.stringify(exported)).not.toContain(aliceEmail);
    // Alice's token still works.
    const me = await server().request('/v1/me', { headers: { authorization: `Bearer ${aliceToken}` } });
    expect(me.status).toBe(200);
    // A third party cannot even tell whether a token id exists.
    const random = await bob.post(`/dashboard/tokens/${randomBytes(4).toString('hex')}/revoke`, {
      _csrf: await bob.formToken('/dashboard'),
    });
    expect(random.location).toBe('/dashboard?notice=token-missing#tokens');
  });

  it('error: token limit, invalid filters, billing not configured and device codes answer clear pages', async () => {
    const client = new PageClient(server());
    await client.signUp(uniqueEmail());
    const csrf = await client.formToken('/dashboard');
    expect((await client.post('/dashboard/tokens', { _csrf: csrf, name: '' })).text).toContain(
      'Give the token a name.',
    );
    expect((await client.post('/dashboard/tokens', { _csrf: csrf, name: 'one' })).status).toBe(303);
    // At the limit the form is gone; a form posted anyway (an old tab) is refused with the reason.
    const atLimit = await client.get('/dashboard');
    expect(atLimit.text).not.toContain('action="/dashboard/tokens"');
    expect(atLimit.text).toContain('Your plan allows 1 CI token and you have 1.');
    const second = await client.post('/dashboard/tokens', { _csrf: csrf, name: 'two' });
    expect(second.status).toBe(409);
    expect(second.text).toContain('The Free plan allows 1 CI token');

    const filtered = await client.get('/dashboard?format=cobol&cursor=garbage');
    expect(filtered.status).toBe(200);
    expect(filtered.text).toContain('Some filters were not valid');

    const billing = await client.post('/dashboard/billing/checkout', { _csrf: csrf, plan: 'pro' });
    expect(billing.status).toBe(503);
    expect(billing.text).toContain('Billing is not set up on this server');
    // Commands render as code, never between backticks.
    expect(billing.text).toContain('<code>specmint-server admin set-plan</code>');
    expect(billing.text).not.toContain('`');

    expect((await client.get('/device?user_code=')).status).toBe(400);
    const unknown = await client.get('/device?user_code=ZZZZ-ZZZZ');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('ZZZZ-ZZZZ');
    const reflected = await client.get(
      `/device?user_code=${encodeURIComponent('<img src=x onerror=alert(1)>')}`,
    );
    expect(reflected.text).not.toContain('<img src=x');
  });

  it('happy: settings change the name and password and sign out other sessions', async () => {
    const email = uniqueEmail('settings');
    const password = 'correct horse battery';
    const main = new PageClient(server());
    await main.signUp(email, password);
    const signIn = async (client: PageClient, secret = password) =>
      client.post('/sign-in', { _csrf: await client.formToken('/sign-in'), email, password: secret });
    const laptop = new PageClient(server());
    expect((await signIn(laptop)).status).toBe(303);

    const csrf = await main.formToken('/settings');
    expect((await main.post('/settings/name', { _csrf: csrf, name: '' })).text).toContain('Enter your name.');
    expect((await main.post('/settings/name', { _csrf: csrf, name: 'Renamed Person' })).location).toBe(
      '/settings?notice=name-saved',
    );
    const settings = await main.get('/settings?notice=name-saved');
    expect(settings.text).toContain('value="Renamed Person"');
    expect(settings.text).toContain('Sign out of all other sessions (1)');

    expect((await main.post('/settings/sessions/revoke-others', { _csrf: csrf })).status).toBe(303);
    expect((await laptop.get('/dashboard')).status).toBe(303);

    expect((await signIn(laptop)).status).toBe(303);
    const wrong = await main.post('/settings/password', {
      _csrf: csrf,
      currentPassword: 'not my password',
      newPassword: 'a brand new password',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('That is not your current password.');
    const changed = await main.post('/settings/password', {
      _csrf: csrf,
      currentPassword: password,
      newPassword: 'a brand new password',
    });
    expect(
      changed.location,
      `${changed.status} ${changed.text.match(/role="alert"[^<]*<[^>]*>[^<]*/g)?.join(' | ')}`,
    ).toBe('/settings?notice=password-changed');
    expect((await main.get('/dashboard')).status).toBe(200);
    expect((await laptop.get('/dashboard')).status).toBe(303);
    expect((await signIn(new PageClient(server()))).status).toBe(401);
    expect((await signIn(new PageClient(server()), 'a brand new password')).status).toBe(303);
  });

  it('happy: GitHub/Google buttons appear only when configured and lead to the provider', async () => {
    expect((await new PageClient(server()).get('/sign-in')).text).not.toContain('Continue with GitHub');
    const withGithub = await createTestServer(kind, database(), {
      github: { clientId: 'gh-client', clientSecret: 'gh-secret' },
    });
    const client = new PageClient(withGithub);
    const page = await client.get('/sign-in?next=%2Fsettings');
    expect(page.text).toContain('Continue with GitHub');
    expect(page.text).not.toContain('Continue with Google');
    const answer = await client.post('/sign-in/social', {
      _csrf: await client.formToken('/sign-in'),
      provider: 'github',
      next: '/settings',
    });
    expect(answer.status).toBe(303);
    expect(answer.location).toMatch(/^https:\/\/github\.com\/login\/oauth\/authorize\?/);
    expect(new URL(answer.location ?? '').searchParams.get('client_id')).toBe('gh-client');
    const refused = await client.post('/sign-in/social', {
      _csrf: await client.formToken('/sign-in'),
      provider: 'google',
    });
    expect(refused.location).toBe('/sign-in?error=provider');
  });
});
