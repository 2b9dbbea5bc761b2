import type { Handler } from 'hono';
import { describeRoute } from 'hono-openapi';
import {
  type GenerationRequest,
  GenerationRequestSchema,
  GenerationResponseSchema,
  IDEMPOTENCY_KEY_HEADER,
  IdempotencyKeySchema,
} from '../../shared/contracts.ts';
import type { AppDeps } from '../app-deps.ts';
import { currentBillingPeriod } from '../entitlements/billing-period.ts';
import { checkPlanFeatures } from '../entitlements/check-features.ts';
import { ApiError } from '../http/api-error.ts';
import type { AppEnv } from '../http/principal.ts';
import { parseJsonBody } from '../http/validate.ts';
import { AUTH_ERRORS, error, json, schemaOf } from '../openapi/describe.ts';

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
 * PostgreSQL text and jsonb cannot hold U+0000; such a value would fail the ledger write (a 500), so it
 * is refused as bad input. The other strings are hex, enumerated formats or validated URLs.
 */
function refuseNulCharacters(request: GenerationRequest): void {
  const fields = {
    specTitle: request.specTitle,
    cliVersion: request.cliVersion,
    'ai.model': request.ai?.model,
  };
  for (const [field, value] of Object.entries(fields)) {
    if (value?.includes('\u0000')) {
      throw new ApiError(
        'VALIDATION_FAILED',
        `Invalid request body: ${field} must not contain NUL characters.`,
      );
    }
  }
}

/** `POST /v1/generations` in /openapi.json. */
export const describeCreateGeneration = describeRoute({
  operationId: 'createGeneration',
  summary: 'Request an entitlement and a signed usage token for one generation',
  parameters: [
    {
      name: IDEMPOTENCY_KEY_HEADER,
      in: 'header',
      required: true,
      description: 'Replays return the first answer; the same key with another body is 409.',
      schema: schemaOf(IdempotencyKeySchema, 'input'),
    },
  ],
  requestBody: { required: true, content: json('GenerationRequest', GenerationRequestSchema, 'input') },
  responses: {
    '201': {
      description:
        'Granted and reserved: `charged` is true when this generation counts against the quota once ' +
        'completed (POST …/complete); release it (POST …/release) when nothing was written.',
      content: json('GenerationResponse', GenerationResponseSchema, 'output'),
    },
    '400': error('VALIDATION_FAILED / BAD_REQUEST'),
    '402': error('QUOTA_EXCEEDED (error.upgradeUrl)'),
    '403': error('FEATURE_NOT_IN_PLAN (error.upgradeUrl), EMAIL_NOT_VERIFIED (Free plan)'),
    '409': error('IDEMPOTENCY_CONFLICT'),
    '413': error('PAYLOAD_TOO_LARGE'),
    '415': error('UNSUPPORTED_MEDIA_TYPE'),
    ...AUTH_ERRORS,
  },
});

/**
 * `POST /v1/generations`: checks plan features and quota atomically and answers 201 with a signed
 * usage token (DESIGN.md "Entitlement and usage protocol"). A replayed Idempotency-Key answers the first
 * response again with `Idempotent-Replayed: true`. The Free plan needs a verified e-mail (403
 * EMAIL_NOT_VERIFIED).
 *
 * The grant is a reservation: `charged: true` in the answer means "this generation counts against the
 * quota once completed". `POST …/complete` confirms the charge; `POST …/release` (nothing was written)
 * and a reservation left open past the usage token's expiry (15 min) give it back. Live reservations
 * count in the quota check, so parallel requests cannot over-grant. See docs/billing.md.
 */
export function createGeneration(
  deps: Pick<AppDeps, 'generations' | 'clock' | 'baseUrl' | 'bodyLimitBytes' | 'metrics'>,
): Handler<AppEnv> {
  const upgradeUrl = `${deps.baseUrl}/pricing`;
  return async (c) => {
    const principal = c.get('principal');
    const idempotencyKey = readIdempotencyKey(c.req.header(IDEMPOTENCY_KEY_HEADER));
    const request = await parseJsonBody(c, GenerationRequestSchema, deps.bodyLimitBytes);
    refuseNulCharacters(request);
    const now = deps.clock();
    let result: Awaited<ReturnType<typeof deps.generations.issue>>;
    try {
      checkPlanFeatures(principal.plan, request, upgradeUrl);
      result = await deps.generations.issue({
        userId: principal.userId,
        plan: principal.plan,
        period: currentBillingPeriod(now, principal),
        request,
        idempotencyKey,
        now,
        upgradeUrl,
        email: principal.email,
        verifyUrl: `${deps.baseUrl}/check-email`,
      });
    } catch (error) {
      if (error instanceof ApiError) {
        const reason = error.code.toLowerCase();
        deps.metrics.generations.inc({ outcome: 'refused', reason, plan: principal.plan });
      }
      throw error;
    }
    const reason = result.replayed ? 'replayed' : result.response.charged ? 'charged' : 'free_rerun';
    deps.metrics.generations.inc({ outcome: 'granted', reason, plan: principal.plan });
    if (result.replayed) c.header('Idempotent-Replayed', 'true');
    c.header('Cache-Control', 'no-store');
    return c.json(result.response, 201);
  };
}
