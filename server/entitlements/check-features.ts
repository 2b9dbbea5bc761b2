import { type GenerationRequest, isCustomAiModel } from '../../shared/contracts.ts';
import { PLANS, type PlanId, planAllowsFormat } from '../../shared/plans.ts';
import { ApiError } from '../http/api-error.ts';

/**
 * Throws 403 FEATURE_NOT_IN_PLAN when `plan` lacks a requested format, AI-enhanced cases, or a custom
 * AI model/endpoint. Pure: no I/O.
 */
export function checkPlanFeatures(plan: PlanId, request: GenerationRequest, upgradeUrl: string): void {
  const definition = PLANS[plan];
  const blocked = request.formats.filter((format) => !planAllowsFormat(plan, format));
  if (blocked.length > 0) {
    throw new ApiError(
      'FEATURE_NOT_IN_PLAN',
      `The ${definition.name} plan does not include the ${blocked.join(', ')} format${blocked.length > 1 ? 's' : ''}. ` +
        `Allowed: ${definition.formats.join(', ')}. Upgrade at ${upgradeUrl}`,
      { upgradeUrl, details: { feature: 'formats', blocked } },
    );
  }
  if (request.ai && !definition.ai) {
    throw new ApiError(
      'FEATURE_NOT_IN_PLAN',
      `AI-enhanced cases are not included in the ${definition.name} plan. Upgrade at ${upgradeUrl}`,
      { upgradeUrl, details: { feature: 'ai' } },
    );
  }
  if (request.ai && isCustomAiModel(request.ai) && !definition.customAiModels) {
    throw new ApiError(
      'FEATURE_NOT_IN_PLAN',
      `Custom AI models and endpoints need the Enterprise plan (the ${definition.name} plan uses the ` +
        `provider's default model). Upgrade at ${upgradeUrl}`,
      { upgradeUrl, details: { feature: 'customAiModels' } },
    );
  }
}
