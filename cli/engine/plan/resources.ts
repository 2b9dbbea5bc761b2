/**
 * Finds which operation creates the resource a path parameter names, and where the new resource's id is in
 * the creating response — from OpenAPI links first, else inferred from paths and schemas
 * (`POST /pets` creates what `/pets/{petId}` addresses; `petId` comes from the response's `id`).
 * @see https://spec.openapis.org/oas/v3.1.0#link-object
 */
import type { ApiIr, IrOperation, JsonSchema, JsonSchemaObject } from '../ir/types.ts';
import { successJsonResponse } from './statuses.ts';

/** How to obtain a value for one path parameter at run time. */
export interface Producer {
  /** The operation that creates the resource (e.g. `POST /pets`). */
  op: IrOperation;
  /** JSON pointer of the id in the producer's success response body (`/id`). */
  pointer: string;
}

/** Resolves `#/components/schemas/X` references (a bounded number of hops). */
export function resolveSchema(
  ir: Pick<ApiIr, 'schemas'>,
  schema: JsonSchema | undefined,
): JsonSchemaObject | undefined {
  let current = schema;
  for (let hops = 0; hops < 10; hops += 1) {
    if (typeof current !== 'object' || current === null) return undefined;
    if (typeof current.$ref !== 'string') return current;
    current = ir.schemas[current.$ref.slice('#/components/schemas/'.length)];
  }
  return undefined;
}

/** Top-level properties of an object schema, following refs and merging `allOf`. */
export function objectProperties(
  ir: Pick<ApiIr, 'schemas'>,
  schema: JsonSchema | undefined,
  depth = 0,
): Record<string, JsonSchema> {
  const resolved = resolveSchema(ir, schema);
  if (!resolved || depth > 5) return {};
  const merged: Record<string, JsonSchema> = {};
  for (const part of resolved.allOf ?? []) Object.assign(merged, objectProperties(ir, part, depth + 1));
  Object.assign(merged, resolved.properties ?? {});
  return merged;
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The last word of a parameter name: `issue_number` → `number`, `petId` → `id`, `team-slug` → `slug`. */
function lastWord(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return normalise(words.at(-1) ?? name);
}

/**
 * Picks the property of the created resource that a path parameter most likely refers to: the property of
 * the same name, else the one named by the parameter's last word (`{issue_number}` → `number`,
 * `{team_slug}` → `slug`, `{petId}` → `id`), else `id`. A parameter ending in "name" (`{username}`) is
 * never matched by a guess: a resource's `name` or `id` is rarely its user name.
 */
export function inferIdProperty(
  paramName: string,
  properties: Record<string, JsonSchema>,
): string | undefined {
  const names = Object.keys(properties);
  const wanted = normalise(paramName);
  const exact = names.find((n) => n === paramName) ?? names.find((n) => normalise(n) === wanted);
  if (exact) return exact;
  if (wanted.endsWith('name')) return undefined;
  const word = lastWord(paramName);
  if (word !== wanted) {
    const byWord = names.find((n) => normalise(n) === word);
    if (byWord) return byWord;
  }
  return names.includes('id') ? 'id' : undefined;
}

/** `$response.body#/id` → `/id`. */
function pointerFromExpression(expression: unknown): string | undefined {
  if (typeof expression !== 'string') return undefined;
  const match = /^\$response\.body#(\/.*)?$/.exec(expression.trim());
  return match ? (match[1] ?? '') : undefined;
}

/** The collection path a parameter's item path hangs off: `/pets/{petId}` → `/pets`. */
function collectionPath(path: string, paramName: string): string | undefined {
  const slot = `/{${paramName}}`;
  const index = path.indexOf(slot);
  if (index <= 0 && !path.startsWith(slot)) return undefined;
  return path.slice(0, index);
}

/** Looks up producers of path parameters; built once per planning run (lookups are memoised). */
export interface ProducerIndex {
  find(op: IrOperation, paramName: string): Producer | undefined;
}

/** Indexes links by target operation and creating operations by collection path. */
export function createProducerIndex(ir: ApiIr): ProducerIndex {
  const linksByTarget = new Map<
    string,
    Array<{ source: IrOperation; parameters: Record<string, unknown> }>
  >();
  const postsByPath = new Map<string, IrOperation>();
  for (const op of ir.operations) {
    if (op.method === 'post' && !postsByPath.has(op.path)) postsByPath.set(op.path, op);
    for (const response of op.responses) {
      if (!response.status.startsWith('2')) continue;
      for (const link of response.links) {
        if (!link.targetOperation) continue;
        const list = linksByTarget.get(link.targetOperation) ?? [];
        list.push({ source: op, parameters: link.parameters });
        linksByTarget.set(link.targetOperation, list);
      }
    }
  }
  const memo = new Map<string, Producer | undefined>();
  const compute = (op: IrOperation, paramName: string): Producer | undefined => {
    for (const link of linksByTarget.get(op.id) ?? []) {
      if (link.source === op) continue;
      const pointer = pointerFromExpression(link.parameters[paramName]);
      if (pointer !== undefined && pointer !== '') return { op: link.source, pointer };
    }
    const collection = collectionPath(op.path, paramName);
    if (collection === undefined) return undefined;
    const creator = postsByPath.get(collection);
    if (!creator || creator === op) return undefined;
    const success = successJsonResponse(creator);
    if (!success?.media?.schema) return undefined;
    const property = inferIdProperty(paramName, objectProperties(ir, success.media.schema));
    return property
      ? { op: creator, pointer: `/${property.replace(/~/g, '~0').replace(/\//g, '~1')}` }
      : undefined;
  };
  return {
    find(op, paramName) {
      const key = `${op.id}\u0000${paramName}`;
      if (!memo.has(key)) memo.set(key, compute(op, paramName));
      return memo.get(key);
    },
  };
}
