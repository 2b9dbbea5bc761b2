/**
 * Turns a failed licence-server answer (`{error:{code,message,requestId}}`) into a typed CLI error with
 * the exit code of DESIGN.md:
 *
 * | server code                                   | exit | why |
 * |-----------------------------------------------|------|-----|
 * | UNAUTHENTICATED                               | 4    | not logged in |
 * | QUOTA_EXCEEDED, FEATURE_NOT_IN_PLAN           | 4    | plan or quota (hint: upgrade URL) |
 * | EMAIL_NOT_VERIFIED                            | 4    | Free plan: verify the e-mail address first |
 * | TOKEN_LIMIT_REACHED, FORBIDDEN                | 4    | the plan or the credentials do not allow it |
 * | RATE_LIMITED while polling `specmint login`   | —    | not an error: api-client reports it as RFC 8628 `slow_down` |
 * | RATE_LIMITED                                  | 5    | the server is refusing service for now (after retries) |
 * | BILLING_NOT_CONFIGURED, SERVICE_UNAVAILABLE   | 5    | the server cannot do it; nothing the user can change |
 * | INTERNAL, any 5xx                             | 5    | the server failed |
 * | other 4xx (VALIDATION_FAILED, NOT_FOUND, …)   | 1    | the input sent was refused |
 *
 * The map is {@link EXIT_BY_API_CODE}; an answer without our envelope falls back to its HTTP status.
 */
import type { ApiErrorCode } from '../../shared/api-errors.ts';
import { ApiErrorSchema } from '../../shared/contracts.ts';
import { EXIT, type ExitCode, SpecMintError } from '../errors.ts';
import type { HttpResult } from '../net/http-client.ts';

/** A refusal by the licence server, with its stable code and request id. */
export class ApiFailure extends SpecMintError {
  readonly status: number;
  readonly apiCode: string;
  readonly requestId?: string;
  readonly upgradeUrl?: string;

  constructor(options: {
    message: string;
    exitCode: ExitCode;
    status: number;
    apiCode: string;
    requestId?: string;
    upgradeUrl?: string;
    hint?: string;
  }) {
    super(options.message, options.exitCode, { code: options.apiCode, hint: options.hint });
    this.name = 'ApiFailure';
    this.status = options.status;
    this.apiCode = options.apiCode;
    this.requestId = options.requestId;
    this.upgradeUrl = options.upgradeUrl;
  }
}

/**
 * The exit code of every stable server error code (DESIGN.md's table; the header of this file says why).
 * `satisfies` makes a code added to shared/api-errors.ts a compile error here until it is mapped.
 */
export const EXIT_BY_API_CODE = {
  BAD_REQUEST: EXIT.BAD_INPUT,
  VALIDATION_FAILED: EXIT.BAD_INPUT,
  UNAUTHENTICATED: EXIT.NOT_ENTITLED,
  QUOTA_EXCEEDED: EXIT.NOT_ENTITLED,
  FEATURE_NOT_IN_PLAN: EXIT.NOT_ENTITLED,
  EMAIL_NOT_VERIFIED: EXIT.NOT_ENTITLED,
  FORBIDDEN: EXIT.NOT_ENTITLED,
  CSRF_FAILED: EXIT.BAD_INPUT,
  NOT_FOUND: EXIT.BAD_INPUT,
  CONFLICT: EXIT.BAD_INPUT,
  IDEMPOTENCY_CONFLICT: EXIT.BAD_INPUT,
  TOKEN_LIMIT_REACHED: EXIT.NOT_ENTITLED,
  PAYLOAD_TOO_LARGE: EXIT.BAD_INPUT,
  UNSUPPORTED_MEDIA_TYPE: EXIT.BAD_INPUT,
  RATE_LIMITED: EXIT.UNREACHABLE,
  INTERNAL: EXIT.UNREACHABLE,
  BILLING_NOT_CONFIGURED: EXIT.UNREACHABLE,
  SERVICE_UNAVAILABLE: EXIT.UNREACHABLE,
} as const satisfies Record<ApiErrorCode, ExitCode>;

/** The exit code of an answer without our error envelope (a proxy, another server): by HTTP status. */
function exitCodeForStatus(status: number): ExitCode {
  if (status === 401 || status === 402) return EXIT.NOT_ENTITLED;
  if (status >= 500 || status === 429) return EXIT.UNREACHABLE;
  return EXIT.BAD_INPUT;
}

