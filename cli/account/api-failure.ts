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
 * | RATE_LIMITED                                  | 5    | the server is refusing service for now (after retries) |
 * | BILLING_NOT_CONFIGURED, SERVICE_UNAVAILABLE   | 5    | the server cannot do it; nothing the user can change |
 * | INTERNAL, any 5xx                             | 5    | the server failed |
 * | other 4xx (VALIDATION_FAILED, NOT_FOUND, …)   | 1    | the input sent was refused |
 */
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

const NOT_ENTITLED = new Set([
  'UNAUTHENTICATED',
  'QUOTA_EXCEEDED',
  'FEATURE_NOT_IN_PLAN',
  'EMAIL_NOT_VERIFIED',
  'TOKEN_LIMIT_REACHED',
  'FORBIDDEN',
]);
const SERVER_SIDE = new Set(['RATE_LIMITED', 'BILLING_NOT_CONFIGURED', 'SERVICE_UNAVAILABLE', 'INTERNAL']);

function exitCodeFor(status: number, code: string): ExitCode {
  if (NOT_ENTITLED.has(code) || status === 401 || status === 402) return EXIT.NOT_ENTITLED;
  if (SERVER_SIDE.has(code) || status >= 500 || status === 429) return EXIT.UNREACHABLE;
  return EXIT.BAD_INPUT;
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

/** Builds the error for a non-2xx answer of `result`. */
export function apiFailureFrom(result: HttpResult, apiUrl: string): ApiFailure {
  const parsed = ApiErrorSchema.safeParse(result.body);
  if (!parsed.success) {
    const snippet = result.text.slice(0, 200).trim();
    return new ApiFailure({
      message: `The licence server answered HTTP ${result.status} to ${result.url}${snippet ? `: ${snippet}` : ''}.`,
      exitCode: exitCodeFor(result.status, ''),
      status: result.status,
      apiCode: `HTTP_${result.status}`,
      hint:
        result.status >= 500
          ? 'The server failed; try again later.'
          : `Is ${apiUrl} a SpecMint licence server?`,
    });
  }
  const { code, message, requestId, upgradeUrl, details } = parsed.data.error;
  return new ApiFailure({
    message: `${message} (${code}, request ${requestId})`,
    exitCode: exitCodeFor(result.status, code),
    status: result.status,
    apiCode: code,
    requestId,
    upgradeUrl,
    hint: hintFor({ code, apiUrl, upgradeUrl, retryAfter: result.headers['retry-after'], details }),
  });
}
