/**
 * Zod schemas for every payload exchanged between the `specmint` CLI and the licence server.
 * The server validates requests with them and the CLI validates responses with them, so both sides agree
 * on one definition. Field names follow DESIGN.md "Entitlement and usage protocol".
 */
import * as z from 'zod';
import { API_ERROR_CODES, type ApiErrorCode } from './api-errors.ts';
import { FORMATS, PLAN_IDS } from './plans.ts';

/** AI providers the CLI can call with the user's own key. */
export const AI_PROVIDERS = ['openai', 'anthropic'] as const;
export type AiProvider = (typeof AI_PROVIDERS)[number];

/**
 * The model each provider uses when `--ai-model` is not given. Any other model, or any `baseUrl`, is a
 * "custom AI model or endpoint" and needs a plan with `customAiModels`.
 */
export const DEFAULT_AI_MODELS = {
  openai: 'gpt-4.1-mini',
  anthropic: 'claude-haiku-4-5',
} as const satisfies Record<AiProvider, string>;

/** Lowercase hex sha256. */
export const SpecHashSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex sha256 (64 characters)');

/** The formats a generation renders: at least one, no duplicates. */
export const FormatListSchema = z
  .array(z.enum(FORMATS))
  .min(1)
  .max(FORMATS.length)
  .refine((list) => new Set(list).size === list.length, 'formats must not repeat');

/** `ai` in a generation request: `null`, or the provider and model the CLI will call. */
export const AiRequestSchema = z.strictObject({
  provider: z.enum(AI_PROVIDERS),
  model: z.string().min(1).max(200),
  /** A custom endpoint (`--ai-base-url`); only on plans with custom AI models. */
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .optional(),
});
export type AiRequest = z.infer<typeof AiRequestSchema>;

/** True when `ai` asks for something other than the provider's default model on its default endpoint. */
export function isCustomAiModel(ai: AiRequest): boolean {
  return ai.baseUrl !== undefined || ai.model !== DEFAULT_AI_MODELS[ai.provider];
}

/** Body of `POST /v1/generations`. Unknown fields are rejected. */
export const GenerationRequestSchema = z.strictObject({
  specHash: SpecHashSchema,
  specTitle: z.string().trim().min(1).max(300),
  operationCount: z.number().int().min(0).max(100_000),
  formats: FormatListSchema,
  ai: AiRequestSchema.nullable(),
  cliVersion: z.string().min(1).max(50),
});
export type GenerationRequest = z.infer<typeof GenerationRequestSchema>;

/** Header carrying the client's idempotency key. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** Idempotency keys: 8–200 printable ASCII characters (a UUID is typical). */
export const IdempotencyKeySchema = z
  .string()
  .min(8)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

/** Quota state of the caller for the current billing period. */
export const UsageSchema = z.object({
  plan: z.enum(PLAN_IDS),
  /** Distinct specs charged this period. */
  used: z.number().int().min(0),
  /** `null` = unlimited. */
  limit: z.number().int().min(0).nullable(),
  /** `null` = unlimited. */
  remaining: z.number().int().min(0).nullable(),
  /** ISO 8601 end of the billing period (exclusive). */
  periodEnd: z.iso.datetime(),
});
export type Usage = z.infer<typeof UsageSchema>;

/** 201 answer of `POST /v1/generations`. */
export const GenerationResponseSchema = z.object({
  generationId: z.string().min(1),
  /** Compact JWS (EdDSA) — verify with `verifyUsageToken` from shared/usage-token.ts. */
  usageToken: z.string().min(1),
  /**
   * True when this generation counts against the quota once completed (`POST …/complete`); false when
   * this spec hash is already charged (or reserved) this period. Released or expired generations are not
   * charged; when the run holding a spec's charge never completes, the run of that spec that completes
   * first takes the charge (see docs/billing.md).
   */
  charged: z.boolean(),
  usage: UsageSchema,
});
export type GenerationResponse = z.infer<typeof GenerationResponseSchema>;

/** Body of `POST /v1/generations/{id}/complete`. */
export const GenerationCompleteSchema = z.strictObject({
  files: z.number().int().min(0).max(1_000_000),
  tests: z.number().int().min(0).max(10_000_000),
  durationMs: z.number().int().min(0).max(86_400_000),
});
export type GenerationComplete = z.infer<typeof GenerationCompleteSchema>;

