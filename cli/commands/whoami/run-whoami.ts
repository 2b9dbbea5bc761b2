/** `specmint whoami [--json]`: the user, plan, usage this period and period end. */
import { createApiClient } from '../../account/api-client.ts';
import { requireToken, resolveAuth } from '../../account/session.ts';
import { describeReset } from '../../ui/dates.ts';
import { createUi } from '../../ui/ui.ts';
import { wrapToTerminal } from '../../ui/wrap.ts';
import type { CommandContext } from '../command-context.ts';
import { describeQuota } from '../usage-text.ts';

/** Runs `specmint whoami`. */
export async function runWhoami(
  flags: { json?: boolean; debug?: boolean },
  ctx: CommandContext,
): Promise<void> {
  ctx.state.json = flags.json === true;
  ctx.state.debug = flags.debug === true;
  const ui = createUi({ json: flags.json, debug: flags.debug });
  const auth = await resolveAuth({ env: ctx.env, warn: (message) => ui.warn(message) });
  const api = createApiClient({ apiUrl: auth.apiUrl, token: requireToken(auth) });
  try {
    const me = await api.me();
    if (ui.json) {
      ui.printJson({ ok: true, apiUrl: auth.apiUrl, credentials: auth.source, ...me });
      return;
    }
    const via = me.auth === 'ci-token' ? 'a CI token' : 'a login session';
    const from = auth.source === 'env' ? 'SPECMINT_TOKEN' : auth.store.location;
    const say = (text: string) => ui.result(wrapToTerminal(text, ui.terminal, { hangingIndent: '  ' }));
    say(`${ui.style.bold(me.user.email)}${me.user.name ? ` (${me.user.name})` : ''} on ${auth.apiUrl}`);
    // Plan and usage once: "Usage: free plan, 1 of 5 specs used this period (4 left); resets on …".
    say(`${describeQuota(me.usage).replace(/\.$/, '')}; ${describeReset(me.periodEnd)}.`);
    say(`Signed in with ${via} (from ${from}).`);
  } finally {
    await api.close();
  }
}
