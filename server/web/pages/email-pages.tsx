import { Alert, CsrfInput, Field } from '../components/form.tsx';
import { Layout, type LayoutProps } from '../components/layout.tsx';

type Base = Omit<LayoutProps, 'title' | 'children'>;

/** Without SMTP outside production the server writes links to its log instead of sending them. */
function LoggedLinkHint(props: { show: boolean }) {
  if (!props.show) return null;
  return (
    <Alert kind="info">
      <p>
        This server has no mail server configured (<code>SMTP_URL</code>), so the link was written to the
        server’s log instead: look for “e-mail not sent” in the output of <code>specmint-server start</code>.
      </p>
    </Alert>
  );
}

function ResendForm(props: { csrfToken: string; askEmail: boolean; label?: string }) {
  return (
    <form class="stack" method="post" action="/check-email/resend">
      <CsrfInput token={props.csrfToken} />
      {props.askEmail ? (
        <Field name="email" label="Your e-mail address" type="email" required autocomplete="email" />
      ) : null}
      <div>
        <button type="submit" class="secondary">
          {props.label ?? 'Send a new link'}
        </button>
      </div>
    </form>
  );
}

/** Properties of {@link CheckEmailPage}. */
export interface CheckEmailProps extends Base {
  purpose: 'verify' | 'reset';
  /** Where "Continue" goes. */
  next: string;
  notice?: string | undefined;
  /** The server logs links instead of sending them. */
  linksLogged: boolean;
}

/** `/check-email`: after sign-up, a resend, or a password-reset request. */
export function CheckEmailPage(props: CheckEmailProps) {
  const viewer = props.viewer;
  const verified = props.purpose === 'verify' && viewer?.emailVerified === true;
  const title = verified ? 'Your e-mail address is verified' : 'Check your inbox';
  return (
    <Layout {...props} title={title} narrow>
      <h1>{title}</h1>
      {props.notice ? <Alert kind="success">{props.notice}</Alert> : null}
      <div class="card stack">
        {props.purpose === 'reset' ? (
          <p>
            If an account uses that address, we sent it a link to choose a new password. The link works once,
            for an hour.
          </p>
        ) : verified ? (
          <p>You can generate test suites on every plan.</p>
        ) : viewer ? (
          <p>
            We sent a link to <strong>{viewer.email}</strong>. Open it to verify your address: the Free plan
            generates test suites once it is verified. The link works for 24 hours.
          </p>
        ) : (
          <p>
            We sent you a link to verify your e-mail address. Open it: the Free plan generates test suites
            once your address is verified.
          </p>
        )}
        {verified ? null : <LoggedLinkHint show={props.linksLogged} />}
        {props.purpose === 'verify' && !verified ? (
          <>
            <p class="hint">No e-mail after a few minutes? Check your spam folder, or get a new link.</p>
            <ResendForm csrfToken={props.csrfToken} askEmail={viewer === null} />
          </>
        ) : null}
        <p class="actions">
          {viewer ? (
            <a class="button" href={props.next}>
              Continue to {props.next.startsWith('/device') ? 'the device approval' : 'your dashboard'}
            </a>
          ) : (
            <a class="button" href="/sign-in">
              Sign in
            </a>
          )}
          <a href="/">Home</a>
        </p>
      </div>
    </Layout>
  );
}

/** What opening a verification link gave. */
export type VerifyOutcome = 'verified' | 'already-verified' | 'expired' | 'invalid';

const VERIFY_TITLES: Record<VerifyOutcome, string> = {
  verified: 'Your e-mail address is verified',
  'already-verified': 'This link was already used',
  expired: 'This verification link has expired',
  invalid: 'This verification link is not valid',
};