/** The credentials a request carried, so a refusal can name them. */
export interface SentCredentials {
  /** The bearer token sent (a CI token `smk_…` comes from SPECMINT_TOKEN; anything else is a login). */
  token: string;
}

/** `smk_FoZPab12…`: enough of a CI token to recognise it in `specmint tokens list`, never the secret. */
export function tokenPrefix(token: string): string {
  return `${token.slice(0, 12)}…`;
}

/** "SPECMINT_TOKEN (smk_FoZP…) was revoked…" / "Your login … has ended": what was refused, and the fix. */
function unauthenticated(credentials: SentCredentials | undefined, apiUrl: string) {
  if (!credentials) return undefined;
  if (credentials.token.startsWith('smk_')) {
    return {
      message: `SPECMINT_TOKEN (${tokenPrefix(credentials.token)}) was revoked, or is not a CI token of the licence server at ${apiUrl}`,
      hint:
        'Create a new token with `specmint tokens create --name ci` (or on the dashboard, Settings → CI tokens), ' +
        'then replace the SPECMINT_TOKEN secret in your CI.',
    };
  }
  return {
    message: `Your login to ${apiUrl} has expired or was ended`,
    hint: 'Run `specmint login` again.',
  };
}

function hintFor(options: {
  code: string;
  apiUrl: string;
  upgradeUrl?: string;
  retryAfter?: string;
  details?: unknown;
}): string | undefined {
  const upgrade = options.upgradeUrl ?? `${options.apiUrl}/pricing`;
  switch (options.code) {
    case 'UNAUTHENTICATED':
      return 'Run `specmint login`, or set SPECMINT_TOKEN to a CI token (`specmint tokens create`).';
    case 'QUOTA_EXCEEDED':
      return `Upgrade your plan at ${upgrade} (or run \`specmint upgrade pro\`). Re-running on a spec already generated this period stays free.`;
    case 'FEATURE_NOT_IN_PLAN':
      return `Upgrade at ${upgrade} (or run \`specmint upgrade\`), or drop the option. \`specmint formats\` lists what your plan includes.`;
    case 'EMAIL_NOT_VERIFIED': {
      const email = (options.details as { email?: unknown } | undefined)?.email;
      const sent = typeof email === 'string' ? `we sent a link to ${email}` : 'we sent you a link';
      return `Verify your e-mail: ${sent}. Open it, then run this again. No e-mail? Get a new link at ${options.apiUrl}/check-email.`;
    }
    case 'TOKEN_LIMIT_REACHED':
      return `Revoke a token with \`specmint tokens revoke <id>\`, or upgrade at ${upgrade}.`;
    case 'RATE_LIMITED':
      return options.retryAfter ? `Retry in ${options.retryAfter} s.` : 'Wait a moment and retry.';
    case 'BILLING_NOT_CONFIGURED':
      return 'This licence server has no Stripe configuration; ask its operator, or change plans with `specmint-server admin set-plan`.';
    default:
      return undefined;
  }
}

/**
 * Builds the error for a non-2xx answer of `result`; `credentials` (the token the request carried) lets
 * a 401 say which token or login was refused.
 */
export function apiFailureFrom(
  result: HttpResult,
  apiUrl: string,
  credentials?: SentCredentials,
): ApiFailure {
  const parsed = ApiErrorSchema.safeParse(result.body);
  if (!parsed.success) {
    const snippet = result.text.slice(0, 200).trim();
    return new ApiFailure({
      message: `The licence server answered HTTP ${result.status} to ${result.url}${snippet ? `: ${snippet}` : ''}.`,
      exitCode: exitCodeForStatus(result.status),
      status: result.status,
      apiCode: `HTTP_${result.status}`,
      hint:
        result.status >= 500
          ? 'The server failed; try again later.'
          : `Is ${apiUrl} a SpecMint licence server?`,
    });
  }
  const { code, message, requestId, upgradeUrl, details } = parsed.data.error;
  const refused = code === 'UNAUTHENTICATED' ? unauthenticated(credentials, apiUrl) : undefined;
  return new ApiFailure({
    message: `${refused?.message ?? message} (${code}, request ${requestId})`,
    exitCode: EXIT_BY_API_CODE[code],
    status: result.status,
    apiCode: code,
    requestId,
    upgradeUrl,
    hint:
      refused?.hint ??
      hintFor({ code, apiUrl, upgradeUrl, retryAfter: result.headers['retry-after'], details }),
  });
}
