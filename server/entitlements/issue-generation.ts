import type { GenerationRequest, GenerationResponse } from '../../shared/contracts.ts';
import { PLANS, type PlanId } from '../../shared/plans.ts';
import { ApiError } from '../http/api-error.ts';
import type { BillingPeriod } from './billing-period.ts';

/** One `POST /v1/generations` after authentication and feature checks. */
export interface IssueGenerationInput {
  userId: string;
  plan: PlanId;
  period: BillingPeriod;
  request: GenerationRequest;
  idempotencyKey: string;
  now: Date;
  /** Sent with 402 QUOTA_EXCEEDED. */
  upgradeUrl: string;
  /** The account's e-mail address, named by 403 EMAIL_NOT_VERIFIED. */
  email?: string;
  /** Where a new verification link can be asked for (403 EMAIL_NOT_VERIFIED). */
  verifyUrl?: string;
}

/** The answer, and whether it is a replay of an earlier request with the same idempotency key. */
export interface IssueGenerationResult {
  response: GenerationResponse;
  replayed: boolean;
}

/** 409: the idempotency key was used with another body. */
export function idempotencyConflict(): ApiError {
  return new ApiError(
    'IDEMPOTENCY_CONFLICT',
    'This Idempotency-Key was already used with a different request body. Use a new key for a new request.',
  );
}

/** 402: the plan's quota of distinct specs is used up this period. */
export function quotaExceeded(input: IssueGenerationInput, used: number): ApiError {
  const plan = PLANS[input.plan];
  const limit = plan.generationsPerPeriod ?? 0;
  const resets = input.period.end.toISOString().slice(0, 10);
  return new ApiError(
    'QUOTA_EXCEEDED',
    `The ${plan.name} plan's quota is used up: ${used} of ${limit} distinct specs this period (resets ${resets}). ` +
      `Re-running an unchanged spec stays free. Upgrade at ${input.upgradeUrl}`,
    { upgradeUrl: input.upgradeUrl, details: { used, limit, periodEnd: input.period.end.toISOString() } },
  );
}

/** 403: the Free plan generates only for a verified e-mail address. */
export function emailNotVerified(input: IssueGenerationInput): ApiError {
  const where = input.email ? `we sent a link to ${input.email}` : 'we sent you a link when you signed up';
  const resend = input.verifyUrl ? ` No e-mail? Get a new link at ${input.verifyUrl}` : '';
  return new ApiError(
    'EMAIL_NOT_VERIFIED',
    `Verify your e-mail address to generate on the Free plan: ${where}. Open it, then run this again.${resend}`,
    { details: { email: input.email ?? null, verifyUrl: input.verifyUrl ?? null } },
  );
}
