/**
 * `specmint login [--no-browser] [--force]`: the device-code flow (RFC 8628). Prints the code (grouped
 * like the approval page shows it) and the page to approve it on, opens the browser when a person is at
 * the terminal, polls until approved, stores the session token, then shows who is logged in and their plan.
 * Already logged in (and the login still valid): says as whom and changes nothing unless `--force`.
 */
import type { DeviceCodeResponse, Me } from '../../../shared/contracts.ts';
import { createApiClient } from '../../account/api-client.ts';
import { ApiFailure } from '../../account/api-failure.ts';
import { runDeviceLogin } from '../../account/device-login.ts';
import { type AuthContext, resolveAuth } from '../../account/session.ts';
import type { Spinner } from '../../ui/spinner.ts';
import { createUi, type Ui } from '../../ui/ui.ts';
import { groupUserCode } from '../../ui/user-code.ts';
import type { CommandContext } from '../command-context.ts';
import { describeQuota } from '../usage-text.ts';

/** Flags of `login` (`--no-browser` sets `browser: false`). */
export interface LoginFlags {
  browser?: boolean;
  /** Log in again even when the stored login is still valid (to switch accounts). */
  force?: boolean;
  debug?: boolean;
}

async function showCode(ui: Ui, code: DeviceCodeResponse, openInBrowser: boolean): Promise<void> {
  const minutes = Math.max(1, Math.round(code.expires_in / 60));
  ui.info(`To log in, open ${ui.style.cyan(code.verification_uri)} and enter the code:`);
  ui.info('');
  ui.info(`    ${ui.style.bold(groupUserCode(code.user_code))}`);
  ui.info('');
  ui.info(
    `Or open ${code.verification_uri_complete} directly. The code expires in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
  );
  if (openInBrowser) {
    const { openBrowser } = await import('../../ui/open-browser.ts');
    if (await openBrowser(code.verification_uri_complete)) ui.info('Opened your browser.');
    else ui.info('Could not open a browser; open the link above yourself.');
  }
}

/**
 * The account the stored login belongs to, when it is still accepted by the server; `undefined` when
 * there is none or the server says it is no longer valid (then logging in again is what the user needs).
 */
async function currentLogin(auth: AuthContext, ui: Ui): Promise<Me | undefined> {
  if (!auth.stored) return undefined;
  const api = createApiClient({ apiUrl: auth.apiUrl, token: auth.stored.token, http: { maxAttempts: 1 } });
  try {
    return await api.me();
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 401) {
      ui.info(
        `Your stored login${auth.stored.email ? ` (${auth.stored.email})` : ''} has expired; logging in again.`,
      );
      return undefined;
    }
    throw error;
  } finally {
    await api.close();
  }
}

/** Runs `specmint login`. */
export async function runLogin(flags: LoginFlags, ctx: CommandContext): Promise<void> {
  ctx.state.debug = flags.debug === true;
  const ui = createUi({ debug: flags.debug });
  const auth = await resolveAuth({ env: ctx.env, warn: (message) => ui.warn(message) });
  if (auth.source === 'env') {
    ui.warn(
      'SPECMINT_TOKEN is set and takes precedence over the login stored by this command; unset it to use the login.',
    );
  }
  const stored = await auth.store.load(auth.apiUrl);
  const previous = stored ? await currentLogin({ ...auth, stored }, ui) : undefined;
  if (previous && !flags.force) {
    ui.warn(
      `Already logged in to ${auth.apiUrl} as ${ui.style.bold(previous.user.email)} (${previous.plan} plan). ` +
        'Run `specmint login --force` to log in as someone else.',
    );
    return;
  }
  const api = createApiClient({ apiUrl: auth.apiUrl });
  let waiting: Spinner | undefined;
  try {
    const token = await runDeviceLogin({
      api,
      onCode: async (code) => {
        await showCode(ui, code, flags.browser !== false && ui.interactive);
        waiting = ui.spinner('Waiting for you to approve the code in the browser…');
      },
      onSlowDown: (interval, wait) =>
        ui.debug(`server asked to slow down; next poll in ${wait} s, then every ${interval} s`),
    }).catch((error: unknown) => {
      waiting?.fail('Login did not complete');
      throw error;
    });
    waiting?.succeed('Approved');
    const me = await createApiClient({ apiUrl: auth.apiUrl, token: token.access_token })
      .me()
      .catch(() => undefined);
    await auth.store.save({
      token: token.access_token,
      apiUrl: auth.apiUrl,
      ...(me ? { email: me.user.email } : {}),
      savedAt: new Date().toISOString(),
    });
    ui.debug(`credentials saved in ${auth.store.location}`);
    if (stored && previous) await endSession(auth.apiUrl, stored.token, ui);
    if (me) {
      ui.result(`Logged in to ${auth.apiUrl} as ${ui.style.bold(me.user.email)} (${me.plan} plan).`);
      ui.result(describeQuota(me.usage));
    } else {
      ui.result(`Logged in to ${auth.apiUrl}.`);
    }
  } finally {
    await api.close();
  }
}

/** Ends the replaced session on the server (best effort: the new login is already stored). */
async function endSession(apiUrl: string, token: string, ui: Ui): Promise<void> {
  const api = createApiClient({ apiUrl, token, http: { maxAttempts: 1 } });
  try {
    if (!(await api.signOut())) ui.debug('the replaced session was not confirmed as signed out');
  } catch (error) {
    ui.debug(`could not sign out the replaced session: ${(error as Error).message}`);
  } finally {
    await api.close();
  }
}
