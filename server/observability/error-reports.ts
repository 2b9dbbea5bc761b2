import type { ErrorEvent } from '@sentry/node';
import type { Logger } from '../logger.ts';
import { scrubValue } from './scrub.ts';

/** Where the request was when the error happened; sent with the report. */
export interface ErrorContext {
  requestId: string;
  method: string;
  /** Route pattern (`/v1/tokens/:id`), never the raw path (which may carry ids). */
  route: string;
}

/** Sends unexpected errors to an error-report service. */
export interface ErrorReporter {
  report(error: unknown, context: ErrorContext): void;
  /** Waits (at most `timeoutMs`) until queued reports are sent; before exiting. */
  flush(timeoutMs: number): Promise<boolean>;
}

/** Options of {@link startErrorReports}. */
export interface ErrorReportsOptions {
  /** SENTRY_DSN. */
  dsn: string;
  /** `production`, `development`… */
  environment: string;
  release: string;
  logger: Logger;
}

/**
 * Strips what must never leave the server: the request's headers, cookies, body and query, the user
 * beyond an id, and every e-mail address, token, password or cookie anywhere in the event (messages,
 * exception values, extra data, breadcrumbs).
 */
export function scrubEvent(event: ErrorEvent): ErrorEvent {
  const scrubbed = scrubValue(event) as ErrorEvent;
  if (scrubbed.request) {
    delete scrubbed.request.headers;
    delete scrubbed.request.cookies;
    delete scrubbed.request.data;
    delete scrubbed.request.query_string;
  }
  if (scrubbed.user) scrubbed.user = scrubbed.user.id === undefined ? {} : { id: scrubbed.user.id };
  return scrubbed;
}

/**
 * Starts the real Sentry SDK (`@sentry/node`, loaded only when SENTRY_DSN is set) with no automatic
 * instrumentation — no tracing, no request capture: reports are sent explicitly from the app's error
 * handler (with the request id as the `request_id` tag) and for uncaught exceptions. Every event passes
 * {@link scrubEvent} in `beforeSend`.
 */
export async function startErrorReports(options: ErrorReportsOptions): Promise<ErrorReporter> {
  const Sentry = await import('@sentry/node');
  Sentry.init({
    dsn: options.dsn,
    environment: options.environment,
    release: options.release,
    // Collect nothing about users or requests: reports carry the request id and route we set, no more.
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpHeaders: false,
      httpBodies: [],
      urlQueryParams: false,
    },
    defaultIntegrations: false,
    integrations: [
      Sentry.linkedErrorsIntegration(),
      Sentry.dedupeIntegration(),
      Sentry.nodeContextIntegration(),
      Sentry.onUncaughtExceptionIntegration(),
      Sentry.onUnhandledRejectionIntegration(),
    ],
    beforeSend: (event) => scrubEvent(event),
    beforeBreadcrumb: (breadcrumb) => scrubValue(breadcrumb) as typeof breadcrumb,
  });
  options.logger.info('error reports enabled', { environment: options.environment });
  return {
    report(error, context) {
      Sentry.withScope((scope) => {
        scope.setTag('request_id', context.requestId);
        scope.setTag('route', context.route);
        scope.setContext('request', { ...context });
        Sentry.captureException(error);
      });
    },
    flush: (timeoutMs) => Sentry.flush(timeoutMs),
  };
}
