/**
 * JSON pointers (RFC 6901) and `$ref` strings: escape, parse, resolve.
 * @see https://www.rfc-editor.org/rfc/rfc6901
 */

/** Escapes one reference token (`~` → `~0`, `/` → `~1`). */
export function escapeToken(token: string): string {
  if (!token.includes('~') && !token.includes('/')) return token;
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Reverses {@link escapeToken}. */
export function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Joins a parent pointer and one unescaped token: `appendPointer('/paths', '/pets')` → `/paths/~1pets`. */
export function appendPointer(pointer: string, token: string | number): string {
  return `${pointer}/${typeof token === 'number' ? token : escapeToken(token)}`;
}

/** Builds a pointer from unescaped tokens; `[]` is the whole document (`''`). */
export function toPointer(tokens: ReadonlyArray<string | number>): string {
  let pointer = '';
  for (const token of tokens) pointer = appendPointer(pointer, token);
  return pointer;
}

/** Splits a pointer into unescaped tokens; `undefined` when it does not start with `/` (and is not `''`). */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer.slice(1).split('/').map(unescapeToken);
}

/**
 * The JSON pointer of a document-internal `$ref` (`#/components/schemas/Pet` → `/components/schemas/Pet`),
 * with URI percent-encoding decoded. `undefined` for external refs (`other.yaml#/X`) and anchors (`#foo`).
 */
export function refToPointer(ref: string): string | undefined {
  if (!ref.startsWith('#')) return undefined;
  let fragment = ref.slice(1);
  if (fragment.includes('%')) {
    try {
      fragment = decodeURIComponent(fragment);
    } catch {
      // Not valid percent-encoding: the fragment is taken literally.
    }
  }
  return fragment === '' || fragment.startsWith('/') ? fragment : undefined;
}

/** Result of {@link resolvePointer}. */
export type Resolved = { found: true; value: unknown } | { found: false; missingToken: string };

/** Looks a pointer up in a document. Array tokens must be decimal indexes. */
export function resolvePointer(document: unknown, pointer: string): Resolved {
  const tokens = parsePointer(pointer);
  if (tokens === undefined) return { found: false, missingToken: pointer };
  let node: unknown = document;
  for (const token of tokens) {
    if (Array.isArray(node)) {
      if (!/^(0|[1-9]\d*)$/.test(token) || Number(token) >= node.length)
        return { found: false, missingToken: token };
      node = node[Number(token)];
    } else if (isRecord(node) && Object.hasOwn(node, token)) {
      node = node[token];
    } else {
      return { found: false, missingToken: token };
    }
  }
  return { found: true, value: node };
}

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
