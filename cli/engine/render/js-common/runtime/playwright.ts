import type { APIRequestContext } from '@playwright/test';
import {
  type ApiCase,
  type CaseOptions,
  createCase,
  type Exchange,
  requireBase,
} from './specmint.runtime.ts';

/** Multipart fields as FormData: a name may repeat (one part per array item), which a plain object cannot hold. */
function formData(fields: ReadonlyArray<[string, string]>): FormData {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  return form;
}

/**
 * Starts a test case with Playwright's request fixture against 'baseURL' (from BASE_URL in
 * playwright.config.ts). Each 'step' sends one request and runs its checks.
 */
export function apiCase(
  caseId: string,
  fixtures: CaseOptions & { request: APIRequestContext; baseURL: string | undefined },
): ApiCase {
  const send: Exchange = async (request) => {
    const body = request.body;
    const response = await fixtures.request.fetch(request.url, {
      method: request.method,
      headers: { ...request.headers },
      maxRedirects: 0,
      failOnStatusCode: false,
      ...(body && body.kind === 'multipart' ? { multipart: formData(body.fields) } : {}),
      ...(body && body.kind !== 'multipart' ? { data: body.text } : {}),
    });
    const text = await response.text();
    const headers = response.headers();
    return { status: response.status(), contentType: headers['content-type'] ?? '', headers, text };
  };
  return createCase(caseId, fixtures, () => requireBase(fixtures.baseURL), send);
}
