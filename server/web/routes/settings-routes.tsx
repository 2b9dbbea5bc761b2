import { and, eq } from 'drizzle-orm';
import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { sessions } from '../../db/schema/sessions.ts';
import { authErrorCode, callAuth, forwardCookies } from '../auth-bridge.ts';
import { readPasswordHash, verifyPassword } from '../data/credential-password.ts';
import { AccountDeletionBlocked, deleteAccount } from '../data/delete-account.ts';
import { exportAccount } from '../data/export-account.ts';
import { MessagePage } from '../pages/message-page.tsx';
import { type SessionRow, SettingsPage, type SettingsPageProps } from '../pages/settings-page.tsx';
import { pageContext, renderPage } from '../render.ts';
import { checkName, checkNewPassword, formSecret, formText } from '../validation.ts';
import type { Viewer, WebContext, WebEnv } from '../web-env.ts';

const NOTICES: Record<string, string> = {
  'name-saved': 'Your name was saved.',
  'password-changed': 'Your password was changed and your other sessions were signed out.',
  'sessions-revoked':
    'All other sessions were signed out, including terminals logged in with specmint login.',
  'session-revoked': 'That session was signed out. A terminal using it must run specmint login again.',
  'session-missing': 'That session had already ended.',
};

/** Signs out one of the viewer's other sessions (by id; the token never reaches the page). */
async function revokeSession(c: Context<WebEnv>, web: WebContext, viewer: Viewer) {
  const id = c.req.param('id') ?? '';
  if (id === viewer.sessionId) return c.redirect('/settings', 303);
  const [row] = await web.deps.database.db
    .select({ token: sessions.token })
    .from(sessions)
    .where(and(eq(sessions.id, id), eq(sessions.userId, viewer.userId)));
  if (!row) return c.redirect('/settings?notice=session-missing', 303);
  const result = await callAuth(web, c, {
    method: 'POST',
    path: '/revoke-session',
    body: { token: row.token },
  });
  if (!result.ok) throw new Error(`revoke-session failed: HTTP ${result.status} ${authErrorCode(result)}`);
  return c.redirect('/settings?notice=session-revoked', 303);
}

async function listSessions(web: WebContext, c: Context<WebEnv>, viewer: Viewer): Promise<SessionRow[]> {
  const result = await callAuth(web, c, { method: 'GET', path: '/list-sessions' });
  const rows = Array.isArray(result.body) ? (result.body as Record<string, unknown>[]) : [];
  return rows.map((row) => ({
    id: String(row.id),
    current: row.id === viewer.sessionId,
    createdAt: String(row.createdAt),
    updatedAt: String(row.updatedAt),
    ipAddress: typeof row.ipAddress === 'string' && row.ipAddress ? row.ipAddress : null,
    userAgent: typeof row.userAgent === 'string' && row.userAgent ? row.userAgent : null,
  }));
}

type Extras = Pick<SettingsPageProps, 'notice' | 'errors' | 'nameValue'>;

async function show(
  c: Context<WebEnv>,
  web: WebContext,
  viewer: Viewer,
  extras: Extras = {},
  status: ContentfulStatusCode = 200,
) {
  const [sessions, hash] = await Promise.all([
    listSessions(web, c, viewer),
    readPasswordHash(web.deps.database.db, viewer.userId),
  ]);
  return renderPage(
    c,
    <SettingsPage {...pageContext(c)} sessions={sessions} hasPassword={hash !== null} {...extras} />,
    status,
  );
}

async function saveName(c: Context<WebEnv>, web: WebContext, viewer: Viewer) {
  const name = formText(await c.req.parseBody(), 'name');
  const problem = checkName(name);
  if (problem) return show(c, web, viewer, { errors: { name: { name: problem } }, nameValue: name }, 400);
  const result = await callAuth(web, c, { method: 'POST', path: '/update-user', body: { name } });
  if (!result.ok)
    return show(c, web, viewer, { errors: { form: 'Your name could not be saved. Try again.' } }, 400);
  return c.redirect('/settings?notice=name-saved', 303);
}

