import type { Diagnostic } from '../ir/types.ts';
import { isRecord } from './json-pointer.ts';
import { specErrorFrom } from './spec-error.ts';

/** The OpenAPI family of a document. */
export type SpecFamily = '2.0' | '3.0' | '3.1';

/**
 * Reads `openapi` / `swagger` and decides whether the document is supported: Swagger 2.0, OpenAPI 3.0.x
 * and 3.1.x. Anything else throws a SpecError saying what was found.
 * @see https://spec.openapis.org/oas/v3.1.0#versions
 */
export function detectVersion(
  document: unknown,
  origin: string,
): { family: SpecFamily; sourceVersion: string } {
  const fail = (code: string, message: string, hint: string, pointer?: string): never => {
    const diagnostic: Diagnostic = { severity: 'error', code, message, file: origin, pointer };
    throw specErrorFrom({ origin, diagnostics: [diagnostic], code: `SPEC_${code}`, hint });
  };
  if (!isRecord(document)) {
    const found =
      document === null || document === undefined
        ? 'an empty document'
        : `a ${Array.isArray(document) ? 'list' : typeof document}`;
    return fail(
      'NOT_OPENAPI',
      `not an OpenAPI document: found ${found} instead of an object with an \`openapi\` or \`swagger\` key`,
      'Pass an OpenAPI 3.x or Swagger 2.0 description (JSON or YAML) whose top level has `openapi: 3.x.y`.',
    );
  }
  const { openapi, swagger } = document;
  if (openapi === undefined && swagger === undefined) {
    return fail(
      'NOT_OPENAPI',
      'not an OpenAPI document: there is no `openapi` (3.x) or `swagger` (2.0) key at the top level',
      'Add `openapi: 3.1.0` (or the version you use) at the top level, or check that this is the right file.',
      '',
    );
  }
  if (openapi !== undefined) {
    if (typeof openapi !== 'string') {
      return fail(
        'UNSUPPORTED_VERSION',
        `\`openapi\` must be a string like "3.0.3", found ${JSON.stringify(openapi)} (${typeof openapi})`,
        'Quote the version: `openapi: "3.0.3"` (YAML reads 3.0 as a number).',
        '/openapi',
      );
    }
    const match = /^3\.([01])(\.\d+)?(-[\w.]+)?$/.exec(openapi.trim());
    if (!match) {
      return fail(
        'UNSUPPORTED_VERSION',
        `OpenAPI version "${openapi}" is not supported (supported: 2.0, 3.0.x, 3.1.x)`,
        'Use an OpenAPI 3.0.x or 3.1.x document (or Swagger 2.0).',
        '/openapi',
      );
    }
    return { family: match[1] === '1' ? '3.1' : '3.0', sourceVersion: openapi };
  }
  if (String(swagger) !== '2.0') {
    return fail(
      'UNSUPPORTED_VERSION',
      `Swagger version ${JSON.stringify(swagger)} is not supported (supported: 2.0, 3.0.x, 3.1.x)`,
      typeof swagger === 'number'
        ? 'Write the version as the string "2.0".'
        : 'Use Swagger 2.0 or OpenAPI 3.x.',
      '/swagger',
    );
  }
  return { family: '2.0', sourceVersion: '2.0' };
}
