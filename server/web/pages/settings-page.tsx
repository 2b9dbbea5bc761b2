import { Alert, CsrfInput, Field } from '../components/form.tsx';
import { Layout, type LayoutProps } from '../components/layout.tsx';
import type { FieldErrors } from '../validation.ts';

/** A signed-in session as listed on the settings page. */
export interface SessionRow {
  id: string;
  current: boolean;
  createdAt: string;
  updatedAt: string;
  ipAddress: string | null;
  userAgent: string | null;
}

/** Properties of {@link SettingsPage}. */
export interface SettingsPageProps extends Omit<LayoutProps, 'title' | 'children'> {
  sessions: readonly SessionRow[];
  /** False for accounts that only sign in with GitHub/Google (no password to change or confirm). */
  hasPassword: boolean;
  notice?: string | undefined;
  /** Per form: `name`, `password`, `sessions`, `delete`. */
  errors?: { name?: FieldErrors; password?: FieldErrors; delete?: FieldErrors; form?: string };
  nameValue?: string | undefined;
}

function describeAgent(agent: string | null): string {
  if (!agent) return 'Unknown client';
  if (/specmint/i.test(agent)) return 'SpecMint CLI';
  const browser = /(Edg|Firefox|Chrome|Safari)\/[\d.]+/.exec(agent)?.[1];
  return browser ? `${browser === 'Edg' ? 'Edge' : browser} browser` : agent.slice(0, 60);
}

function Sessions(props: { sessions: readonly SessionRow[]; csrfToken: string }) {
  const others = props.sessions.filter((session) => !session.current).length;
  return (
    <section class="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions</h2>
      <p class="hint">Browsers and terminals (specmint login) signed in to your account.</p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col" class="optional">
                Address
              </th>
              <th scope="col">Signed in</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.sessions.map((session) => (
              <tr data-session-id={session.id}>
                <td>
                  {describeAgent(session.userAgent)}
                  {session.current ? <span class="tag">This browser</span> : null}
                </td>
                <td class="optional">{session.ipAddress ?? '—'}</td>
                <td>{session.createdAt.slice(0, 10)}</td>
                <td>
                  {session.current ? (
                    <span class="hint">Use “Sign out” above</span>
                  ) : (
                    <form
                      method="post"
                      action={`/settings/sessions/${encodeURIComponent(session.id)}/revoke`}
                    >
                      <CsrfInput token={props.csrfToken} />
                      <button
                        type="submit"
                        class="secondary"
                        aria-label={`Sign out ${describeAgent(session.userAgent)} from ${session.createdAt.slice(0, 10)}`}
                      >
                        Sign out
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form method="post" action="/settings/sessions/revoke-others">
        <CsrfInput token={props.csrfToken} />
        <p class="actions">
          <button type="submit" class="secondary" disabled={others === 0}>
            Sign out of all other sessions ({others})
          </button>
        </p>
      </form>
    </section>
  );
}

/** `/settings`: name, password, sessions, data export and account deletion. */
export function SettingsPage(props: SettingsPageProps) {
  const errors = props.errors ?? {};
  return (
    <Layout {...props} title="Settings">
      <h1>Settings</h1>
      {props.notice ? <Alert kind="success">{props.notice}</Alert> : null}
      {errors.form ? <Alert kind="error">{errors.form}</Alert> : null}
      <div class="split">
        <section class="card" aria-labelledby="profile-title">
          <h2 id="profile-title">Profile</h2>
          <form class="stack" method="post" action="/settings/name">
            <CsrfInput token={props.csrfToken} />
            <p class="hint">Email: {props.viewer?.email}</p>
            <Field
              name="name"
              label="Name"
              value={props.nameValue ?? props.viewer?.name}
              error={errors.name?.name}
              required
              autocomplete="name"
              maxLength={100}
            />
            <div>
              <button type="submit">Save name</button>
            </div>
          </form>
        </section>
        {props.hasPassword ? (
          <section class="card" aria-labelledby="password-title">
            <h2 id="password-title">Password</h2>
            <form class="stack" method="post" action="/settings/password">
              <CsrfInput token={props.csrfToken} />
              <Field
                name="currentPassword"
                label="Current password"
                type="password"
                error={errors.password?.currentPassword}
                required
                autocomplete="current-password"
              />
              <Field
                name="newPassword"
                label="New password"
                type="password"
                error={errors.password?.newPassword}
                hint="At least 8 characters. Other sessions are signed out when it changes."
                required
                autocomplete="new-password"
              />
              <div>
                <button type="submit">Change password</button>
              </div>
            </form>
          </section>
        ) : null}
      </div>
      <Sessions sessions={props.sessions} csrfToken={props.csrfToken} />
      <section class="card" aria-labelledby="export-title">
        <h2 id="export-title">Your data</h2>
        <p>
          Download everything SpecMint stores about you — profile, sessions, plan, usage, CI tokens (never
          their secrets) and generation history — as one JSON file.
        </p>
        <p>
          <a class="button secondary" href="/settings/export" download>
            Export my data (JSON)
          </a>
        </p>
      </section>
      <section class="card" aria-labelledby="delete-title">
        <h2 id="delete-title">Delete account</h2>
        <p>
          This deletes your profile, sign-in methods, sessions and CI tokens at once. The usage ledger is kept
          without anything that identifies you. It cannot be undone.
        </p>
        <form
          class="stack"
          method="post"
          action="/settings/delete"
          data-confirm="Delete your SpecMint account for good?"
        >
          <CsrfInput token={props.csrfToken} />
          <Field
            name="confirmEmail"
            label="Type your email address to confirm"
            type="email"
            error={errors.delete?.confirmEmail}
            required
            autocomplete="off"
          />
          {props.hasPassword ? (
            <Field
              name="password"
              label="Your password"
              type="password"
              error={errors.delete?.password}
              required
              autocomplete="current-password"
            />
          ) : null}
          <div>
            <button type="submit" class="danger">
              Delete my account
            </button>
          </div>
        </form>
      </section>
    </Layout>
  );
}
