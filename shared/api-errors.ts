/**
 * Stable API error codes. Every failure of the licence server answers
 * `{ error: { code, message, requestId } }` with one of these codes; the CLI maps them to exit codes.
 */
export const API_ERROR_CODES = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  QUOTA_EXCEEDED: 402,
  FEATURE_NOT_IN_PLAN: 403,
  /** The Free plan generates only for a verified e-mail address (`details.email`: where the link went). */
  EMAIL_NOT_VERIFIED: 403,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  IDEMPOTENCY_CONFLICT: 409,
  TOKEN_LIMIT_REACHED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  BILLING_NOT_CONFIGURED: 503,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_CODES;

export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; requestId: string; details?: unknown; upgradeUrl?: string };
}
