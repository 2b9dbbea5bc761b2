import { type ApiCase, createCase, type Incoming, type Outgoing, requireBase } from './specmint.runtime.ts';

/**
 * Starts a test case against BASE_URL. Each 'step' sends one request and checks its response; a failed
 * check throws an error naming the case, the step, what was expected and what came back.
 */
export function apiCase(caseId: string): ApiCase {
  return createCase(caseId, () => requireBase(process.env.BASE_URL), sendWithFetch);
}

async function sendWithFetch(request: Outgoing): Promise<Incoming> {
  const headers = { ...request.headers };
  const init: RequestInit = { method: request.method, headers, redirect: 'manual' };
  const body = request.body;
  if (body && body.kind === 'multipart') {
    const form = new FormData();
    for (const [name, value] of body.fields) form.append(name, value);
    init.body = form;
  } else if (body) {
    headers['Content-Type'] = body.contentType;
    init.body = body.text;
  }
  const response = await fetch(request.url, init);
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text };
}
