import type { Handler } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppDeps } from '../app-deps.ts';
import { requireBilling } from '../billing/route-guards.ts';
import { ApiError } from '../http/api-error.ts';
import type { AppEnv } from '../http/principal.ts';
import { error } from '../openapi/describe.ts';

/** Largest webhook body accepted (Stripe events are far smaller). */
export const WEBHOOK_BODY_LIMIT_BYTES = 512 * 1024;

/** The body's exact bytes (the signature covers them), refusing more than the limit while reading. */
async function readRawBody(request: Request): Promise<Uint8Array> {
  const tooLarge = () =>
    new ApiError('PAYLOAD_TOO_LARGE', `Webhook bodies are limited to ${WEBHOOK_BODY_LIMIT_BYTES} bytes.`);
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > WEBHOOK_BODY_LIMIT_BYTES) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  for (;;) {
    const next = await reader?.read();
    if (!next || next.done) break;
    size += next.value.byteLength;
    if (size > WEBHOOK_BODY_LIMIT_BYTES) {
      await reader?.cancel();
      throw tooLarge();
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks, size);
}

/** `POST /webhooks/stripe` in /openapi.json. */
export const describeReceiveStripeWebhook = describeRoute({
  operationId: 'receiveStripeWebhook',
  summary: 'Stripe webhook events (Stripe-Signature over the raw body, 5-minute tolerance)',
  security: [],
  parameters: [{ name: 'Stripe-Signature', in: 'header', required: true, schema: { type: 'string' } }],
  requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
  responses: {
    '200': { description: 'Received (applied, duplicate, stale or not handled)' },
    '400': error('BAD_REQUEST: signature does not verify'),
    '413': error('PAYLOAD_TOO_LARGE'),
    '503': error('BILLING_NOT_CONFIGURED / SERVICE_UNAVAILABLE (Stripe retries)'),
  },
});

/**
 * `POST /webhooks/stripe`: verifies `Stripe-Signature` on the raw bytes of the body (400 when it does not
 * verify, nothing changes), applies the event at most once, and answers 200 `{received, outcome}`.
 * Stripe or database failures answer 5xx so Stripe delivers the event again.
 */
export function receiveStripeWebhook(deps: Pick<AppDeps, 'billing' | 'metrics'>): Handler<AppEnv> {
  return async (c) => {
    const billing = requireBilling(deps);
    const body = await readRawBody(c.req.raw);
    try {
      const result = await billing.handleWebhook(body, c.req.header('stripe-signature'));
      deps.metrics.webhooks.inc({ outcome: result.outcome });
      return c.json({ received: true, id: result.id, outcome: result.outcome });
    } catch (error) {
      deps.metrics.webhooks.inc({
        outcome: error instanceof ApiError && error.status < 500 ? 'rejected' : 'failed',
      });
      throw error;
    }
  };
}
