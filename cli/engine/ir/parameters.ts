import { isRecord } from '../spec/json-pointer.ts';
import { appendPointer, type BuildContext, type Located, resolveObject, warn } from './context.ts';
import { collectExamples } from './examples.ts';
import type { SchemaNormaliser } from './schema-normaliser.ts';
import type { IrParameter, JsonSchema, ParameterLocation, ParameterStyle } from './types.ts';

const LOCATIONS: readonly string[] = ['path', 'query', 'header', 'cookie'];
const STYLES: readonly string[] = [
  'matrix',
  'label',
  'form',
  'simple',
  'spaceDelimited',
  'pipeDelimited',
  'deepObject',
];
/** Header parameters the spec says to ignore (they are set from other fields). */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

/** The parameter lists of a path item and of one of its operations, with their pointers. */
export interface ParameterSources {
  pathItem: { list: unknown; pointer: string };
  operation: { list: unknown; pointer: string };
}

/**
 * Path-item and operation parameters merged (the operation's win on name + location), `$ref`s resolved,
 * style/explode defaults applied.
 * @see https://spec.openapis.org/oas/v3.1.0#parameter-object
 */
export function buildParameters(
  ctx: BuildContext,
  schemas: SchemaNormaliser,
  sources: ParameterSources,
): IrParameter[] {
  const fromPathItem = collect(ctx, sources.pathItem.list, sources.pathItem.pointer);
  const fromOperation = collect(ctx, sources.operation.list, sources.operation.pointer);
  const merged: Located[] = [
    ...[...fromPathItem.entries()].filter(([key]) => !fromOperation.has(key)).map(([, p]) => p),
    ...fromOperation.values(),
  ];
  const result: IrParameter[] = [];
  for (const located of merged) {
    const parameter = buildParameter(ctx, schemas, located);
    if (parameter) result.push(parameter);
  }
  return result;
}

/** Parameters of one list by `in:name` (header names case-insensitive); duplicates warn, the first stays. */
function collect(ctx: BuildContext, list: unknown, pointer: string): Map<string, Located> {
  const byKey = new Map<string, Located>();
  if (!Array.isArray(list)) return byKey;
  list.forEach((item, i) => {
    const located = resolveObject(ctx, item, `${pointer}/${i}`);
    if (!located) return;
    const { name, in: location } = located.value;
    // Already reported by the loader's structure check.
    if (
      typeof name !== 'string' ||
      name === '' ||
      typeof location !== 'string' ||
      !LOCATIONS.includes(location)
    )
      return;
    const key = `${location}:${location === 'header' ? name.toLowerCase() : name}`;
    if (byKey.has(key)) {
      warn(ctx, {
        code: 'DUPLICATE_PARAMETER',
        pointer: located.pointer,
        message: `parameter '${name}' in ${location} is defined twice; the first one is used`,
      });
      return;
    }
    byKey.set(key, located);
  });
  return byKey;
}

function buildParameter(
  ctx: BuildContext,
  schemas: SchemaNormaliser,
  { value: p, pointer }: Located,
): IrParameter | undefined {
  const name = p.name as string;
  const location = p.in as ParameterLocation;
  if (location === 'header' && IGNORED_HEADERS.has(name.toLowerCase())) {
    warn(ctx, {
      severity: 'info',
      code: 'HEADER_PARAMETER_IGNORED',
      pointer,
      message: `header parameter '${name}' is ignored (OpenAPI sets it from content types or security schemes)`,
    });
    return undefined;
  }
  const defaultStyle: ParameterStyle = location === 'query' || location === 'cookie' ? 'form' : 'simple';
  let style: ParameterStyle = defaultStyle;
  if (typeof p.style === 'string') {
    if (STYLES.includes(p.style)) style = p.style as ParameterStyle;
    else
      warn(ctx, {
        code: 'PARAMETER_STYLE_INVALID',
        pointer: appendPointer(pointer, 'style'),
        message: `unknown style '${p.style}'; using ${defaultStyle}`,
      });
  }
  const parameter: IrParameter = {
    name,
    in: location,
    required: location === 'path' ? true : p.required === true,
    style,
    explode: typeof p.explode === 'boolean' ? p.explode : style === 'form',
    allowReserved: p.allowReserved === true,
    schema: {},
    examples: collectExamples(ctx, p, pointer),
    deprecated: p.deprecated === true,
  };
  if (typeof p.description === 'string') parameter.description = p.description;
  if (p.schema !== undefined) {
    parameter.schema = schemas.normalise(p.schema, appendPointer(pointer, 'schema'));
  } else if (isRecord(p.content)) {
    const [contentType, media] = Object.entries(p.content)[0] ?? [];
    if (contentType !== undefined && isRecord(media)) {
      const at = appendPointer(appendPointer(pointer, 'content'), contentType);
      parameter.contentType = contentType;
      parameter.schema =
        media.schema === undefined
          ? ({} as JsonSchema)
          : schemas.normalise(media.schema, appendPointer(at, 'schema'));
      parameter.examples.push(...collectExamples(ctx, media, at));
    }
  }
  return parameter;
}
