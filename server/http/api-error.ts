import { API_ERROR_CODES, type ApiErrorCode } from '../../shared/api-errors.ts';

/** Options of {@link ApiError}. */
export interface ApiErrorOptions {
  /** Extra machine-readable detail (validation issues, limits). */
  details?: unknown;
  /** Where to upgrade the plan (402/403 answers). */
  upgradeUrl?: string;
  /** Seconds for a `Retry-After` header (429/503 answers). */
  retryAfterSeconds?: number;
}

/**
 * A failure with a stable API error code. Route code throws it; the one `onError` handler turns it into
 * `{error:{code,message,requestId}}` with the code's HTTP status.
 */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly details: unknown;
  readonly upgradeUrl: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ApiErrorCode, message: string, options: ApiErrorOptions = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = API_ERROR_CODES[code];
    this.details = options.details;
    this.upgradeUrl = options.upgradeUrl;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
