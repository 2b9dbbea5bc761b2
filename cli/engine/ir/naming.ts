/**
 * Names derived from the spec: env var names for security schemes and identifier-safe operation ids.
 */

/**
 * UPPER_SNAKE_CASE of a security scheme key, for env var names (DESIGN.md):
 * `bearerAuth` → `BEARER_AUTH`, `api_key` → `API_KEY`, `OAuth2` → `O_AUTH2`, `petstore-auth` → `PETSTORE_AUTH`.
 * Word breaks go before an upper-case letter that follows a lower-case letter or digit, and before the last
 * capital of an acronym followed by lower case (`HTTPBasic` → `HTTP_BASIC`). A leading digit gets `_`.
 */
export function toUpperSnake(key: string): string {
  const snake = key
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z\d]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  if (snake === '') return 'API';
  return /^\d/.test(snake) ? `_${snake}` : snake;
}

/**
 * Makes a string safe as an identifier in every target language: letters, digits and `_` only (runs of other
 * characters become one `_`, trimmed at the ends), never starting with a digit (prefixed with `op_`).
 * Returns `''` when nothing usable is left.
 */
export function sanitizeIdentifier(raw: string): string {
  const safe = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z\d_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (safe === '') return '';
  return /^\d/.test(safe) ? `op_${safe}` : safe;
}

/**
 * An operation id from method and path when the spec gives none: `get /pets/{petId}` → `get_pets_petId`,
 * `get /` → `get_root`.
 */
export function deriveOperationId(method: string, path: string): string {
  const rest = sanitizeIdentifier(path.replace(/[{}]/g, ''));
  return rest === '' ? `${method}_root` : `${method}_${rest.replace(/^op_/, '')}`;
}

/** `base`, or `base_2`, `base_3`… — the first not in `taken` (which it is added to). */
export function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}
