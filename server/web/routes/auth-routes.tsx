import type { Context, Hono } from 'hono';
import { MAILBOX_TAKEN } from '../../auth/create-auth.ts';
import { authErrorCode, callAuth, forwardCookies, retryAfterSeconds } from '../auth-bridge.ts';
import { AuthPage } from '../pages/auth-page.tsx';
import { pageContext, renderPage } from '../render.ts';
import { DEFAULT_NEXT, safeNextPath } from '../security/safe-next.ts';
import { type FieldErrors, formSecret, formText, validateSignIn, validateSignUp } from '../validation.ts';
import type { SocialProvider, WebContext, WebEnv } from '../web-env.ts';

type Mode = 'sign-in' | 'sign-up';

interface FormState {
  next: string;
  values?: { name?: string; email?: string };
  errors?: FieldErrors;
  formError?: string | undefined;
}

function reasonFor(next: string, query: Record<string, string>): string | undefined {
  if (query.error) return 'Signing in with that provider did not work. Try again or use email and password.';
  if (next.startsWith('/device')) {
    return 'Sign in or create an account to approve the login code shown in your terminal.';
  }
  return undefined;
}

function show(
  c: Context<WebEnv>,
  web: WebContext,
  mode: Mode,
  state: FormState,
  status: 200 | 400 | 401 | 409 | 429,
) {
  return renderPage(
    c,
    <AuthPage
      {...pageContext(c)}
      mode={mode}
      socialProviders={web.socialProviders}
      reason={reasonFor(state.next, c.req.query())}
      {...state}
    />,
    status,
  );
}

function rateLimitedMessage(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `Too many attempts from your network. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`;
}

async function signIn(c: Context<WebEnv>, web: WebContext) {
  const body = await c.req.parseBody();
  const next = safeNextPath(formText(body, 'next'));
  const email = formText(body, 'email').toLowerCase();
  const password = formSecret(body, 'password');
  const errors = validateSignIn({ email, password });
  if (Object.keys(errors).length > 0)
    return show(c, web, 'sign-in', { next, values: { email }, errors }, 400);
  const result = await callAuth(web, c, {
    method: 'POST',
    path: '/sign-in/email',
    body: { email, password, rememberMe: true },
  });
  if (result.ok) {
    forwardCookies(c, result);
    return c.redirect(next, 303);
  }
  if (result.status === 429) {
    return show(
      c,
      web,
      'sign-in',
      { next, values: { email }, formError: rateLimitedMessage(retryAfterSeconds(result)) },
      429,
    );
  }
  return show(
    c,
    web,
    'sign-in',
    { next, values: { email }, formError: 'The email or password is incorrect.' },
    401,
  );
}

function signUpFailure(code: string): { errors?: FieldErrors; formError?: string } {
  if (code.startsWith('USER_ALREADY_EXISTS')) {
    return { errors: { email: 'An account with this email already exists. Sign in instead.' } };
  }
  if (code === 'PASSWORD_TOO_SHORT' || code === 'PASSWORD_TOO_LONG') {
    return { errors: { password: 'Use 8 to 128 characters.' } };
  }
  if (code === MAILBOX_TAKEN) {
    return {
      errors: {
        email:
          'An account already uses this mailbox (the same address with or without a +tag). Sign in with that address instead.',
      },
    };
  }
  if (code === 'INVALID_EMAIL') return { errors: { email: 'Enter an email address like name@example.com.' } };
  return { formError: 'The account could not be created. Check the fields and try again.' };
}

async function signUp(c: Context<WebEnv>, web: WebContext) {
  const body = await c.req.parseBody();
  const next = safeNextPath(formText(body, 'next'));
  const input = {
    name: formText(body, 'name'),
    email: formText(body, 'email').toLowerCase(),
    password: formSecret(body, 'password'),
  };
  const values = { name: input.name, email: input.email };
  const errors = validateSignUp(input);
  if (Object.keys(errors).length > 0) return show(c, web, 'sign-up', { next, values, errors }, 400);
  const result = await callAuth(web, c, { method: 'POST', path: '/sign-up/email', body: input });
  if (result.ok) {
    forwardCookies(c, result);
    // "Check your inbox" (the verification link is on its way), then on; from /device, straight back.
    return c.redirect(next === DEFAULT_NEXT ? '/check-email' : next, 303);
  }
  if (result.status === 429) {
    return show(
      c,
      web,
      'sign-up',
      { next, values, formError: rateLimitedMessage(retryAfterSeconds(result)) },
      429,
    );
  }
  const failure = signUpFailure(authErrorCode(result));
  return show(c, web, 'sign-up', { next, values, ...failure }, failure.errors?.email ? 409 : 400);
}

async function socialSignIn(c: Context<WebEnv>, web: WebContext) {
  const body = await c.req.parseBody();
  const next = safeNextPath(formText(body, 'next'));
  const provider = formText(body, 'provider') as SocialProvider;
  if (!web.socialProviders.includes(provider)) return c.redirect('/sign-in?error=provider', 303);
  const result = await callAuth(web, c, {
    method: 'POST',
    path: '/sign-in/social',
    body: { provider, callbackURL: next, errorCallbackURL: '/sign-in?error=social', disableRedirect: true },
  });
  const url = result.body?.url;
  if (!result.ok || typeof url !== 'string' || !/^https?:\/\//.test(url)) {
    return c.redirect('/sign-in?error=social', 303);
  }
  forwardCookies(c, result);
  return c.redirect(url, 303);
}

/** `/sign-in`, `/sign-up`, `/sign-out` and `/sign-in/social`. */
export function registerAuthRoutes(app: Hono<WebEnv>, web: WebContext): void {
  for (const mode of ['sign-in', 'sign-up'] as const) {
    const path: string = `/${mode}`;
    app.get(path, async (c) => {
      const next = safeNextPath(c.req.query('next'));
      if (c.get('viewer')) return c.redirect(next, 303);
      return show(c, web, mode, { next }, 200);
    });
  }
  app.post('/sign-in', (c) => signIn(c, web));
  app.post('/sign-up', (c) => signUp(c, web));
  app.post('/sign-in/social', (c) => socialSignIn(c, web));
  app.post('/sign-out', async (c) => {
    const result = await callAuth(web, c, { method: 'POST', path: '/sign-out', body: {} });
    forwardCookies(c, result);
    return c.redirect('/', 303);
  });
}
