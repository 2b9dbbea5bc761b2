/**
 * `specmint tokens create|list|revoke`: CI tokens for `SPECMINT_TOKEN`. A new token is printed once —
 * alone on stdout, so `specmint tokens create ci > token.txt` captures just the secret.
 */
import { createApiClient } from '../../account/api-client.ts';
import { requireToken, resolveAuth } from '../../account/session.ts';
import { UsageError } from '../../errors.ts';
import { createUi, type Ui } from '../../ui/ui.ts';
import { formatTable, wrapWidth } from '../../ui/wrap.ts';
import type { CommandContext } from '../command-context.ts';

/** Flags shared by the `tokens` subcommands. */
export interface TokensFlags {
  json?: boolean;
  debug?: boolean;
}

/** Flags of `tokens create`. */
export interface TokensCreateFlags extends TokensFlags {
  /** `--name`: the same as the positional name. */
  name?: string;
}

/** The token name from `tokens create [name] [--name N]`; both given and different is a usage error. */
export function tokenName(positional: string | undefined, flag: string | undefined): string {
  const fromArg = positional?.trim();
  const fromFlag = flag?.trim();
  if (fromArg && fromFlag && fromArg !== fromFlag) {
    throw new UsageError(`Two names given: "${fromArg}" and --name "${fromFlag}".`, {
      hint: 'Pass the name once, e.g. `specmint tokens create --name ci`.',
    });
  }
  return fromFlag || fromArg || 'ci';
}

async function withApi<T>(
  flags: TokensFlags,
  ctx: CommandContext,
  run: (ui: Ui, api: ReturnType<typeof createApiClient>) => Promise<T>,
) {
  ctx.state.json = flags.json === true;
  ctx.state.debug = flags.debug === true;
  const ui = createUi({ json: flags.json, debug: flags.debug });
  const auth = await resolveAuth({ env: ctx.env, warn: (message) => ui.warn(message) });
  const api = createApiClient({ apiUrl: auth.apiUrl, token: requireToken(auth) });
  try {
    return await run(ui, api);
  } finally {
    await api.close();
  }
}

/** `specmint tokens create [name] [--name N]`. */
export function runTokensCreate(
  name: string | undefined,
  flags: TokensCreateFlags,
  ctx: CommandContext,
): Promise<void> {
  const chosen = tokenName(name, flags.name);
  return withApi(flags, ctx, async (ui, api) => {
    const created = await api.createToken(chosen);
    if (ui.json) {
      ui.printJson({ ok: true, ...created });
      return;
    }
    ui.info(`Created CI token "${created.name}" (id ${created.id}). Copy it now; it is not shown again:`);
    process.stdout.write(`${created.token}\n`);
    ui.info('Use it in CI as the SPECMINT_TOKEN environment variable (a secret).');
  });
}

/** `specmint tokens list`. */
export function runTokensList(flags: TokensFlags, ctx: CommandContext): Promise<void> {
  return withApi(flags, ctx, async (ui, api) => {
    const items = await api.listTokens();
    if (ui.json) {
      ui.printJson({ ok: true, items });
      return;
    }
    if (items.length === 0) {
      ui.result('No CI tokens. Create one with `specmint tokens create --name ci`.');
      return;
    }
    const lines = formatTable(
      items,
      [
        { header: 'NAME', value: (t) => t.name },
        { header: 'PREFIX', value: (t) => t.prefix },
        { header: 'CREATED', value: (t) => t.createdAt.slice(0, 10) },
        { header: 'LAST USED', value: (t) => (t.lastUsedAt ? t.lastUsedAt.slice(0, 10) : 'never') },
        { header: 'ID', value: (t) => t.id },
      ],
      { width: wrapWidth(ui.terminal) },
    );
    for (const line of lines) ui.result(line);
  });
}

/** `specmint tokens revoke <id>`. */
export function runTokensRevoke(id: string, flags: TokensFlags, ctx: CommandContext): Promise<void> {
  return withApi(flags, ctx, async (ui, api) => {
    await api.revokeToken(id);
    if (ui.json) ui.printJson({ ok: true, id, revoked: true });
    else
      ui.result(
        `Revoked token ${id}. CI jobs using it now fail with exit 4 ("SPECMINT_TOKEN … was revoked").`,
      );
  });
}