/** Where a generation stands (see {@link GenerationRecordSchema}). */
export const GENERATION_STATUSES = ['issued', 'completed', 'released', 'expired'] as const;
export type GenerationStatus = (typeof GENERATION_STATUSES)[number];

/** One row of the caller's generation history. */
export const GenerationRecordSchema = z.object({
  id: z.string(),
  specHash: SpecHashSchema,
  specTitle: z.string(),
  operationCount: z.number().int(),
  formats: z.array(z.enum(FORMATS)),
  ai: AiRequestSchema.nullable(),
  cliVersion: z.string(),
  /**
   * True while the row holds its spec's charge for the period: reserved while `issued`, confirmed once
   * `completed`. A released or expired generation is never charged.
   */
  charged: z.boolean(),
  /**
   * `issued`: granted, reserved until `expiresAt` · `completed`: reported done · `released`: given back by
   * the CLI (interrupted or nothing written) · `expired`: neither completed nor released before its usage
   * token expired (not charged; `completedAt` is set when the CLI reported it late).
   */
  status: z.enum(GENERATION_STATUSES),
  files: z.number().int().nullable(),
  tests: z.number().int().nullable(),
  durationMs: z.number().int().nullable(),
  createdAt: z.iso.datetime(),
  completedAt: z.iso.datetime().nullable(),
  /** End of the reservation (the usage token's expiry); null for generations from before reservations. */
  expiresAt: z.iso.datetime().nullable().optional(),
});
export type GenerationRecord = z.infer<typeof GenerationRecordSchema>;

/** Export formats of `GET /v1/generations?format=`. */
export const EXPORT_FORMATS = ['csv', 'json'] as const;

/**
 * Query of `GET /v1/generations`. `format=csv|json` downloads every matching row (up to
 * {@link MAX_EXPORT_ROWS}); without it the answer is one page. `outputFormat` filters by rendered format.
 */
export const GenerationListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  outputFormat: z.enum(FORMATS).optional(),
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  format: z.enum(EXPORT_FORMATS).optional(),
});
export type GenerationListQuery = z.infer<typeof GenerationListQuerySchema>;
/** Most rows one export returns. */
export const MAX_EXPORT_ROWS = 10_000;

/** One page of `GET /v1/generations`. */
export const GenerationListSchema = z.object({
  items: z.array(GenerationRecordSchema),
  /** Pass as `cursor` for the next page; `null` on the last page. */
  nextCursor: z.string().nullable(),
});
export type GenerationList = z.infer<typeof GenerationListSchema>;

/** `GET /v1/me`. */
export const MeSchema = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string(), createdAt: z.iso.datetime() }),
  plan: z.enum(PLAN_IDS),
  usage: UsageSchema,
  periodStart: z.iso.datetime(),
  periodEnd: z.iso.datetime(),
  /** How the caller authenticated. */
  auth: z.enum(['session', 'ci-token']),
});
export type Me = z.infer<typeof MeSchema>;

/** A CI token as listed (the secret itself is never shown again). */
export const TokenSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** First characters of the token, e.g. `smk_AbCd`, to recognise it. */
  prefix: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
});
export type TokenSummary = z.infer<typeof TokenSummarySchema>;

/** Body of `POST /v1/tokens`. */
export const TokenCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(64),
});
export type TokenCreate = z.infer<typeof TokenCreateSchema>;

/** 201 answer of `POST /v1/tokens`: the only time `token` is shown. */
export const TokenCreatedSchema = TokenSummarySchema.extend({ token: z.string().startsWith('smk_') });
export type TokenCreated = z.infer<typeof TokenCreatedSchema>;

/** `GET /v1/tokens`. */
export const TokenListSchema = z.object({ items: z.array(TokenSummarySchema) });
export type TokenList = z.infer<typeof TokenListSchema>;

/** The error envelope every failing `/v1` call answers. */
export const ApiErrorSchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(API_ERROR_CODES) as [ApiErrorCode, ...ApiErrorCode[]]),
    message: z.string(),
    requestId: z.string(),
    details: z.unknown().optional(),
    upgradeUrl: z.string().optional(),
  }),
});

/** A public key in the JWKS (Ed25519, RFC 8037). */
export const JwkSchema = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string(),
  kid: z.string(),
  alg: z.literal('EdDSA'),
  use: z.literal('sig'),
});
/** `GET /.well-known/jwks.json`. */
export const JwksSchema = z.object({ keys: z.array(JwkSchema) });
export type Jwks = z.infer<typeof JwksSchema>;

