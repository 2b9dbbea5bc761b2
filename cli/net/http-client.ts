/**
 * The CLI's HTTP client: Node's own, or undici through `EnvHttpProxyAgent` when a proxy is configured
 * (HTTP_PROXY / HTTPS_PROXY / NO_PROXY; see transport.ts), connect and request timeouts, and retries with
 * exponential backoff — only for calls that are safe to repeat (idempotent methods, or a request carrying an
 * `Idempotency-Key`). Network failures become an {@link UnreachableError} (exit 5) naming the URL.
 * `NODE_EXTRA_CA_CERTS` works because both clients use Node's default TLS context, which includes those
 * certificates.
 */
import type { Dispatcher } from 'undici';
import {
  describeNetworkFailure,
  networkErrorCode,
  TRANSIENT_NETWORK_CODES,
  UnreachableError,
} from './network-error.ts';
import { backoffDelay, parseRetryAfter, retry } from './retry.ts';
import { createTransport } from './transport.ts';

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /** Base URL every path is resolved against, e.g. `http://127.0.0.1:8787`. */
  baseUrl: string;
  userAgent: string;
  /** @default 10000 */
  connectTimeoutMs?: number;
  /** Time for the response headers, and between body chunks. @default 30000 */
  requestTimeoutMs?: number;
  /** Attempts for a retryable call, first one included. @default 3 */
  maxAttempts?: number;
  /** First backoff delay; doubles each retry, plus jitter. @default 300 */
  retryBaseDelayMs?: number;
  /** Longest `Retry-After` honoured before giving up. @default 10000 */
  maxRetryAfterMs?: number;
  /** Replaces the proxy-aware agent (tests). */
  dispatcher?: Dispatcher;
}

/** One call. */
export interface HttpCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path (and query) relative to the base URL, or an absolute URL. */
  path: string;
  headers?: Record<string, string>;
  /** Sent as `application/json`. */
  json?: unknown;
  /** Overrides whether the call may be retried. @default idempotent method or Idempotency-Key present */
  retry?: boolean;
}

/** A received response (any status). */
export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, or `undefined` when the body is not JSON. */
  body: unknown;
  text: string;
  url: string;
}

/** Sends calls to one server. */
export interface HttpClient {
  readonly baseUrl: string;
  send(call: HttpCall): Promise<HttpResult>;
  close(): Promise<void>;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRY_STATUSES = new Set([408, 429, 502, 503, 504]);

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '' || !contentType?.includes('json')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Whether a response status is worth retrying (a 503 that says billing is off is not). */
function isRetryableStatus(result: HttpResult): boolean {
  if (!RETRY_STATUSES.has(result.status)) return false;
  const code = (result.body as { error?: { code?: unknown } } | undefined)?.error?.code;
  return code !== 'BILLING_NOT_CONFIGURED';
}

/** Creates a client for `options.baseUrl`. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  // Node's own client, or undici when a proxy is configured (loaded on the first call: commands that end up
  // sending nothing, a dry run or a broken spec, skip its ~110 ms of module loading).
  const transport = createTransport(
    { connectMs: connectTimeoutMs, requestMs: requestTimeoutMs },
    options.dispatcher,
  );
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const baseDelay = options.retryBaseDelayMs ?? 300;
  const maxRetryAfter = options.maxRetryAfterMs ?? 10_000;

  async function once(call: HttpCall, url: string): Promise<HttpResult> {
    const headers: Record<string, string> = {
      'user-agent': options.userAgent,
      accept: 'application/json',
      ...call.headers,
    };
    let body: string | undefined;
    if (call.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.json);
    }
    // An overall deadline on top of the transport's timeouts: a proxy that keeps dropping the CONNECT would
    // otherwise be retried by undici indefinitely.
    const signal = AbortSignal.timeout(requestTimeoutMs + connectTimeoutMs);
    const response = await transport.request(url, { method: call.method, headers, body, signal });
    const { text } = response;
    const flat = flattenHeaders(response.headers);
    return {
      status: response.status,
      headers: flat,
      body: parseBody(text, flat['content-type']),
      text,
      url,
    };
  }

  /** The network failure code of a thrown error worth reporting as unreachable; undefined for others. */
  function failureCode(error: unknown): string | undefined {
    const code =
      (error as Error | undefined)?.name === 'TimeoutError'
        ? 'UND_ERR_HEADERS_TIMEOUT'
        : networkErrorCode(error);
    return isNetworkFailure(code) ? code : undefined;
  }

  async function send(call: HttpCall): Promise<HttpResult> {
    const url = new URL(call.path, options.baseUrl).href;
    const hasKey = Object.keys(call.headers ?? {}).some((name) => name.toLowerCase() === 'idempotency-key');
    const retryable = call.retry ?? (IDEMPOTENT_METHODS.has(call.method) || hasKey);
    try {
      return await retry(() => once(call, url), {
        attempts: retryable ? maxAttempts : 1,
        decide(outcome, attempt) {
          if (!outcome.ok) {
            // Only a transient network failure (a dropped connection, a reset) is worth another try.
            const code = failureCode(outcome.error);
            return code !== undefined && TRANSIENT_NETWORK_CODES.has(code)
              ? { retry: true, delayMs: backoffDelay(attempt, baseDelay) }
              : { retry: false };
          }
          if (!isRetryableStatus(outcome.value)) return { retry: false };
          const wait = parseRetryAfter(outcome.value.headers);
          if (wait !== undefined && wait > maxRetryAfter) return { retry: false };
          return { retry: true, delayMs: wait ?? backoffDelay(attempt, baseDelay) };
        },
      });
    } catch (error) {
      const code = failureCode(error);
      if (code === undefined) throw error;
      throw new UnreachableError(
        `Cannot reach the SpecMint licence server at ${url}: ${describeNetworkFailure(error, code)}.`,
        url,
        { hint: unreachableHint(options.baseUrl), cause: error },
      );
    }
  }

  return {
    baseUrl: options.baseUrl,
    send,
    close: () => transport.close(),
  };
}

/** System errors (`ECONNREFUSED`, `ENOTFOUND`, TLS codes…) and undici's connection errors; not argument errors. */
function isNetworkFailure(code: string | undefined): boolean {
  if (code === undefined) return false;
  if (TRANSIENT_NETWORK_CODES.has(code) || /^E[A-Z_]+$/.test(code)) return true;
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO/.test(code)) return true;
  return code === 'UND_ERR_SOCKET' || code === 'UND_ERR_ABORTED' || code === 'UND_ERR_RESPONSE_STATUS_CODE';
}

function unreachableHint(baseUrl: string): string {
  const { hostname, port } = new URL(baseUrl);
  if (['127.0.0.1', 'localhost', '[::1]', '::1'].includes(hostname)) {
    // The default address: most likely no local server was started (the quickstart stops its own).
    const portFlag = port && port !== '8787' ? ` --port ${port}` : '';
    return (
      `No licence server is running at ${baseUrl}. Start one on this machine in another terminal: ` +
      `\`npx specmint-server start${portFlag}\` (or \`npm run quickstart -- --serve\` in a SpecMint checkout), ` +
      'or set SPECMINT_API_URL to your licence server.'
    );
  }
  return (
    `Check that the licence server at ${baseUrl} is running and reachable. ` +
    'Set SPECMINT_API_URL to point elsewhere; behind a proxy set HTTPS_PROXY/HTTP_PROXY (and NO_PROXY).'
  );
}
