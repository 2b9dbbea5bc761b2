/**
 * The one interface every AI provider implements: send a prompt, get back proposals validated against
 * {@link ProposalListSchema}, plus token usage. Implementations make exactly one HTTP attempt per call
 * (the SDKs' own retries are off) and map failures to {@link ProviderError}; retrying is the caller's job.
 */
import type { ProposalList } from '../proposal-schema.ts';

/** What a provider is asked. */
export interface ProviderRequest {
  system: string;
  user: string;
  /** JSON Schema of the answer (see proposalJsonSchema). */
  schema: Record<string, unknown>;
  signal?: AbortSignal;
}

/** Tokens used by one call. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** A successful call. */
export interface ProviderAnswer {
  output: ProposalList;
  usage: TokenUsage;
}

/** An AI provider. */
export interface ProposalProvider {
  readonly provider: 'openai' | 'anthropic';
  readonly model: string;
  propose(request: ProviderRequest): Promise<ProviderAnswer>;
}

/** Options every provider takes. */
export interface ProviderOptions {
  model: string;
  apiKey: string;
  /** A custom endpoint; the provider's public API otherwise (never read from the environment). */
  baseUrl?: string;
  /** Per-request timeout. */
  timeoutMs: number;
}

/**
 * Why a call failed:
 * `rate-limit` (429), `overloaded` (5xx, Anthropic 529), `timeout`, `connection` — worth retrying;
 * `malformed` (the answer does not match the schema) — worth one more try;
 * `auth` (401/403), `request` (other 4xx: unknown model, bad endpoint) — final.
 */
export type ProviderErrorKind =
  | 'rate-limit'
  | 'overloaded'
  | 'timeout'
  | 'connection'
  | 'malformed'
  | 'auth'
  | 'request';

/** A failed provider call, without any credential in its message. */
export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly status?: number;
  /** The server's `Retry-After` (or `retry-after-ms`), in milliseconds. */
  readonly retryAfterMs?: number;

  constructor(
    kind: ProviderErrorKind,
    message: string,
    extra: { status?: number; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'ProviderError';
    this.kind = kind;
    this.status = extra.status;
    this.retryAfterMs = extra.retryAfterMs;
  }

  /** Whether another attempt may succeed. */
  get retryable(): boolean {
    return this.kind !== 'auth' && this.kind !== 'request';
  }
}
