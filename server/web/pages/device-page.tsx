import { CLI_CLIENT_ID } from '../../../shared/contracts.ts';
import { Alert, CsrfInput, Field } from '../components/form.tsx';
import { Layout, type LayoutProps } from '../components/layout.tsx';

type Base = Omit<LayoutProps, 'title' | 'children'>;

/** What the device page shows. */
export type DeviceView =
  | { kind: 'enter'; code?: string; error?: string }
  | { kind: 'review'; code: string; clientId: string; scope: string | null }
  | { kind: 'approved'; code: string }
  | { kind: 'denied'; code: string }
  | { kind: 'expired'; code: string }
  | { kind: 'used'; code: string }
  | { kind: 'other-account'; code: string }
  | { kind: 'unknown'; code: string }
  | { kind: 'rate-limited'; minutes: number };

/** A friendly name for the client asking for access. */
export function describeClient(clientId: string): string {
  return clientId === CLI_CLIENT_ID ? 'SpecMint CLI (specmint login)' : clientId;
}

/** `ABCDEFGH` → `ABCD-EFGH` for reading. */
export function formatUserCode(code: string): string {
  return code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
}

function EnterCode(props: {
  csrfToken: string;
  code?: string | undefined;
  error?: string | undefined;
  label?: string;
}) {
  return (
    <form class="stack" method="get" action="/device">
      <Field
        name="user_code"
        label={props.label ?? 'Code shown in your terminal'}
        value={props.code}
        error={props.error}
        required
        autocomplete="off"
        hint="It looks like ABCD-EFGH. Letters are not case-sensitive."
        maxLength={40}
        extra={{ autocapitalize: 'characters', spellcheck: 'false' }}
      />
      <button type="submit">Continue</button>
    </form>
  );
}

function Review(props: {
  csrfToken: string;
  code: string;
  clientId: string;
  scope: string | null;
  email: string;
}) {
  return (
    <>
      <p>A device is asking to sign in to SpecMint as you. Approve it only if you started this yourself.</p>
      <p class="code-box">
        <span class="visually-hidden">Code: </span>
        {formatUserCode(props.code)}
      </p>
      <dl class="facts">
        <dt>Client</dt>
        <dd>{describeClient(props.clientId)}</dd>
        <dt>Account</dt>
        <dd>{props.email}</dd>
        {props.scope ? (
          <>
            <dt>Access</dt>
            <dd>{props.scope}</dd>
          </>
        ) : null}
      </dl>
      <p>Check that the code matches the one in your terminal.</p>
      <div class="actions">
        <form method="post" action="/device/approve">
          <CsrfInput token={props.csrfToken} />
          <input type="hidden" name="user_code" value={props.code} />
          <button type="submit">Approve</button>
        </form>
        <form method="post" action="/device/deny">
          <CsrfInput token={props.csrfToken} />
          <input type="hidden" name="user_code" value={props.code} />
          <button type="submit" class="secondary">
            Deny
          </button>
        </form>
      </div>
    </>
  );
}

const TITLES: Record<DeviceView['kind'], string> = {
  enter: 'Connect a device',
  review: 'Approve this device?',
  approved: 'Device approved',
  denied: 'Request denied',
  expired: 'This code has expired',
  used: 'This code was already used',
  'other-account': 'This code belongs to another sign-in',
  unknown: 'We don’t recognise this code',
  'rate-limited': 'Too many attempts',
};

function WayOn(props: { primary: 'dashboard' | 'home' }) {
  return (
    <nav aria-label="Where to go next">
      <p class="actions">
        <a class="button" href={props.primary === 'dashboard' ? '/dashboard' : '/'}>
          {props.primary === 'dashboard' ? 'Go to your dashboard' : 'Home page'}
        </a>
        {props.primary === 'dashboard' ? <a href="/">Home page</a> : <a href="/dashboard">Your dashboard</a>}
      </p>
    </nav>
  );
}

function Body(props: { view: DeviceView; csrfToken: string; email: string; emailVerified: boolean }) {
  const view = props.view;
  switch (view.kind) {
    case 'enter':
      return <EnterCode csrfToken={props.csrfToken} code={view.code} error={view.error} />;
    case 'review':
      return <Review {...view} csrfToken={props.csrfToken} email={props.email} />;
    case 'approved':
      return (
        <>
          <Alert kind="success">
            <p>
              You can close this tab and return to your terminal: the CLI is now signed in as {props.email}.
            </p>
          </Alert>
          <p>
            Next, in your terminal: <code>specmint generate openapi.yaml</code>
          </p>
          {props.emailVerified ? null : (
            <Alert kind="info">
              <p>
                Verify your e-mail address first: the Free plan generates once it is verified. We sent a link
                to {props.email}. <a href="/check-email">Didn’t get it?</a>
              </p>
            </Alert>
          )}
          <WayOn primary="dashboard" />
        </>
      );
    case 'denied':
      return (
        <>
          <Alert kind="info">
            <p>The device was not signed in. The command in your terminal will stop.</p>
          </Alert>
          <p>
            If that was a mistake, run <code>specmint login</code> again for a new code.
          </p>
          <WayOn primary="dashboard" />
        </>
      );
    case 'expired':
      return (
        <>
          <p>
            Codes are valid for 15 minutes. Run <code>specmint login</code> again to get a new one.
          </p>
          <EnterCode csrfToken={props.csrfToken} label="Enter a new code" />
        </>
      );
    case 'used':
      return (
        <>
          <p>
            The code {formatUserCode(view.code)} has already been approved or denied. If this wasn’t you,
            check your sessions in <a href="/settings">Settings</a>.
          </p>
          <p>
            To log in again, run <code>specmint login</code> for a new code.
          </p>
          <WayOn primary="dashboard" />
        </>
      );
    case 'other-account':
      return (
        <p>
          Another account has already opened this code. Run <code>specmint login</code> again for a new code
          and open it while signed in as yourself.
        </p>
      );
    case 'unknown':
      return (
        <>
          <Alert kind="error">
            <p>
              No login is waiting for the code {view.code ? formatUserCode(view.code) : 'you entered'}. Check
              it against your terminal.
            </p>
          </Alert>
          <EnterCode csrfToken={props.csrfToken} code={view.code} label="Try the code again" />
        </>
      );
    case 'rate-limited':
      return (
        <p>
          Too many codes were tried from your network. Wait {view.minutes} minute
          {view.minutes === 1 ? '' : 's'} and try again.
        </p>
      );
  }
}

/** `/device`: enter, review, approve or deny a device login, and its outcomes. */
export function DevicePage(props: Base & { view: DeviceView }) {
  return (
    <Layout {...props} title={TITLES[props.view.kind]} narrow>
      <h1>{TITLES[props.view.kind]}</h1>
      <div class="card">
        <Body
          view={props.view}
          csrfToken={props.csrfToken}
          email={props.viewer?.email ?? ''}
          emailVerified={props.viewer?.emailVerified ?? true}
        />
      </div>
    </Layout>
  );
}
