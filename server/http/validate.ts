import type { Context } from 'hono';
import type * as z from 'zod';
import { ApiError } from './api-error.ts';
import { DEFAULT_BODY_LIMIT_BYTES, readBodyText } from './read-body.ts';

function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(root)', message: issue.message }));
}

function validationError(where: string, error: z.ZodError): ApiError {
  const issues = issuesOf(error);
  const summary = issues
    .slice(0, 5)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join('; ');
  return new ApiError('VALIDATION_FAILED', `Invalid ${where}: ${summary}`, { details: { issues } });
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The first string in `value` (searched depth-first) that PostgreSQL text cannot store or UTF-8 cannot
 * encode — one with U+0000 or a lone UTF-16 surrogate (`"a\ud800b"` is valid JSON) — with its path.
 */
export function findMalformedText(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') {
    return value.includes('\u0000') || LONE_SURROGATE.test(value) ? path.join('.') || '(root)' : null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const found =
        findMalformedText(key, path) === null
          ? findMalformedText(inner, [...path, key])
          : [...path, key].join('.');
      if (found !== null) return found;
    }
  }
  return null;
}

function refuseMalformedText(where: string, value: unknown): void {
  const path = findMalformedText(value);
  if (path === null) return;
  throw new ApiError(
    'VALIDATION_FAILED',
    `Invalid ${where}: ${path} contains a NUL character or an unpaired UTF-16 surrogate.`,
    { details: { issues: [{ path, message: 'contains a NUL character or an unpaired surrogate' }] } },
  );
}

/**
 * Reads and validates a JSON body: 415 unless `Content-Type: application/json`, 400 BAD_REQUEST for
 * malformed JSON, 413 beyond `limitBytes`, 400 VALIDATION_FAILED (with every issue in `details`) when the schema rejects it
 * or a string holds text that cannot be stored ({@link findMalformedText}).
 */
export async function parseJsonBody<S extends z.ZodType>(
  c: Context,
  schema: S,
  limitBytes: number = DEFAULT_BODY_LIMIT_BYTES,
): Promise<z.output<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the body as JSON with Content-Type: application/json.',
    );
  }
  const text = await readBodyText(c, limitBytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError('BAD_REQUEST', 'The request body is not valid JSON.');
  }
  refuseMalformedText('request body', value);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError('request body', parsed.error);
  return parsed.data;
}

/** Validates the query string (single values only) against `schema`; 400 VALIDATION_FAILED otherwise. */
export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const query = c.req.query();
  refuseMalformedText('query', query);
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw validationError('query', parsed.error);
  return parsed.data;
}
