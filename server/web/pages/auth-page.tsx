import { Alert, CsrfInput, Field } from '../components/form.tsx';
import { Layout, type LayoutProps, withNext } from '../components/layout.tsx';
import type { FieldErrors } from '../validation.ts';
import type { SocialProvider } from '../web-env.ts';

/** Properties of {@link AuthPage}. */
export interface AuthPageProps extends Omit<LayoutProps, 'title' | 'children'> {
  mode: 'sign-in' | 'sign-up';
  /** Same-origin path to return to. */
  next: string;
  values?: { name?: string; email?: string };
  errors?: FieldErrors;
  /** A problem with the whole form (wrong password, rate limit, …). */
  formError?: string | undefined;
  /** Why the user is asked to sign in (e.g. to approve a device code). */
  reason?: string | undefined;
  socialProviders: readonly SocialProvider[];
}

const PROVIDER_NAMES: Record<SocialProvider, string> = { github: 'GitHub', google: 'Google' };

function errorSummary(errors: FieldErrors): string | undefined {
  const count = Object.keys(errors).length;
  if (count === 0) return undefined;
  return count === 1 ? 'Fix the field marked below.' : `Fix the ${count} fields marked below.`;
}

/** `/sign-in` and `/sign-up`: email + password, plus GitHub/Google when configured. */
export function AuthPage(props: AuthPageProps) {
  const signUp = props.mode === 'sign-up';
  const errors = props.errors ?? {};
  const title = signUp ? 'Create your SpecMint account' : 'Sign in to SpecMint';
  const problem = props.formError ?? errorSummary(errors);
  return (
    <Layout {...props} title={signUp ? 'Create account' : 'Sign in'} narrow>
      <h1>{title}</h1>
      {props.reason ? <Alert kind="info">{props.reason}</Alert> : null}
      {problem ? <Alert kind="error">{problem}</Alert> : null}
      <div class="card">
        <form class="stack" method="post" action={signUp ? '/sign-up' : '/sign-in'} novalidate>
          <CsrfInput token={props.csrfToken} />
          <input type="hidden" name="next" value={props.next} />
          {signUp ? (
            <Field
              name="name"
              label="Name"
              value={props.values?.name}
              error={errors.name}
              required
              autocomplete="name"
              maxLength={100}
            />
          ) : null}
          <Field
            name="email"
            label="Email"
            type="email"
            value={props.values?.email}
            error={errors.email}
            required
            autocomplete={signUp ? 'email' : 'username'}
            extra={{ spellcheck: 'false', autocapitalize: 'none' }}
          />
          <Field
            name="password"
            label="Password"
            type="password"
            error={errors.password}
            required
            autocomplete={signUp ? 'new-password' : 'current-password'}
            hint={signUp ? 'At least 8 characters.' : undefined}
          />
          {signUp ? null : (
            <p class="hint">
              <a href="/forgot-password">Forgot your password?</a>
            </p>
          )}
          <button type="submit">{signUp ? 'Create account' : 'Sign in'}</button>
        </form>
        {props.socialProviders.length > 0 ? (
          <>
            <p class="divider">or</p>
            <div class="actions">
              {props.socialProviders.map((provider) => (
                <form method="post" action="/sign-in/social">
                  <CsrfInput token={props.csrfToken} />
                  <input type="hidden" name="next" value={props.next} />
                  <input type="hidden" name="provider" value={provider} />
                  <button type="submit" class="secondary">
                    Continue with {PROVIDER_NAMES[provider]}
                  </button>
                </form>
              ))}
            </div>
          </>
        ) : null}
      </div>
      <p>
        {signUp ? 'Already have an account? ' : 'New to SpecMint? '}
        <a href={withNext(signUp ? '/sign-in' : '/sign-up', props.next)}>
          {signUp ? 'Sign in' : 'Create an account'}
        </a>
      </p>
    </Layout>
  );
}
