import { appendPointer, type BuildContext, resolveObject } from './context.ts';
import { buildMediaTypes } from './media-types.ts';
import type { SchemaNormaliser } from './schema-normaliser.ts';
import type { IrRequestBody } from './types.ts';

/**
 * The request body by media type (document order); `undefined` when the operation has none.
 * @see https://spec.openapis.org/oas/v3.1.0#request-body-object
 */
export function buildRequestBody(
  ctx: BuildContext,
  schemas: SchemaNormaliser,
  body: unknown,
  pointer: string,
): IrRequestBody | undefined {
  if (body === undefined) return undefined;
  const located = resolveObject(ctx, body, pointer);
  if (!located) return undefined;
  const { value, pointer: at } = located;
  const result: IrRequestBody = {
    required: value.required === true,
    contents: buildMediaTypes(ctx, schemas, value.content, appendPointer(at, 'content')),
  };
  if (typeof value.description === 'string') result.description = value.description;
  return result;
}
