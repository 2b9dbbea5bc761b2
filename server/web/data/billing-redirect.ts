import type { ApiErrorBody } from '../../../shared/api-errors.ts';

/** Outcome of a billing button: go to Stripe, or a message for the dashboard. */
export type BillingOutcome = { ok: true; url: string } | { ok: false; status: 502 | 503; message: string };

/**
 * Reads the answer of `POST /v1/billing/checkout|portal` (`{url}` or the error envelope) into what the
 * dashboard does next. A server without Stripe answers 503 BILLING_NOT_CONFIGURED.
 */
export async function readBillingAnswer(response: Response): Promise<BillingOutcome> {
  const body = (await response.json().catch(() => null)) as
    | ({ url?: unknown } & Partial<ApiErrorBody>)
    | null;
  if (response.ok && typeof body?.url === 'string' && /^https?:\/\//.test(body.url)) {
    return { ok: true, url: body.url };
  }
  const code = body?.error?.code;
  if (code === 'BILLING_NOT_CONFIGURED' || response.status === 404) {
    return {
      ok: false,
      status: 503,
      message:
        'Billing is not set up on this server yet, so plans cannot be bought or managed here. ' +
        'The operator can change plans with `specmint-server admin set-plan`.',
    };
  }
  if (code === 'RATE_LIMITED')
    return { ok: false, status: 503, message: 'Too many requests. Wait a minute and try again.' };
  const message = body?.error?.message ?? `The billing service answered HTTP ${response.status}.`;
  return { ok: false, status: 502, message: `Billing is unavailable right now: ${message}` };
}
