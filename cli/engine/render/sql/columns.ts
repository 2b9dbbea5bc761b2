/**
 * Table layout for one named schema: a column per property (plus any extra keys the rows carry), its kind
 * from the schema, checked against the rows, nullability and the primary key.
 */
import type { JsonSchema, JsonSchemaObject } from '../../ir/types.ts';
import type { ColumnKind } from './dialects.ts';

/** One column of a table. */
export interface Column {
  /** Property name (the key in the rows). */
  property: string;
  kind: ColumnKind;
  nullable: boolean;
  primaryKey: boolean;
  /** The schema's `maxLength` (when every value fits it), for VARCHAR sizing. */
  maxLength?: number;
}

const COMPONENT_PREFIX = '#/components/schemas/';
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function deref(
  schemas: Record<string, JsonSchema>,
  schema: JsonSchema | undefined,
): JsonSchemaObject | undefined {
  let node = schema;
  for (let depth = 0; depth < 20; depth++) {
    if (node === undefined || typeof node === 'boolean') return undefined;
    if (typeof node.$ref !== 'string' || !node.$ref.startsWith(COMPONENT_PREFIX)) return node;
    node = schemas[decodeURIComponent(node.$ref.slice(COMPONENT_PREFIX.length))];
  }
  return undefined;
}

/** Properties and required names of an object schema, merging `allOf` members. */
export function objectProperties(
  schemas: Record<string, JsonSchema>,
  schema: JsonSchema | undefined,
  depth = 0,
): { properties: Record<string, JsonSchema>; required: Set<string> } {
  const node = deref(schemas, schema);
  const out = { properties: {} as Record<string, JsonSchema>, required: new Set<string>() };
  if (!node || depth > 20) return out;
  for (const member of node.allOf ?? []) {
    const inner = objectProperties(schemas, member, depth + 1);
    Object.assign(out.properties, inner.properties);
    for (const name of inner.required) out.required.add(name);
  }
  Object.assign(out.properties, node.properties ?? {});
  for (const name of node.required ?? []) out.required.add(name);
  return out;
}

function declaredKind(schemas: Record<string, JsonSchema>, schema: JsonSchema | undefined) {
  const node = deref(schemas, schema);
  if (!node) return { kind: undefined, nullable: true };
  const types = (typeof node.type === 'string' ? [node.type] : (node.type ?? [])).filter((t) => t !== 'null');
  const nullable = Array.isArray(node.type) ? node.type.includes('null') : node.type === 'null';
  if (types.length !== 1) return { kind: undefined, nullable: nullable || types.length === 0 };
  const type = types[0];
  const formats: Record<string, ColumnKind> = { date: 'date', 'date-time': 'date-time', uuid: 'uuid' };
  const kinds: Record<string, ColumnKind> = { integer: 'integer', number: 'number', boolean: 'boolean' };
  if (type === 'string') return { kind: formats[String(node.format)] ?? 'string', nullable };
  return { kind: kinds[type ?? ''] ?? 'json', nullable };
}

/** Whether every value fits the kind (so the column type can hold the data). */
function fits(kind: ColumnKind, values: unknown[]): boolean {
  return values.every((value) => {
    switch (kind) {
      case 'integer':
        return typeof value === 'number' && Number.isInteger(value) && Number.isSafeInteger(value);
      case 'number':
        return typeof value === 'number' && Number.isFinite(value);
      case 'boolean':
        return typeof value === 'boolean';
      case 'string':
        return typeof value === 'string';
      case 'date':
        return (
          typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))
        );
      case 'date-time':
        return typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
      case 'uuid':
        return typeof value === 'string' && UUID.test(value);
      case 'json':
        return true;
    }
    return false;
  });
}

function inferKind(values: unknown[]): ColumnKind {
  if (values.length === 0) return 'string';
  for (const kind of ['boolean', 'integer', 'number', 'string'] as const) if (fits(kind, values)) return kind;
  return 'json';
}

/** Columns for a schema and its rows: schema properties in order, then extra row keys sorted. */
export function tableColumns(
  schemas: Record<string, JsonSchema>,
  schema: JsonSchema | undefined,
  rows: Array<Record<string, unknown>>,
): Column[] {
  const { properties, required } = objectProperties(schemas, schema);
  const extra = [...new Set(rows.flatMap((row) => Object.keys(row)))]
    .filter((key) => !(key in properties))
    .sort();
  return [...Object.keys(properties), ...extra].map((property) => {
    const present = rows.map((row) => row[property]).filter((value) => value !== undefined && value !== null);
    const declared = declaredKind(schemas, properties[property]);
    let kind = declared.kind ?? inferKind(present);
    if (!fits(kind, present)) kind = fits('string', present) ? 'string' : 'json';
    const complete = present.length === rows.length;
    const nullable = declared.nullable || !required.has(property) || !complete;
    // Uniqueness and the longest value are only worked out where they matter (both walk every value).
    const unique = () => new Set(present.map((value) => JSON.stringify(value))).size === present.length;
    const primaryKey =
      property === 'id' &&
      rows.length > 0 &&
      complete &&
      ['integer', 'string', 'uuid'].includes(kind) &&
      unique();
    const column: Column = { property, kind, nullable: nullable && !primaryKey, primaryKey };
    const declaredMax = deref(schemas, properties[property])?.maxLength;
    const longest = () => Math.max(0, ...present.map((value) => [...String(value)].length));
    if (kind === 'string' && typeof declaredMax === 'number' && longest() <= declaredMax)
      column.maxLength = declaredMax;
    return column;
  });
}
