/** `specmint whoami [--json]`: the user, plan, usage this period and period end. */
import { createApiClient } from '../../account/api-client.ts';
import { requireToken, resolveAuth } from '../../account/session.ts';
import { createUi } from '../../ui/ui.ts';
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
    ui.result(`${ui.style.bold(me.user.email)}${me.user.name ? ` (${me.user.name})` : ''} on ${auth.apiUrl}`);
    ui.result(`Plan: ${me.plan}`);
    ui.result(describeQuota(me.usage));
    ui.result(`Period: ${me.periodStart.slice(0, 10)} → ${me.periodEnd.slice(0, 10)} (ends ${me.periodEnd})`);
    ui.result(`Signed in with ${via} (from ${from}).`);
  } finally {
    await api.close();
  }
}
