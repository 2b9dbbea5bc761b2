/**
 * `specmint formats [--json]`: every output format, what it is, and whether the current plan includes
 * it. Works offline: without credentials (or when the licence server is unreachable) it shows which plans
 * include each format instead.
 */
import {
  FORMATS,
  type Format,
  PLAN_IDS,
  PLANS,
  type PlanId,
  planAllowsFormat,
} from '../../../shared/plans.ts';
import { createApiClient } from '../../account/api-client.ts';
import { resolveAuth } from '../../account/session.ts';
import { createUi } from '../../ui/ui.ts';
import { wrapText, wrapToTerminal, wrapWidth } from '../../ui/wrap.ts';
import type { CommandContext } from '../command-context.ts';

/** Narrowest description column worth keeping beside the format and its label. */
const MIN_DESCRIPTION_WIDTH = 24;

/** One row of `formats --json`. */
export interface FormatRow {
  format: Format;
  description: string;
  /** A renderer for it is built into this CLI. */
  available: boolean;
  /** Plans that include it. */
  plans: PlanId[];
  /** Whether the caller's plan includes it; `null` when the plan is unknown (not logged in / offline). */
  included: boolean | null;
}

async function currentPlan(ctx: CommandContext, warn: (m: string) => void): Promise<PlanId | null> {
  const auth = await resolveAuth({ env: ctx.env, warn });
  if (!auth.token) return null;
  const api = createApiClient({
    apiUrl: auth.apiUrl,
    token: auth.token,
    http: { maxAttempts: 1, connectTimeoutMs: 3000 },
  });
  try {
    return (await api.me()).plan;
  } catch (error) {
    warn(
      `Could not read your plan (${(error as Error).message.split('\n')[0]}); showing the plans of each format.`,
    );
    return null;
  } finally {
    await api.close();
  }
}

/** Runs `specmint formats`. */
export async function runFormats(
  flags: { json?: boolean; debug?: boolean },
  ctx: CommandContext,
): Promise<void> {
  ctx.state.json = flags.json === true;
  ctx.state.debug = flags.debug === true;
  const ui = createUi({ json: flags.json, debug: flags.debug });
  const { RENDERERS } = await import('../../engine/render/registry.ts');
  const plan = await currentPlan(ctx, (message) => ui.warn(message));
  const rows: FormatRow[] = FORMATS.map((format) => {
    const renderer = RENDERERS[format];
    return {
      format,
      description: renderer?.description ?? 'Not available in this build of SpecMint.',
      available: renderer !== undefined,
      plans: PLAN_IDS.filter((id) => planAllowsFormat(id, format)),
      included: plan === null ? null : planAllowsFormat(plan, format),
    };
  });
  if (ui.json) {
    ui.printJson({ ok: true, plan, formats: rows });
    return;
  }
  ui.result(
    plan ? `Formats on your ${PLANS[plan].name} plan:` : 'Formats (log in to see what your plan includes):',
  );
  const width = Math.max(...FORMATS.map((f) => f.length));
  const columns = wrapWidth(ui.terminal);
  for (const row of rows) {
    let label: string;
    let paint = (text: string) => text;
    if (row.included === null) {
      label =
        row.plans.length === PLAN_IDS.length ? 'all plans' : row.plans.map((id) => PLANS[id].name).join(', ');
    } else if (row.included) {
      label = 'included';
      paint = ui.style.green;
    } else {
      label = `needs ${PLANS[row.plans[0] ?? 'pro'].name}`;
      paint = ui.style.yellow;
    }
    const head = `  ${row.format.padEnd(width)}  ${paint(label.padEnd(16))}  `;
    const headWidth = 2 + width + 2 + Math.max(16, label.length) + 2;
    if (columns === undefined || columns - headWidth >= MIN_DESCRIPTION_WIDTH) {
      // The description wraps under itself.
      ui.result(
        wrapToTerminal(`${head}${row.description}`, ui.terminal, { hangingIndent: ' '.repeat(headWidth) }),
      );
    } else {
      // Too narrow for three columns: the description goes under the format, wrapped by word.
      ui.result(`  ${row.format}  ${paint(label)}`);
      ui.result(wrapText(`    ${row.description}`, { width: columns }));
    }
  }
}
