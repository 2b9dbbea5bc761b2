/**
 * `specmint upgrade [pro|enterprise]` and `specmint billing`: ask the licence server for a Stripe
 * Checkout / Billing Portal page and open it in the browser (interactive), or print the URL.
 * A server without Stripe answers 503 BILLING_NOT_CONFIGURED, which is exit 5: the server cannot do it,
 * and nothing about the user's plan or input would change that.
 */
import { PAID_PLAN_IDS, type PaidPlanId } from '../../../shared/contracts.ts';
import { createApiClient } from '../../account/api-client.ts';
import { requireToken, resolveAuth } from '../../account/session.ts';
import { UsageError } from '../../errors.ts';
import { createUi, type Ui } from '../../ui/ui.ts';
import type { CommandContext } from '../command-context.ts';

/** Flags of `upgrade` and `billing`. */
export interface BillingFlags {
  browser?: boolean;
  json?: boolean;
  debug?: boolean;
}

const PAID_PLANS = PAID_PLAN_IDS;
type PaidPlan = PaidPlanId;

async function present(ui: Ui, url: string, what: string, flags: BillingFlags): Promise<void> {
  if (ui.json) {
    ui.printJson({ ok: true, url });
    return;
  }
  let opened = false;
  if (flags.browser !== false && ui.interactive) {
    const { openBrowser } = await import('../../ui/open-browser.ts');
    opened = await openBrowser(url);
  }
  ui.info(opened ? `Opened ${what} in your browser. If it did not appear, open:` : `Open ${what}:`);
  ui.result(url);
}

function startUi(flags: BillingFlags, ctx: CommandContext): Ui {
  ctx.state.json = flags.json === true;
  ctx.state.debug = flags.debug === true;
  return createUi({ json: flags.json, debug: flags.debug });
}

async function connect(ui: Ui, ctx: CommandContext) {
  const auth = await resolveAuth({ env: ctx.env, warn: (message) => ui.warn(message) });
  return createApiClient({ apiUrl: auth.apiUrl, token: requireToken(auth) });
}

async function choosePlan(ui: Ui, plan: string | undefined): Promise<PaidPlan> {
  if (plan !== undefined) {
    if ((PAID_PLANS as readonly string[]).includes(plan)) return plan as PaidPlan;
    throw new UsageError(`Unknown plan "${plan}".`, {
      hint: 'Use `specmint upgrade pro` or `specmint upgrade enterprise`.',
    });
  }
  if (!ui.interactive) {
    throw new UsageError('No plan given.', {
      hint: 'Pass the plan: `specmint upgrade pro` or `specmint upgrade enterprise`.',
    });
  }
  const { askChoice } = await import('../../ui/prompts.ts');
  return askChoice<PaidPlan>({
    message: 'Upgrade to:',
    choices: [
      { value: 'pro', name: 'Pro — $29/mo: 100 specs, every format, AI cases' },
      { value: 'enterprise', name: 'Enterprise — $99/mo: unlimited, custom AI models, white-label' },
    ],
  });
}

/** Runs `specmint upgrade [plan]`. */
export async function runUpgrade(
  plan: string | undefined,
  flags: BillingFlags,
  ctx: CommandContext,
): Promise<void> {
  const ui = startUi(flags, ctx);
  const target = await choosePlan(ui, plan);
  const api = await connect(ui, ctx);
  try {
    const { url } = await api.checkout(target);
    await present(ui, url, `Stripe Checkout for ${target}`, flags);
  } finally {
    await api.close();
  }
}

/** Runs `specmint billing`. */
export async function runBilling(flags: BillingFlags, ctx: CommandContext): Promise<void> {
  const ui = startUi(flags, ctx);
  const api = await connect(ui, ctx);
  try {
    const { url } = await api.portal();
    await present(ui, url, 'the billing portal', flags);
  } finally {
    await api.close();
  }
}
