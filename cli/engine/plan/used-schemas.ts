/**
 * The named schemas a set of operations uses: those their parameters, request bodies, responses and
 * response headers reference, directly or through other named schemas. The plan carries only these, so an
 * API's unused definitions (GitHub's 344 webhook payloads and leftovers) cost neither planning time nor
 * output size, and a suite filtered by tag holds only its own schemas.
 */
import { refName } from '../data/resolve.ts';
import type { ApiIr, IrOperation, JsonSchema } from '../ir/types.ts';

/** Names of the schemas in `ir.schemas` that `operations` reference, transitively, in `ir.schemas` order. */
export function usedSchemaNames(ir: Pick<ApiIr, 'schemas'>, operations: readonly IrOperation[]): string[] {
  const found = new Set<string>();
  const pending: string[] = [];
  const seen = new WeakSet<object>();
  const walk = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    for (const key in value) {
      const item = (value as Record<string, unknown>)[key];
      if (key === '$ref' && typeof item === 'string') {
        const name = refName(item);
        if (name !== undefined && !found.has(name) && Object.hasOwn(ir.schemas, name)) {
          found.add(name);
          pending.push(name);
        }
      } else walk(item);
    }
  };
  const walkSchema = (schema: JsonSchema | undefined): void => walk(schema);
  for (const op of operations) {
    for (const parameter of op.parameters) walkSchema(parameter.schema);
    for (const content of op.requestBody?.contents ?? []) walkSchema(content.schema);
    for (const response of op.responses) {
      for (const content of response.contents) walkSchema(content.schema);
      for (const header of Object.values(response.headers)) walkSchema(header.schema);
    }
  }
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) walkSchema(ir.schemas[name]);
  return Object.keys(ir.schemas).filter((name) => found.has(name));
}