async function changePassword(c: Context<WebEnv>, web: WebContext, viewer: Viewer) {
  const body = await c.req.parseBody();
  const currentPassword = formSecret(body, 'currentPassword');
  const newPassword = formSecret(body, 'newPassword');
  const errors = {
    ...(currentPassword === '' ? { currentPassword: 'Enter your current password.' } : {}),
    ...(checkNewPassword(newPassword) ? { newPassword: checkNewPassword(newPassword) } : {}),
  };
  if (Object.keys(errors).length > 0) return show(c, web, viewer, { errors: { password: errors } }, 400);
  const result = await callAuth(web, c, {
    method: 'POST',
    path: '/change-password',
    body: { currentPassword, newPassword, revokeOtherSessions: true },
  });
  if (result.status === 429) {
    return show(c, web, viewer, { errors: { form: 'Too many attempts. Wait a minute and try again.' } }, 429);
  }
  if (!result.ok) {
    return show(
      c,
      web,
      viewer,
      { errors: { password: { currentPassword: 'That is not your current password.' } } },
      400,
    );
  }
  forwardCookies(c, result);
  return c.redirect('/settings?notice=password-changed', 303);
}

async function removeAccount(c: Context<WebEnv>, web: WebContext, viewer: Viewer) {
  const body = await c.req.parseBody();
  const confirmEmail = formText(body, 'confirmEmail').toLowerCase();
  const password = formSecret(body, 'password');
  const db = web.deps.database.db;
  const hash = await readPasswordHash(db, viewer.userId);
  const errors: Record<string, string> = {};
  if (confirmEmail !== viewer.email.toLowerCase())
    errors.confirmEmail = 'Type the email address of this account.';
  if (hash !== null && !(password && (await verifyPassword(web.deps.auth, hash, password)))) {
    errors.password = 'That is not your password.';
  }
  if (Object.keys(errors).length > 0) return show(c, web, viewer, { errors: { delete: errors } }, 400);
  try {
    await deleteAccount(db, { id: viewer.userId, email: viewer.email });
    // The CI-token lookup caches principals for a few seconds; the tokens must stop working now.
    web.deps.ciTokens.forgetUser(viewer.userId);
  } catch (error) {
    if (error instanceof AccountDeletionBlocked)
      return show(c, web, viewer, { errors: { form: error.message } }, 409);
    throw error;
  }
  // The session row is gone with the user; expire the browser's cookies too.
  const signedOut = await callAuth(web, c, { method: 'POST', path: '/sign-out', body: {} });
  forwardCookies(c, signedOut);
  c.get('logger').info('account deleted', { userId: viewer.userId });
  return renderPage(
    c,
    <MessagePage {...pageContext(c)} viewer={null} title="Your account was deleted">
      <p>Your profile, sessions and CI tokens are gone. Thank you for using SpecMint.</p>
      <p>
        <a href="/">Back to the home page</a>
      </p>
    </MessagePage>,
  );
}

/** `/settings` and its forms, plus `/settings/export` (JSON download of the viewer's data). */
export function registerSettingsRoutes(app: Hono<WebEnv>, web: WebContext): void {
  const signedIn =
    (handler: (c: Context<WebEnv>, viewer: Viewer) => Promise<Response>) => async (c: Context<WebEnv>) => {
      const viewer = c.get('viewer');
      if (!viewer) return c.redirect(`/sign-in?next=${encodeURIComponent('/settings')}`, 303);
      return handler(c, viewer);
    };
  app.get(
    '/settings',
    signedIn((c, viewer) => {
      const notice = NOTICES[c.req.query('notice') ?? ''];
      return show(c, web, viewer, notice ? { notice } : {});
    }),
  );
  app.get(
    '/settings/export',
    signedIn(async (c, viewer) => {
      const data = await exportAccount(web.deps.database.db, viewer.userId, web.deps.clock());
      c.header('Cache-Control', 'no-store');
      c.header('Content-Disposition', 'attachment; filename="specmint-account-export.json"');
      return c.json(data);
    }),
  );
  app.post(
    '/settings/name',
    signedIn((c, viewer) => saveName(c, web, viewer)),
  );
  app.post(
    '/settings/password',
    signedIn((c, viewer) => changePassword(c, web, viewer)),
  );
  app.post(
    '/settings/sessions/revoke-others',
    signedIn(async (c) => {
      await callAuth(web, c, { method: 'POST', path: '/revoke-other-sessions', body: {} });
      return c.redirect('/settings?notice=sessions-revoked', 303);
    }),
  );
  app.post(
    '/settings/sessions/:id/revoke',
    signedIn((c, viewer) => revokeSession(c, web, viewer)),
  );
  app.post(
    '/settings/delete',
    signedIn((c, viewer) => removeAccount(c, web, viewer)),
  );
}
