import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiErrorBody, ApiErrorCode } from '../../shared/api-errors.ts';
import { sqlState } from '../db/rows.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import type { Logger } from '../logger.ts';
import { ApiError } from './api-error.ts';
import type { AppEnv } from './principal.ts';

/** Seconds clients wait before retrying when the database is unreachable. */
export const DB_RETRY_AFTER_SECONDS = 5;

const HTTP_EXCEPTION_CODES: Record<number, ApiErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/** A principal whose account was deleted (by another instance) while the request ran. */
function accountGone(error: unknown, c: Context<AppEnv>): boolean {
  return sqlState(error) === '23503' && c.get('principal') !== undefined;
}

function toApiError(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error;
  if (isDatabaseUnavailable(error)) {
    return new ApiError('SERVICE_UNAVAILABLE', 'The database is unreachable. Retry shortly.', {
      retryAfterSeconds: DB_RETRY_AFTER_SECONDS,
    });
  }
  if (error instanceof Error && error.name === 'MaxRetriesPerRequestError') {
    return new ApiError(
      'SERVICE_UNAVAILABLE',
      'The rate-limit store (Redis) is unreachable. Retry shortly.',
      {
        retryAfterSeconds: DB_RETRY_AFTER_SECONDS,
      },
    );
  }
  if (error instanceof HTTPException) {
    const code = HTTP_EXCEPTION_CODES[error.status];
    if (code) return new ApiError(code, error.message || code.toLowerCase().replace(/_/g, ' '));
  }
  return null;
}

/** Writes the error envelope for `error` (with `Retry-After` when it has one). */
export function renderApiError(c: Context<AppEnv>, error: ApiError): Response {
  const body: ApiErrorBody = {
    error: { code: error.code, message: error.message, requestId: c.get('requestId') ?? 'unknown' },
  };
  if (error.details !== undefined) body.error.details = error.details;
  if (error.upgradeUrl !== undefined) body.error.upgradeUrl = error.upgradeUrl;
  if (error.retryAfterSeconds !== undefined) c.header('Retry-After', String(error.retryAfterSeconds));
  c.header('Cache-Control', 'no-store');
  return c.json(body, error.status as ContentfulStatusCode);
}

/** Options of {@link createErrorHandler}. */
export interface ErrorHandlerOptions {
  logger: Logger;
  /** Sends an unexpected error (one that answers 500) to the error-report service, if configured. */
  reportError?: (error: unknown, c: Context<AppEnv>) => void;
  /** Drops cached credentials of a user that turned out to be deleted (every instance). */
  forgetUser?: (userId: string) => void;
}

/**
 * The one error handler: known failures keep their code; a write that lost its account to a deletion
 * on another instance (foreign-key violation) answers 401 like any gone credential; anything else is
 * logged with its stack, reported, and answers 500 INTERNAL with no detail.
 */
export function createErrorHandler(options: ErrorHandlerOptions | Logger): ErrorHandler<AppEnv> {
  const { logger, reportError, forgetUser } = 'child' in options ? { logger: options } : options;
  return (error, c) => {
    if (accountGone(error, c)) {
      forgetUser?.(c.get('principal').userId);
      return renderApiError(
        c,
        new ApiError(
          'UNAUTHENTICATED',
          'This account no longer exists. Run `specmint login` with another account.',
        ),
      );
    }
    const known = toApiError(error);
    if (known) {
      if (known.status >= 500)
        (c.get('logger') ?? logger).warn('request failed', { code: known.code, error });
      return renderApiError(c, known);
    }
    (c.get('logger') ?? logger).error('unhandled error', { error });
    reportError?.(error, c);
    return renderApiError(
      c,
      new ApiError('INTERNAL', 'Internal server error. Quote the requestId to support.'),
    );
  };
}

/** 404 in the error envelope. */
export const notFound: NotFoundHandler<AppEnv> = (c) =>
  renderApiError(c, new ApiError('NOT_FOUND', `No route for ${c.req.method} ${c.req.path}.`));
