/**
 * The choices of a "Formats to generate" picker for a plan: formats the plan includes are selectable,
 * the others are shown with the plan that has them ("needs Pro") and cannot be picked. Used by `init`
 * and `generate`; pure, so the prompt (cli/ui/prompts.ts `askChoices`) stays the only interactive part.
 */
import { FORMATS, type Format, PLAN_IDS, PLANS, type PlanId, planAllowsFormat } from '../../shared/plans.ts';

/** One entry of the picker, in the shape `askChoices` takes. */
export interface FormatChoice {
  value: Format;
  name: string;
  checked: boolean;
  /** Why it cannot be picked (`(needs Pro)`), or `false`. */
  disabled: string | false;
}

/** The cheapest plan that includes `format`. */
export function planNeededFor(format: Format): PlanId {
  return PLAN_IDS.find((id) => planAllowsFormat(id, format)) ?? 'enterprise';
}

/**
 * Every format, in the product's order, for `plan`. `preselected` formats the plan includes start
 * checked (default: pytest); a preselected format outside the plan is shown unchecked and disabled.
 */
export function formatChoices(plan: PlanId, preselected?: readonly Format[]): FormatChoice[] {
  const wanted = new Set<Format>(preselected && preselected.length > 0 ? preselected : ['pytest']);
  return FORMATS.map((format) => {
    const allowed = planAllowsFormat(plan, format);
    return {
      value: format,
      name: format,
      checked: allowed && wanted.has(format),
      disabled: allowed ? false : `(needs ${PLANS[planNeededFor(format)].name})`,
    };
  });
}
