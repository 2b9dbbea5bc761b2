/**
 * `specmint login [--no-browser]`: the device-code flow (RFC 8628). Prints the code and the page to
 * approve it on, opens the browser when a person is at the terminal, polls until approved, stores the
 * session token, then shows who is logged in and their plan.
 */
import type { DeviceCodeResponse } from '../../../shared/contracts.ts';
import { createApiClient } from '../../account/api-client.ts';
import { runDeviceLogin } from '../../account/device-login.ts';
import { resolveAuth } from '../../account/session.ts';
import type { Spinner } from '../../ui/spinner.ts';
import { createUi, type Ui } from '../../ui/ui.ts';
import type { CommandContext } from '../command-context.ts';
import { describeQuota } from '../usage-text.ts';

/** Flags of `login` (`--no-browser` sets `browser: false`). */
export interface LoginFlags {
  browser?: boolean;
  debug?: boolean;
}

async function showCode(ui: Ui, code: DeviceCodeResponse, openInBrowser: boolean): Promise<void> {
  const minutes = Math.max(1, Math.round(code.expires_in / 60));
  ui.info(`To log in, open ${ui.style.cyan(code.verification_uri)} and enter the code:`);
  ui.info('');
  ui.info(`    ${ui.style.bold(code.user_code)}`);
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
  const api = createApiClient({ apiUrl: auth.apiUrl });
  let waiting: Spinner | undefined;
  try {
    const token = await runDeviceLogin({
      api,
      onCode: async (code) => {
        await showCode(ui, code, flags.browser !== false && ui.interactive);
        waiting = ui.spinner('Waiting for you to approve the code in the browser…');
      },
      onSlowDown: (interval) => ui.debug(`server asked to slow down; polling every ${interval} s`),
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
