import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from './http-io.ts';
import type { PetstoreContract } from './petstore-contract.ts';

function badRequest(code: string, message: string): HttpError {
  return new HttpError({ status: 400, code, message });
}

function singleHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Requires `Authorization: Bearer <token>` (scheme name case-insensitive).
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export function checkBearer(headers: IncomingHttpHeaders, token: string): void {
  const header = singleHeader(headers, 'authorization');
  const match = header === undefined ? null : /^Bearer +(\S+) *$/i.exec(header);
  if (match?.[1] === token) return;
  throw new HttpError({
    status: 401,
    code: 'UNAUTHORIZED',
    message: header === undefined ? 'Missing bearer token' : 'Invalid bearer token',
    headers: { 'www-authenticate': 'Bearer' },
  });
}

/** Requires the API key in header `X-API-Key` (the spec's `apiKeyAuth`). */
export function checkApiKey(headers: IncomingHttpHeaders, apiKey: string): void {
  const value = singleHeader(headers, 'x-api-key');
  if (value === apiKey) return;
  throw new HttpError({
    status: 401,
    code: 'UNAUTHORIZED',
    message: value === undefined ? 'Missing X-API-Key header' : 'Invalid API key',
  });
}

/** Options for {@link parseJsonObjectBody}. */
export interface JsonBodyInput {
  contentType: string | undefined;
  text: string;
}

/**
 * Parses a request body that must be a JSON object sent as `application/json`.
 * Schema checks come later; this only guarantees an object to work with.
 */
export function parseJsonObjectBody(input: JsonBodyInput): Record<string, unknown> {
  const mediaType = input.contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw badRequest(
      'UNSUPPORTED_CONTENT_TYPE',
      `Content-Type must be application/json (got ${input.contentType ?? 'none'})`,
    );
  }
  if (input.text.trim() === '') throw badRequest('MISSING_BODY', 'A JSON request body is required');
  let parsed: unknown;
  try {
    parsed = JSON.parse(input.text);
  } catch (error) {
    throw badRequest('INVALID_JSON', `Request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest('INVALID_BODY', 'Request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** Checks a parsed body against the operation's request schema. */
export function checkBody(contract: PetstoreContract, operationId: string, body: unknown): void {
  const problem = contract.validateRequestBody(operationId, body);
  if (problem) throw badRequest('INVALID_BODY', problem);
}

/**
 * Checks every declared query parameter that is present (unknown ones are ignored) and that required ones
 * are there; returns the raw values of the declared parameters that were sent.
 */
export function checkQuery(
  contract: PetstoreContract,
  operationId: string,
  query: URLSearchParams,
): Map<string, string> {
  const values = new Map<string, string>();
  for (const param of contract.parameters(operationId)) {
    if (param.in !== 'query') continue;
    const all = query.getAll(param.name);
    if (all.length === 0) {
      if (param.required) throw badRequest('INVALID_QUERY', `Query parameter ${param.name} is required`);
      continue;
    }
    if (all.length > 1) throw badRequest('INVALID_QUERY', `Query parameter ${param.name} must be given once`);
    const raw = all[0] ?? '';
    const problem = contract.validateParameter(operationId, param.name, raw);
    if (problem) throw badRequest('INVALID_QUERY', problem);
    values.set(param.name, raw);
  }
  return values;
}

/** Checks the `petId` path segment against its schema (integer ≥ 1) and returns it as a number. */
export function checkPetId(contract: PetstoreContract, operationId: string, raw: string): number {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw badRequest('INVALID_PATH_PARAMETER', `petId is not a valid URL segment: ${raw}`);
  }
  const problem = contract.validateParameter(operationId, 'petId', decoded);
  if (problem) throw badRequest('INVALID_PATH_PARAMETER', problem);
  return Number(decoded);
}
