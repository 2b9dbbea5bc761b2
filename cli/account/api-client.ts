/**
 * Typed calls to the licence server. Every answer is validated with the shared zod contracts; failures
 * become {@link ApiFailure} (exit 4/5/1 by code) or {@link UnreachableError} (exit 5).
 */
import * as z from 'zod';
import {
  BillingRedirectSchema,
  CLI_CLIENT_ID,
  DeviceCodeResponseSchema,
  type DeviceTokenError,
  DeviceTokenErrorSchema,
  type DeviceTokenResponse,
  DeviceTokenResponseSchema,
  type GenerationComplete,
  type GenerationRecord,
  GenerationRecordSchema,
  type GenerationRequest,
  type GenerationResponse,
  GenerationResponseSchema,
  IDEMPOTENCY_KEY_HEADER,
  type Jwks,
  JwksSchema,
  type Me,
  MeSchema,
  type TokenCreated,
  TokenCreatedSchema,
  TokenListSchema,
  type TokenSummary,
} from '../../shared/contracts.ts';
import { SPECMINT_VERSION } from '../../shared/version.ts';
import {
  createHttpClient,
  type HttpCall,
  type HttpClient,
  type HttpClientOptions,
  type HttpResult,
} from '../net/http-client.ts';
import { UnreachableError } from '../net/network-error.ts';
import { parseRetryAfter } from '../net/retry.ts';
import { apiFailureFrom } from './api-failure.ts';

/** `POST /v1/billing/checkout` and `/v1/billing/portal` answer with the page to open. */

/**
 * One poll of the device token endpoint: the token, or the RFC 8628 error. A 429 from the server's
 * per-address limiter is reported as `slow_down` with the server's `Retry-After`: polling too often is
 * a reason to wait, never to give up.
 */
export type DevicePoll =
  | { ok: true; token: DeviceTokenResponse }
  | { ok: false; error: DeviceTokenError; retryAfterSeconds?: number };

/** Options of {@link createApiClient}. */
export interface ApiClientOptions {
  apiUrl: string;
  /** Session or CI token sent as `Authorization: Bearer`. */
  token?: string;
  /** Tuning of the HTTP layer (timeouts, retries, dispatcher for tests). */
  http?: Partial<Omit<HttpClientOptions, 'baseUrl' | 'userAgent'>>;
}

/** The licence server API as the CLI uses it. */
export type ApiClient = ReturnType<typeof createApiClient>;

/** The User-Agent every request carries. */
export const USER_AGENT = `specmint-cli/${SPECMINT_VERSION} node/${process.versions.node}`;