/** `/verify-email?token=…`: the outcome of a verification link. */
export function VerifyEmailPage(props: Base & { outcome: VerifyOutcome }) {
  const title = VERIFY_TITLES[props.outcome];
  const signedIn = props.viewer !== null;
  return (
    <Layout {...props} title={title} narrow>
      <h1>{title}</h1>
      <div class="card stack">
        {props.outcome === 'verified' || props.outcome === 'already-verified' ? (
          <>
            <p>
              {props.outcome === 'verified'
                ? 'Thank you. Your account can now generate test suites on the Free plan.'
                : 'Your e-mail address is already verified; there is nothing more to do.'}
            </p>
            <p>
              Back in your terminal, run <code>specmint generate openapi.yaml</code>.
            </p>
            <p class="actions">
              <a class="button" href={signedIn ? '/dashboard' : '/sign-in'}>
                {signedIn ? 'Go to your dashboard' : 'Sign in'}
              </a>
              <a href="/">Home</a>
            </p>
          </>
        ) : (
          <>
            <p>
              {props.outcome === 'expired'
                ? 'Verification links work for 24 hours. Get a new one below.'
                : 'The link may be incomplete (copied in part?) or replaced by a newer one. Get a new one below.'}
            </p>
            <ResendForm csrfToken={props.csrfToken} askEmail={!signedIn} label="Send me a new link" />
            <p class="actions">
              <a href={signedIn ? '/dashboard' : '/sign-in'}>{signedIn ? 'Dashboard' : 'Sign in'}</a>
              <a href="/">Home</a>
            </p>
          </>
        )}
      </div>
    </Layout>
  );
}

/** `/forgot-password`: ask for a reset link. */
export function ForgotPasswordPage(props: Base & { email?: string; error?: string | undefined }) {
  return (
    <Layout {...props} title="Reset your password" narrow>
      <h1>Reset your password</h1>
      <div class="card">
        <form class="stack" method="post" action="/forgot-password" novalidate>
          <CsrfInput token={props.csrfToken} />
          <p>
            Enter the e-mail address of your account and we will send you a link to choose a new password.
          </p>
          <Field
            name="email"
            label="Email"
            type="email"
            value={props.email}
            error={props.error}
            required
            autocomplete="email"
            extra={{ spellcheck: 'false', autocapitalize: 'none' }}
          />
          <div>
            <button type="submit">Send the link</button>
          </div>
        </form>
      </div>
      <p>
        Remembered it? <a href="/sign-in">Sign in</a>
      </p>
    </Layout>
  );
}

/** What `/reset-password` shows. */
export type ResetView =
  | { kind: 'form'; token: string; error?: string | undefined; formError?: string | undefined }
  | { kind: 'expired' }
  | { kind: 'used' }
  | { kind: 'done' };

const RESET_TITLES: Record<ResetView['kind'], string> = {
  form: 'Choose a new password',
  expired: 'This reset link has expired',
  used: 'This reset link was already used',
  done: 'Your password was changed',
};

/** `/reset-password?token=…`: the new-password form and its outcomes. */
export function ResetPasswordPage(props: Base & { view: ResetView }) {
  const { view } = props;
  const title = RESET_TITLES[view.kind];
  return (
    <Layout {...props} title={title} narrow>
      <h1>{title}</h1>
      {view.kind === 'form' && view.formError ? <Alert kind="error">{view.formError}</Alert> : null}
      <div class="card stack">
        {view.kind === 'form' ? (
          <form class="stack" method="post" action="/reset-password" novalidate>
            <CsrfInput token={props.csrfToken} />
            <input type="hidden" name="token" value={view.token} />
            <Field
              name="newPassword"
              label="New password"
              type="password"
              error={view.error}
              hint="At least 8 characters. Every signed-in browser and terminal is signed out."
              required
              autocomplete="new-password"
            />
            <div>
              <button type="submit">Set the new password</button>
            </div>
          </form>
        ) : view.kind === 'done' ? (
          <>
            <p>Sign in with your new password. Browsers and terminals signed in before were signed out.</p>
            <p class="actions">
              <a class="button" href="/sign-in">
                Sign in
              </a>
            </p>
          </>
        ) : (
          <>
            <p>
              {view.kind === 'expired'
                ? 'Reset links work for one hour.'
                : 'Each reset link works once, and this one has been used (or a newer one replaced it).'}{' '}
              Ask for a new link if you still need to change your password.
            </p>
            <p class="actions">
              <a class="button" href="/forgot-password">
                Send a new link
              </a>
              <a href="/sign-in">Sign in</a>
            </p>
          </>
        )}
      </div>
    </Layout>
  );
}
