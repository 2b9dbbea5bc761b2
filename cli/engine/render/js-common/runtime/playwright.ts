import type { APIRequestContext } from '@playwright/test';
import { type ApiCase, createCase, type Exchange, requireBase } from './specmint.runtime.ts';

/**
 * Starts a test case with Playwright's request fixture against 'baseURL' (from BASE_URL in
 * playwright.config.ts). Each 'step' sends one request and checks its response.
 */
export function apiCase(
  caseId: string,
  fixtures: { request: APIRequestContext; baseURL: string | undefined },
): ApiCase {
  const send: Exchange = async (request) => {
    const body = request.body;
    const headers = { ...request.headers };
    if (body && body.kind !== 'multipart') headers['Content-Type'] = body.contentType;
    const response = await fixtures.request.fetch(request.url, {
      method: request.method,
      headers,
      maxRedirects: 0,
      failOnStatusCode: false,
      ...(body && body.kind === 'multipart' ? { multipart: Object.fromEntries(body.fields) } : {}),
      ...(body && body.kind !== 'multipart' ? { data: body.text } : {}),
    });
    const text = await response.text();
    return { status: response.status(), contentType: response.headers()['content-type'] ?? '', text };
  };
  return createCase(caseId, () => requireBase(fixtures.baseURL), send);
}
