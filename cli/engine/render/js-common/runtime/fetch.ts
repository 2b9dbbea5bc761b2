import {
  type ApiCase,
  type CaseOptions,
  createCase,
  type Incoming,
  type Outgoing,
  requireBase,
} from './specmint.runtime.ts';

/**
 * Starts a test case against BASE_URL. Each 'step' sends one request and runs its checks; a step that fails
 * throws with every check that failed, the request, the response and a curl line.
 */
export function apiCase(caseId: string, options: CaseOptions = {}): ApiCase {
  return createCase(caseId, options, () => requireBase(process.env.BASE_URL), sendWithFetch);
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
    init.body = body.text;
  }
  const response = await fetch(request.url, init);
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    headers: Object.fromEntries(response.headers),
    text,
  };
}
