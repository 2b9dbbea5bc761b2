import { escapeToken, unescapeToken } from '../spec/json-pointer.ts';

/** Prefix of every `$ref` in IR schemas. */
export const SCHEMA_REF_PREFIX = '#/components/schemas/';

/**
 * The IR `$ref` of a named schema: `#/components/schemas/<name>` with the name escaped as a JSON pointer
 * token (`/` → `~1`, `~` → `~0`; most names need neither).
 */
export function schemaRef(name: string): string {
  return SCHEMA_REF_PREFIX + escapeToken(name);
}

/** The key in `ApiIr.schemas` an IR `$ref` points to, or `undefined` if it is not of that form. */
export function schemaNameFromRef(ref: string): string | undefined {
  if (!ref.startsWith(SCHEMA_REF_PREFIX)) return undefined;
  const token = ref.slice(SCHEMA_REF_PREFIX.length);
  return token.includes('/') ? undefined : unescapeToken(token);
}