/** Creates a client for one licence server. */
export function createApiClient(options: ApiClientOptions) {
  const http: HttpClient = createHttpClient({
    baseUrl: options.apiUrl,
    userAgent: USER_AGENT,
    ...options.http,
  });

  const sent = options.token ? { token: options.token } : undefined;

  function authHeaders(): Record<string, string> {
    return options.token ? { authorization: `Bearer ${options.token}` } : {};
  }

  function parse<T>(schema: z.ZodType<T>, result: HttpResult): T {
    const parsed = schema.safeParse(result.body);
    if (parsed.success) return parsed.data;
    throw new UnreachableError(
      `The licence server at ${options.apiUrl} answered ${result.url} with an unexpected body (HTTP ${result.status}).`,
      result.url,
      {
        code: 'BAD_SERVER_RESPONSE',
        hint: 'Check that SPECMINT_API_URL points at a SpecMint licence server of a compatible version.',
      },
    );
  }

  async function call<T>(schema: z.ZodType<T>, request: HttpCall): Promise<T> {
    const result = await http.send({ ...request, headers: { ...authHeaders(), ...request.headers } });
    if (result.status < 200 || result.status >= 300) throw apiFailureFrom(result, options.apiUrl, sent);
    return parse(schema, result);
  }

  return {
    apiUrl: options.apiUrl,
    /** `GET /v1/me`. */
    me: (): Promise<Me> => call(MeSchema, { method: 'GET', path: '/v1/me' }),
    /** `POST /v1/generations`, retried safely under one idempotency key. */
    createGeneration: (body: GenerationRequest, idempotencyKey: string): Promise<GenerationResponse> =>
      call(GenerationResponseSchema, {
        method: 'POST',
        path: '/v1/generations',
        json: body,
        headers: { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey },
      }),
    /** `POST /v1/generations/{id}/complete`. Completing twice is harmless, so it is retried. */
    completeGeneration: (id: string, body: GenerationComplete): Promise<unknown> =>
      call(z.unknown(), {
        method: 'POST',
        path: `/v1/generations/${encodeURIComponent(id)}/complete`,
        json: body,
        retry: true,
      }),
    /**
     * `POST /v1/generations/{id}/release`: the run wrote nothing, so the generation is not charged and its
     * reserved place in the quota is returned. Releasing twice is harmless, so it is retried.
     */
    releaseGeneration: (id: string): Promise<GenerationRecord> =>
      call(GenerationRecordSchema, {
        method: 'POST',
        path: `/v1/generations/${encodeURIComponent(id)}/release`,
        retry: true,
      }),
    /** `GET /.well-known/jwks.json` (no credentials). */
    jwks: async (): Promise<Jwks> => {
      const result = await http.send({ method: 'GET', path: '/.well-known/jwks.json' });
      if (result.status !== 200) throw apiFailureFrom(result, options.apiUrl);
      return parse(JwksSchema, result);
    },
    /** `GET /v1/tokens`. */
    listTokens: async (): Promise<TokenSummary[]> =>
      (await call(TokenListSchema, { method: 'GET', path: '/v1/tokens' })).items,
    /** `POST /v1/tokens`: the secret is in the answer, once. */
    createToken: (name: string): Promise<TokenCreated> =>
      call(TokenCreatedSchema, { method: 'POST', path: '/v1/tokens', json: { name } }),
    /** `DELETE /v1/tokens/{id}`. */
    revokeToken: (id: string): Promise<unknown> =>
      call(z.unknown(), { method: 'DELETE', path: `/v1/tokens/${encodeURIComponent(id)}` }),
    /** `POST /v1/billing/checkout`: the Stripe Checkout URL for `plan`. */
    checkout: (plan: 'pro' | 'enterprise') =>
      call(BillingRedirectSchema, { method: 'POST', path: '/v1/billing/checkout', json: { plan } }),
    /** `POST /v1/billing/portal`: the Stripe Billing Portal URL. */
    portal: () => call(BillingRedirectSchema, { method: 'POST', path: '/v1/billing/portal', json: {} }),
    /** `POST /api/auth/device/code` (RFC 8628 §3.1). */
    deviceCode: () =>
      call(DeviceCodeResponseSchema, {
        method: 'POST',
        path: '/api/auth/device/code',
        json: { client_id: CLI_CLIENT_ID },
        retry: true,
      }),
    /** One poll of `POST /api/auth/device/token` (RFC 8628 §3.4); a 400 carries the RFC error. */
    pollDeviceToken: async (deviceCode: string): Promise<DevicePoll> => {
      const result = await http.send({
        method: 'POST',
        path: '/api/auth/device/token',
        json: {
          grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
          device_code: deviceCode,
          client_id: CLI_CLIENT_ID,
        },
        retry: false,
      });
      if (result.status === 200) return { ok: true, token: parse(DeviceTokenResponseSchema, result) };
      if (result.status === 429) {
        const waitMs = parseRetryAfter(result.headers);
        return {
          ok: false,
          error: { error: 'slow_down', error_description: 'rate-limited (HTTP 429)' },
          ...(waitMs !== undefined ? { retryAfterSeconds: Math.ceil(waitMs / 1000) } : {}),
        };
      }
      const error = DeviceTokenErrorSchema.safeParse(result.body);
      if (error.success) return { ok: false, error: error.data };
      throw apiFailureFrom(result, options.apiUrl);
    },
    /** `POST /api/auth/sign-out`: ends the session the token belongs to. */
    signOut: async (): Promise<boolean> => {
      const result = await http.send({
        method: 'POST',
        path: '/api/auth/sign-out',
        json: {},
        headers: { ...authHeaders(), origin: new URL(options.apiUrl).origin },
      });
      return result.status >= 200 && result.status < 300;
    },
    close: () => http.close(),
  };
}
