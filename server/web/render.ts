import type { Context } from 'hono';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { WebEnv } from './web-env.ts';

/** Sends a page as HTML5 (with the doctype), never cached: pages show account data. */
export async function renderPage(
  c: Context<WebEnv>,
  page: HtmlEscapedString | Promise<HtmlEscapedString>,
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  c.header('Cache-Control', 'no-store');
  return c.html(`<!DOCTYPE html>${await page}`, status);
}

/** The layout properties every page takes from the request context. */
export function pageContext(c: Context<WebEnv>) {
  return { viewer: c.get('viewer'), csrfToken: c.get('csrfToken'), path: c.req.path };
}
