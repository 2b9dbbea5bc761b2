import type { Child } from 'hono/jsx';
import { Layout, type LayoutProps } from '../components/layout.tsx';
import { PAGE_CSP } from '../security/page-security.ts';

/** Why a page could not be shown. */
export type ErrorKind = 403 | 404 | 413 | 500 | 503;

const TEXTS: Record<ErrorKind, { title: string; text: string }> = {
  403: {
    title: 'This form has expired',
    text: 'The form could not be verified as coming from this site. Go back, reload the page and try again.',
  },
  404: {
    title: 'Page not found',
    text: 'There is no page at this address. It may have moved, or the link is incomplete.',
  },
  413: { title: 'Too much data', text: 'The form sent more data than this server accepts.' },
  500: {
    title: 'Something went wrong',
    text: 'An unexpected error happened on our side. Try again in a moment; if it keeps happening, quote the request id below to support.',
  },
  503: { title: 'Temporarily unavailable', text: 'The database is unreachable. Try again shortly.' },
};

/** Properties of {@link ErrorPage}. */
export interface ErrorPageProps extends Omit<LayoutProps, 'title' | 'children'> {
  kind: ErrorKind;
  requestId?: string | undefined;
  children?: Child;
}

/** A 4xx/5xx page in the site's layout, with a way on: home, dashboard (signed in) or sign-in. */
export function ErrorPage(props: ErrorPageProps) {
  const { title, text } = TEXTS[props.kind];
  return (
    <Layout {...props} title={title} narrow>
      <h1>{title}</h1>
      <div class="card stack">
        <p>{text}</p>
        {props.children}
        <nav aria-label="Where to go next">
          <p class="actions">
            <a class="button" href="/">
              Home page
            </a>
            {props.viewer ? (
              <a class="button secondary" href="/dashboard">
                Your dashboard
              </a>
            ) : (
              <a class="button secondary" href="/sign-in">
                Sign in
              </a>
            )}
            <a href="/pricing">Pricing</a>
          </p>
        </nav>
        {props.requestId ? <p class="hint">Request id: {props.requestId}</p> : null}
      </div>
    </Layout>
  );
}

/**
 * An error page outside the pages' app (the API app's 500/503 for a browser): no viewer, no form token.
 * Never cached.
 */
export async function renderErrorPage(options: {
  status: 500 | 503;
  requestId: string;
  path: string;
}): Promise<Response> {
  const page = await (
    <ErrorPage
      kind={options.status}
      requestId={options.requestId}
      viewer={null}
      csrfToken=""
      path={options.path}
    />
  );
  return new Response(`<!DOCTYPE html>${page}`, {
    status: options.status,
    headers: {
      'content-type': 'text/html; charset=UTF-8',
      'content-security-policy': PAGE_CSP,
      'referrer-policy': 'same-origin',
      'cache-control': 'no-store',
      'x-request-id': options.requestId,
    },
  });
}
