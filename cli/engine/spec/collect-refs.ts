import { isRecord, toPointer } from './json-pointer.ts';

/** One `$ref` in a document and where it is. */
export interface RefSite {
  readonly ref: string;
  /** Pointer of the object holding the `$ref`. */
  readonly pointer: string;
}

/**
 * A site whose pointer is written out when first read: only a broken ref's is (GitHub's description holds
 * tens of thousands of refs, and writing every pointer out took ~50 ms).
 */
class Site implements RefSite {
  private written: string | undefined;

  constructor(
    readonly ref: string,
    private readonly tokens: ReadonlyArray<string | number>,
  ) {}

  get pointer(): string {
    this.written ??= toPointer(this.tokens);
    return this.written;
  }
}

/**
 * Keys whose value is a map from user-chosen names to objects: a child named `$ref`, `example` or `default`
 * there is a name, not a keyword.
 */
const NAME_MAPS = new Set([
  'properties',
  'patternProperties',
  'definitions',
  '$defs',
  'dependentSchemas',
  'schemas',
  'responses',
  'parameters',
  'requestBodies',
  'headers',
  'securitySchemes',
  'securityDefinitions',
  'links',
  'callbacks',
  'paths',
  'pathItems',
  'webhooks',
  'content',
  'encoding',
  'mapping',
  'variables',
  'scopes',
  'examples',
]);

/** Keys whose values are literal data, never holding references (`example`, `default`, `enum`, `const`, `x-*`). */
function isLiteralKey(key: string): boolean {
  return key === 'example' || key === 'default' || key === 'enum' || key === 'const' || key.startsWith('x-');
}

/** Deepest nesting accepted; deeper documents (or recursive YAML aliases) are rejected, not overflowed. */
export const MAX_DEPTH = 1_000;

/** Thrown by {@link collectRefs} when the document nests deeper than {@link MAX_DEPTH}. */
export class TooDeepError extends Error {
  constructor(readonly pointer: string) {
    super(`nested more than ${MAX_DEPTH} levels deep`);
  }
}

/**
 * Every `$ref` in the document, in document order, skipping literal data (examples, defaults, enums,
 * extensions). One iterative-enough walk; throws {@link TooDeepError} past {@link MAX_DEPTH}.
 */
export function collectRefs(document: unknown): RefSite[] {
  const sites: RefSite[] = [];
  walk(document, [], false, sites);
  return sites;
}

/** `path` is the stack of tokens to `node`; a copy of it is kept for each ref found (it is hot code). */
function walk(node: unknown, path: Array<string | number>, isNameMap: boolean, sites: RefSite[]): void {
  if (typeof node !== 'object' || node === null) return;
  if (path.length > MAX_DEPTH) throw new TooDeepError(toPointer(path));
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      path.push(i);
      walk(node[i], path, false, sites);
      path.pop();
    }
    return;
  }
  const record = node as Record<string, unknown>;
  if (!isNameMap && typeof record.$ref === 'string') sites.push(new Site(record.$ref, path.slice()));
  for (const key in record) {
    if (!isNameMap && (key === '$ref' || isLiteralKey(key))) continue;
    const value = record[key];
    if (typeof value !== 'object' || value === null) continue;
    // Example Objects (`examples: {name: {value}}`) hold literal data under `value`; 3.1 schema `examples` is
    // an array of literals.
    if (key === 'examples' && Array.isArray(value)) continue;
    if (key === 'value' && !isNameMap && isExampleLike(record)) continue;
    path.push(key);
    walk(value, path, !isNameMap && NAME_MAPS.has(key) && isRecord(value), sites);
    path.pop();
  }
}

/** An Example Object: has `value` and otherwise only example keywords. */
function isExampleLike(record: Record<string, unknown>): boolean {
  for (const key in record) {
    if (
      key !== 'value' &&
      key !== 'summary' &&
      key !== 'description' &&
      key !== 'externalValue' &&
      !key.startsWith('x-')
    )
      return false;
  }
  return true;
}
