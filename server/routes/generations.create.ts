import type { Handler } from 'hono';
import {
  GenerationRequestSchema,
  IDEMPOTENCY_KEY_HEADER,
  IdempotencyKeySchema,
} from '../../shared/contracts.ts';
import type { AppDeps } from '../app-deps.ts';
import { currentBillingPeriod } from '../entitlements/billing-period.ts';
import { checkPlanFeatures } from '../entitlements/check-features.ts';
import { issueGeneration } from '../entitlements/issue-generation.ts';
import { ApiError } from '../http/api-error.ts';
import type { AppEnv } from '../http/principal.ts';
import { parseJsonBody } from '../http/validate.ts';

function readIdempotencyKey(value: string | undefined): string {
  if (value === undefined) {
    throw new ApiError(
      'VALIDATION_FAILED',
      `The ${IDEMPOTENCY_KEY_HEADER} header is required (e.g. a UUID).`,
    );
  }
  const parsed = IdempotencyKeySchema.safeParse(value);
  if (!parsed.success) {
    throw new ApiError(
      'VALIDATION_FAILED',
      `Invalid ${IDEMPOTENCY_KEY_HEADER}: 8–200 printable ASCII characters without spaces.`,
    );
  }
  return parsed.data;
}

/**
 * `POST /v1/generations`: checks plan features and quota atomically and answers 201 with a signed
 * usage token (DESIGN.md "Entitlement and usage protocol"). A replayed Idempotency-Key answers the first
 * response again with `Idempotent-Replayed: true`.
 */
export function createGeneration(
  deps: Pick<AppDeps, 'database' | 'signer' | 'clock' | 'baseUrl' | 'bodyLimitBytes'>,
): Handler<AppEnv> {
  const upgradeUrl = `${deps.baseUrl}/pricing`;
  return async (c) => {
    const principal = c.get('principal');
    const idempotencyKey = readIdempotencyKey(c.req.header(IDEMPOTENCY_KEY_HEADER));
    const request = await parseJsonBody(c, GenerationRequestSchema, deps.bodyLimitBytes);
    checkPlanFeatures(principal.plan, request, upgradeUrl);
    const now = deps.clock();
    const result = await issueGeneration({
      database: deps.database,
      signer: deps.signer,
      userId: principal.userId,
      plan: principal.plan,
      period: currentBillingPeriod(now, principal),
      request,
      idempotencyKey,
      now,
      upgradeUrl,
    });
    if (result.replayed) c.header('Idempotent-Replayed', 'true');
    c.header('Cache-Control', 'no-store');
    return c.json(result.response, 201);
  };
}