/** The licence server the CLI talks to when SPECMINT_API_URL is not set (cli/account/config-dir.ts). */
export const DEFAULT_LICENCE_SERVER_URL = 'http://127.0.0.1:8787';

/** Client id the CLI sends in the device authorization flow. */
export const CLI_CLIENT_ID = 'specmint-cli';

/** `POST /api/auth/device/code` answer (RFC 8628 §3.2). */
export const DeviceCodeResponseSchema = z.object({
  device_code: z.string(),
  user_code: z.string(),
  verification_uri: z.string(),
  verification_uri_complete: z.string(),
  expires_in: z.number(),
  interval: z.number(),
});
export type DeviceCodeResponse = z.infer<typeof DeviceCodeResponseSchema>;

/** `POST /api/auth/device/token` success (RFC 8628 §3.5): `access_token` is the CLI's bearer token. */
export const DeviceTokenResponseSchema = z.object({
  access_token: z.string(),
  token_type: z.string(),
  expires_in: z.number(),
  scope: z.string().optional(),
});
export type DeviceTokenResponse = z.infer<typeof DeviceTokenResponseSchema>;

/** `POST /api/auth/device/token` failure (RFC 8628 §3.5). */
export const DeviceTokenErrorSchema = z.object({
  error: z.enum([
    'authorization_pending',
    'slow_down',
    'expired_token',
    'access_denied',
    'invalid_request',
    'invalid_client',
    'invalid_grant',
  ]),
  error_description: z.string().optional(),
});
export type DeviceTokenError = z.infer<typeof DeviceTokenErrorSchema>;

/** Plans that are bought through Stripe (Free needs no checkout). */
export const PAID_PLAN_IDS = ['pro', 'enterprise'] as const;
export type PaidPlanId = (typeof PAID_PLAN_IDS)[number];

/** Body of `POST /v1/billing/checkout`. */
export const BillingCheckoutRequestSchema = z.strictObject({ plan: z.enum(PAID_PLAN_IDS) });
export type BillingCheckoutRequest = z.infer<typeof BillingCheckoutRequestSchema>;

/**
 * Answer of `POST /v1/billing/checkout` and `POST /v1/billing/portal`: the page to open (Stripe Checkout,
 * the Billing Portal, or the dashboard when an existing subscription was switched in place).
 */
export const BillingRedirectSchema = z.object({ url: z.url() });
export type BillingRedirect = z.infer<typeof BillingRedirectSchema>;

const PlanCountsSchema = z.object({
  free: z.number().int().min(0),
  pro: z.number().int().min(0),
  enterprise: z.number().int().min(0),
});

/** `GET /v1/admin/stats` and `specmint-server admin stats --json`: the operator's billing view. */
export const AdminStatsSchema = z.object({
  generatedAt: z.iso.datetime(),
  /** The UTC calendar month that "this month" means. */
  month: z.object({ start: z.iso.datetime(), end: z.iso.datetime() }),
  /** Every account by the plan it is entitled to now (Stripe or `admin set-plan`). */
  accountsByPlan: PlanCountsSchema,
  /** Stripe subscriptions that entitle their account now (active, trialing, or past_due within grace). */
  activeSubscriptions: z.object({
    pro: z.number().int().min(0),
    enterprise: z.number().int().min(0),
    total: z.number().int().min(0),
    trialing: z.number().int().min(0),
    pastDue: z.number().int().min(0),
    cancelingAtPeriodEnd: z.number().int().min(0),
  }),
  /** Monthly recurring revenue in US cents: active and past_due subscriptions at shared/plans.ts prices (trials excluded). */
  mrrCents: z.number().int().min(0),
  /** `customer.subscription.created` events applied this month. */
  newThisMonth: z.number().int().min(0),
  /** `customer.subscription.deleted` events applied this month. */
  churnedThisMonth: z.number().int().min(0),
  /** Free → paid: accounts with an entitling Stripe subscription out of all accounts. */
  conversion: z.object({
    accounts: z.number().int().min(0),
    paying: z.number().int().min(0),
    /** `paying / accounts`, 0 when there are no accounts. */
    rate: z.number().min(0).max(1),
  }),
});
export type AdminStats = z.infer<typeof AdminStatsSchema>;
