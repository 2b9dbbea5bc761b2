import { EXIT, SpecMintError, type SpecMintErrorOptions } from '../errors.ts';

/** The licence server (or the network to it) cannot be reached or is not answering properly. Exit 5. */
export class UnreachableError extends SpecMintError {
  /** The URL that failed. */
  readonly url: string;

  constructor(message: string, url: string, options: SpecMintErrorOptions = {}) {
    super(message, EXIT.UNREACHABLE, { code: 'UNREACHABLE', ...options });
    this.name = 'UnreachableError';
    this.url = url;
  }
}

/** Network error codes worth one more try (connection not made, dropped, or timed out). */
export const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** The error code of a failed request (`ECONNREFUSED`, `UND_ERR_CONNECT_TIMEOUT`…), looking through causes. */
export function networkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) current = errors[0];
    else current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A short human reason for a network failure. */
export function describeNetworkFailure(
  error: unknown,
  code: string | undefined = networkErrorCode(error),
): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return 'connection closed unexpectedly';
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return 'connection timed out';
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return 'no answer in time';
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `TLS certificate not trusted (${code}); set NODE_EXTRA_CA_CERTS to your CA bundle`;
    default:
      return code ?? (error instanceof Error ? error.message : String(error));
  }
}
