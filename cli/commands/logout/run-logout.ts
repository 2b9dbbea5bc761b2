/**
 * `specmint logout`: ends the session on the licence server (best effort) and forgets it locally.
 * `SPECMINT_TOKEN` is not touched — it lives in the environment, not in SpecMint's store.
 */
import { createApiClient } from '../../account/api-client.ts';
import { resolveAuth } from '../../account/session.ts';
import { createUi } from '../../ui/ui.ts';
import type { CommandContext } from '../command-context.ts';

/** Runs `specmint logout`. */
export async function runLogout(flags: { debug?: boolean }, ctx: CommandContext): Promise<void> {
  ctx.state.debug = flags.debug === true;
  const ui = createUi({ debug: flags.debug });
  const auth = await resolveAuth({ env: ctx.env, warn: (message) => ui.warn(message) });
  const stored = await auth.store.load(auth.apiUrl);
  if (stored) {
    const api = createApiClient({ apiUrl: auth.apiUrl, token: stored.token, http: { maxAttempts: 1 } });
    try {
      const revoked = await api.signOut();
      if (!revoked)
        ui.warn('The licence server did not confirm the sign-out; the local login is removed anyway.');
    } catch (error) {
      ui.warn(
        `Could not reach the licence server to end the session (${(error as Error).message}); the local login is removed anyway.`,
      );
    } finally {
      await api.close();
    }
    await auth.store.clear(auth.apiUrl);
    ui.result(`Logged out of ${auth.apiUrl}${stored.email ? ` (${stored.email})` : ''}.`);
  } else {
    ui.result(`Not logged in to ${auth.apiUrl}; nothing to do.`);
  }
  if (auth.source === 'env')
    ui.warn('SPECMINT_TOKEN is still set in your environment; unset it to stop using that token.');
}
