import type { Usage } from '../../../shared/contracts.ts';
import { PLAN_IDS, PLANS, type PlanId } from '../../../shared/plans.ts';
import type { DayUsage } from '../data/usage-by-day.ts';
import { Alert, CsrfInput } from './form.tsx';
import { formatPrice } from './plan-cards.tsx';
import { RichText } from './rich-text.tsx';
import { UsageChart } from './usage-chart.tsx';

/** `12 March 2026` (UTC). */
export function formatDate(value: Date | string): string {
  return new Date(value).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** Properties of {@link PlanPanel}. */
export interface PlanPanelProps {
  plan: PlanId;
  usage: Usage;
  days: readonly DayUsage[];
  csrfToken: string;
  /** Result of the last billing button, shown in the panel. */
  billingError?: string | undefined;
  /** Stripe is configured on this server; without it the billing buttons are disabled with a notice. */
  billingConfigured: boolean;
}

function BillingButtons(props: { plan: PlanId; csrfToken: string; configured: boolean }) {
  const higher = PLAN_IDS.slice(PLAN_IDS.indexOf(props.plan) + 1);
  return (
    <div class="stack">
      {props.configured ? null : (
        <Alert kind="info">
          <p id="billing-off">
            Billing is not set up on this server, so plans cannot be bought or managed here. The operator can
            change your plan with <code>specmint-server admin set-plan --email {'<you>'} --plan pro</code>.
          </p>
        </Alert>
      )}
      <div class="actions">
        {higher.map((id) => (
          <form method="post" action="/dashboard/billing/checkout">
            <CsrfInput token={props.csrfToken} />
            <input type="hidden" name="plan" value={id} />
            <button
              type="submit"
              disabled={!props.configured}
              aria-describedby={props.configured ? undefined : 'billing-off'}
            >
              Upgrade to {PLANS[id].name} ({formatPrice(PLANS[id])}/mo)
            </button>
          </form>
        ))}
        <form method="post" action="/dashboard/billing/portal">
          <CsrfInput token={props.csrfToken} />
          <button
            type="submit"
            class="secondary"
            disabled={!props.configured}
            aria-describedby={props.configured ? undefined : 'billing-off'}
          >
            Manage billing
          </button>
        </form>
      </div>
    </div>
  );
}

/** Plan, usage this period (numbers, meter and chart) and the billing buttons. */
export function PlanPanel(props: PlanPanelProps) {
  const plan = PLANS[props.plan];
  const { used, limit, remaining } = props.usage;
  const percent = limit === null || limit === 0 ? 0 : Math.min(100, Math.round((used / limit) * 100));
  return (
    <section class="card" id="plan" aria-labelledby="plan-title">
      <h2 id="plan-title">Plan and usage</h2>
      {props.billingError ? (
        <Alert kind="error">
          <RichText text={props.billingError} />
        </Alert>
      ) : null}
      <dl class="facts">
        <dt>Plan</dt>
        <dd data-testid="plan-name">
          {plan.name} ({formatPrice(plan)}/mo)
        </dd>
        <dt>Specs this period</dt>
        <dd data-testid="usage-used">{limit === null ? `${used} (unlimited)` : `${used} of ${limit}`}</dd>
        <dt>Remaining</dt>
        <dd>{remaining === null ? 'Unlimited' : String(remaining)}</dd>
        <dt>Resets on</dt>
        <dd>{formatDate(props.usage.periodEnd)}</dd>
      </dl>
      {limit === null ? null : (
        <p>
          <label for="usage-meter" class="visually-hidden">
            Share of this period’s specs used
          </label>
          <meter id="usage-meter" min={0} max={limit} value={used} high={Math.max(0, limit - 1)}>
            {percent}%
          </meter>
        </p>
      )}
      <UsageChart days={props.days} limit={limit} />
      <BillingButtons plan={props.plan} csrfToken={props.csrfToken} configured={props.billingConfigured} />
    </section>
  );
}
