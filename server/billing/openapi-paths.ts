import * as z from 'zod';
import {
  AdminStatsSchema,
  BillingCheckoutRequestSchema,
  BillingRedirectSchema,
} from '../../shared/contracts.ts';

type JsonObject = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject;
  return rest;
}

const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonObject): JsonObject => ({ 'application/json': { schema } });
const error = (description: string): JsonObject => ({ description, content: json(ref('Error')) });

const BILLING_ERRORS = {
  '401': error('UNAUTHENTICATED'),
  '403': error('FORBIDDEN: CI tokens cannot manage billing'),
  '429': error('RATE_LIMITED (see Retry-After)'),
  '503': error(
    'BILLING_NOT_CONFIGURED (no Stripe on this server) / SERVICE_UNAVAILABLE (Stripe unreachable)',
  ),
};

/** `/v1/billing/*`, `/v1/admin/stats` and `/webhooks/stripe` for `/openapi.json`. */
export function billingPaths(): JsonObject {
  return {
    '/v1/billing/checkout': {
      post: {
        operationId: 'createCheckout',
        summary: 'Stripe Checkout URL for a paid plan (an existing subscription is switched in place)',
        requestBody: { required: true, content: json(ref('BillingCheckoutRequest')) },
        responses: {
          '200': { description: 'The page to open', content: json(ref('BillingRedirect')) },
          '400': error('VALIDATION_FAILED'),
          '409': error('CONFLICT: already on this plan'),
          ...BILLING_ERRORS,
        },
      },
    },
    '/v1/billing/portal': {
      post: {
        operationId: 'createPortal',
        summary: 'Stripe Billing Portal URL (invoices, payment method, cancel)',
        responses: {
          '200': { description: 'The page to open', content: json(ref('BillingRedirect')) },
          ...BILLING_ERRORS,
        },
      },
    },
    '/v1/admin/stats': {
      get: {
        operationId: 'getAdminStats',
        summary: 'Billing stats for operators (sessions of SPECMINT_ADMIN_EMAILS accounts)',
        responses: {
          '200': { description: 'OK', content: json(ref('AdminStats')) },
          '401': error('UNAUTHENTICATED'),
          '403': error('FORBIDDEN: not an operator account'),
        },
      },
    },
    '/webhooks/stripe': {
      post: {
        operationId: 'receiveStripeWebhook',
        summary: 'Stripe webhook events (Stripe-Signature over the raw body, 5-minute tolerance)',
        security: [],
        parameters: [{ name: 'Stripe-Signature', in: 'header', required: true, schema: { type: 'string' } }],
        requestBody: { required: true, content: json({ type: 'object' }) },
        responses: {
          '200': { description: 'Received (applied, duplicate, stale or not handled)' },
          '400': error('BAD_REQUEST: signature does not verify'),
          '413': error('PAYLOAD_TOO_LARGE'),
          '503': error('BILLING_NOT_CONFIGURED / SERVICE_UNAVAILABLE (Stripe retries)'),
        },
      },
    },
  };
}

/** Component schemas referenced by {@link billingPaths}. */
export function billingSchemas(): JsonObject {
  return {
    BillingCheckoutRequest: schemaOf(BillingCheckoutRequestSchema, 'input'),
    BillingRedirect: schemaOf(BillingRedirectSchema, 'output'),
    AdminStats: schemaOf(AdminStatsSchema, 'output'),
  };
}
