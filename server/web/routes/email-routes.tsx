import type { Context, Hono } from 'hono';
import { errors as joseErrors, jwtVerify } from 'jose';
import { authErrorCode, callAuth } from '../auth-bridge.ts';
import {
  CheckEmailPage,
  ForgotPasswordPage,
  ResetPasswordPage,
  type ResetView,
  VerifyEmailPage,
  type VerifyOutcome,
} from '../pages/email-pages.tsx';
import { pageContext, renderPage } from '../render.ts';
import { safeNextPath } from '../security/safe-next.ts';
import { checkEmail, checkNewPassword, formSecret, formText } from '../validation.ts';
import type { WebContext, WebEnv } from '../web-env.ts';

const NOTICES: Record<string, string> = {
  sent: 'We sent a new link. It replaces none of the earlier ones: any unexpired link works.',
  wait: 'Too many links were asked for from your network. Wait a few minutes, then try again.',
};

/** Reads a verification token's e-mail after checking its signature and expiry (better-auth's HS256 JWT). */
async function readVerificationToken(
  web: WebContext,
  token: string,
): Promise<{ email: string } | 'expired' | 'invalid'> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(web.secret), {
      algorithms: ['HS256'],
    });
    return typeof payload.email === 'string' ? { email: payload.email } : 'invalid';
  } catch (error) {
    return error instanceof joseErrors.JWTExpired ? 'expired' : 'invalid';
  }
}

async function verifyOutcome(web: WebContext, c: Context<WebEnv>, token: string): Promise<VerifyOutcome> {
  const read = await readVerificationToken(web, token);
  if (read === 'expired' || read === 'invalid') return read;
  const context = await web.deps.auth.$context;
  const found = await context.internalAdapter.findUserByEmail(read.email);
  if (!found) return 'invalid';
  if (found.user.emailVerified) return 'already-verified';
  const result = await callAuth(web, c, { method: 'GET', path: '/verify-email', query: { token } });
  if (result.ok) return 'verified';
  return authErrorCode(result) === 'TOKEN_EXPIRED' ? 'expired' : 'invalid';
}

/** A reset link's state: usable, expired, or used up (better-auth deletes it once used). */
async function resetTokenState(web: WebContext, token: string): Promise<'valid' | 'expired' | 'used'> {
  if (!/^[A-Za-z0-9_-]{8,200}$/.test(token)) return 'used';
  const context = await web.deps.auth.$context;
  const stored = await context.internalAdapter.findVerificationValue(`reset-password:${token}`);
  if (!stored) return 'used';
  return new Date(stored.expiresAt) <= new Date() ? 'expired' : 'valid';
}

function showReset(c: Context<WebEnv>, view: ResetView, status: 200 | 400 | 410 = 200) {
  return renderPage(c, <ResetPasswordPage {...pageContext(c)} view={view} />, status);
}

async function resend(c: Context<WebEnv>, web: WebContext) {
  const viewer = c.get('viewer');
  const email = viewer?.email ?? formText(await c.req.parseBody(), 'email').toLowerCase();
  if (viewer?.emailVerified) return c.redirect('/check-email', 303);
  if (checkEmail(email)) return c.redirect('/check-email', 303);
  const result = await callAuth(web, c, {
    method: 'POST',
    path: '/send-verification-email',
    body: { email },
  });
  return c.redirect(`/check-email?notice=${result.status === 429 ? 'wait' : 'sent'}`, 303);
}

async function requestReset(c: Context<WebEnv>, web: WebContext) {
  const email = formText(await c.req.parseBody(), 'email').toLowerCase();
  const problem = checkEmail(email);
  if (problem)
    return renderPage(c, <ForgotPasswordPage {...pageContext(c)} email={email} error={problem} />, 400);
  const result = await callAuth(web, c, { method: 'POST', path: '/request-password-reset', body: { email } });
  if (result.status === 429) {
    const error = 'Too many requests from your network. Wait a few minutes, then try again.';
    return renderPage(c, <ForgotPasswordPage {...pageContext(c)} email={email} error={error} />, 429);
  }
  return c.redirect('/check-email?for=reset', 303);
}

async function resetPassword(c: Context<WebEnv>, web: WebContext) {
  const body = await c.req.parseBody();
  const token = formText(body, 'token');
  const newPassword = formSecret(body, 'newPassword');
  const problem = checkNewPassword(newPassword);
  if (problem) return showReset(c, { kind: 'form', token, error: problem }, 400);
  const result = await callAuth(web, c, {
    method: 'POST',
    path: '/reset-password',
    body: { newPassword, token },
  });
  if (result.ok) {
    c.get('logger').info('password reset');
    return showReset(c, { kind: 'done' });
  }
  const state = await resetTokenState(web, token);
  if (state === 'valid') {
    return showReset(
      c,
      { kind: 'form', token, formError: 'The password could not be changed. Try again.' },
      400,
    );
  }
  return showReset(c, { kind: state }, 410);
}

/**
 * The e-mail pages: `/check-email` ("check your inbox", resend), `/verify-email` (the verification link),
 * `/forgot-password` (ask for a reset link) and `/reset-password` (the reset link: choose a new password).
 */
export function registerEmailRoutes(app: Hono<WebEnv>, web: WebContext): void {
  app.get('/check-email', (c) =>
    renderPage(
      c,
      <CheckEmailPage
        {...pageContext(c)}
        purpose={c.req.query('for') === 'reset' ? 'reset' : 'verify'}
        next={safeNextPath(c.req.query('next'))}
        notice={NOTICES[c.req.query('notice') ?? '']}
        linksLogged={web.deps.mailer.mode === 'log'}
      />,
    ),
  );
  app.post('/check-email/resend', (c) => resend(c, web));
  app.get('/verify-email', async (c) => {
    const outcome = await verifyOutcome(web, c, c.req.query('token') ?? '');
    const status = outcome === 'verified' || outcome === 'already-verified' ? 200 : 410;
    return renderPage(c, <VerifyEmailPage {...pageContext(c)} outcome={outcome} />, status);
  });
  app.get('/forgot-password', (c) => renderPage(c, <ForgotPasswordPage {...pageContext(c)} />));
  app.post('/forgot-password', (c) => requestReset(c, web));
  app.get('/reset-password', async (c) => {
    const token = c.req.query('token') ?? '';
    const state = await resetTokenState(web, token);
    return state === 'valid' ? showReset(c, { kind: 'form', token }) : showReset(c, { kind: state }, 410);
  });
  app.post('/reset-password', (c) => resetPassword(c, web));
}
