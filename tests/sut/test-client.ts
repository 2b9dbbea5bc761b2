import { loadPetstoreContract } from './petstore-contract.ts';

/** How a test request authenticates. */
export type TestAuth = 'bearer' | 'apiKey' | 'none';

/** Options of {@link callSut}. */
export interface CallOptions {
  method?: string;
  /** JSON-encoded and sent as application/json unless `rawBody` is given. */
  body?: unknown;
  /** Sent verbatim (with `contentType`, default application/json). */
  rawBody?: string;
  contentType?: string;
  /** @default 'bearer' */
  auth?: TestAuth;
  headers?: Record<string, string>;
}

/** A response read fully. */
export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON, or `undefined` when the body is empty. */
  body: unknown;
}

/** Credentials the SUT uses by default. */
export const DEFAULT_CREDENTIALS = { bearerToken: 'test-token', apiKey: 'test-api-key' } as const;

/** Sends one request to a running SUT with fetch. */
export async function callSut(baseUrl: string, path: string, options: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers };
  const auth = options.auth ?? 'bearer';
  if (auth === 'bearer') headers.authorization = `Bearer ${DEFAULT_CREDENTIALS.bearerToken}`;
  if (auth === 'apiKey') headers['x-api-key'] = DEFAULT_CREDENTIALS.apiKey;
  let payload: string | undefined = options.rawBody;
  if (payload === undefined && options.body !== undefined) payload = JSON.stringify(options.body);
  if (payload !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const res = await fetch(`${baseUrl}${path}`, { method: options.method ?? 'GET', headers, body: payload });
  const text = await res.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

/**
 * Why a response breaks the spec for an operation (undeclared status, body not matching the schema,
 * non-JSON content type), or `null` when it conforms.
 */
export function responseProblem(operationId: string, result: CallResult): string | null {
  if (result.text !== '') {
    const mediaType = result.headers.get('content-type')?.split(';')[0]?.trim();
    if (mediaType !== 'application/json') return `content-type is ${mediaType ?? 'missing'}`;
    if (result.body === undefined) return 'body is not JSON';
  }
  return loadPetstoreContract().validateResponse(operationId, result.status, result.body);
}

/** A NewPet using every property. */
export const FULL_PET = {
  name: 'Rex',
  species: 'dog',
  age: 3,
  weightKg: 12.5,
  status: 'available',
  tags: ['friendly', 'good-boy'],
  microchip: 'ABC-123456',
  birthDate: '2021-04-01',
} as const;
