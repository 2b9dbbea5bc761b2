import type { Child } from 'hono/jsx';
import { FORMATS, PLAN_IDS, PLANS, type PlanDefinition, type PlanId } from '../../../shared/plans.ts';

/** `$29/mo` / `Free`. */
export function formatPrice(plan: PlanDefinition): string {
  return plan.priceCents === 0 ? '$0' : `$${(plan.priceCents / 100).toFixed(plan.priceCents % 100 ? 2 : 0)}`;
}

/** `5 distinct specs / month` or `Unlimited specs`. */
export function describeQuota(limit: number | null): string {
  return limit === null ? 'Unlimited distinct specs per period' : `${limit} distinct specs per period`;
}

/** The feature lines of a plan, each with whether it is included. */
export function planFeatures(plan: PlanDefinition): { text: string; included: boolean }[] {
  const allFormats = plan.formats.length === FORMATS.length;
  return [
    { text: describeQuota(plan.generationsPerPeriod), included: true },
    {
      text: allFormats ? `Every format (${FORMATS.join(', ')})` : `Formats: ${plan.formats.join(', ')}`,
      included: true,
    },
    { text: 'AI-enhanced cases with your own OpenAI/Anthropic key', included: plan.ai },
    { text: 'Custom AI models and endpoints', included: plan.customAiModels },
    { text: 'White-label output (your own header and branding)', included: plan.whiteLabel },
    {
      text:
        plan.ciTokens === null
          ? 'Unlimited CI tokens'
          : `${plan.ciTokens} CI token${plan.ciTokens === 1 ? '' : 's'}`,
      included: true,
    },
    { text: 'Re-runs on an unchanged spec are free', included: true },
  ];
}

/** The three plans side by side, read from `shared/plans.ts`. `action` renders each card's button. */
export function PlanCards(props: { current?: PlanId | undefined; action?: (plan: PlanId) => Child }) {
  return (
    <div class="grid plans">
      {PLAN_IDS.map((id) => {
        const plan = PLANS[id];
        const headingId = `plan-${id}`;
        return (
          <section class={`card${props.current === id ? ' current' : ''}`} aria-labelledby={headingId}>
            <h3 id={headingId}>
              {plan.name}
              {props.current === id ? <span class="tag">Your plan</span> : null}
            </h3>
            <p class="price">
              {formatPrice(plan)} <small>per month</small>
            </p>
            <ul class="features">
              {planFeatures(plan).map((feature) => (
                <li class={feature.included ? undefined : 'no'}>
                  {feature.included ? null : <span class="visually-hidden">Not included: </span>}
                  {feature.included ? feature.text : <s>{feature.text}</s>}
                </li>
              ))}
            </ul>
            {props.action ? props.action(id) : null}
          </section>
        );
      })}
    </div>
  );
}
