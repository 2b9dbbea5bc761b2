import { isRecord } from '../spec/json-pointer.ts';
import { appendPointer, type BuildContext, entriesOf, resolveObject } from './context.ts';
import { buildMediaTypes } from './media-types.ts';
import type { SchemaNormaliser } from './schema-normaliser.ts';
import type { IrLink, IrResponse, JsonSchema } from './types.ts';

/** A link whose target operation is looked up once every operation has its IR id. */
export interface PendingLink {
  link: IrLink;
  operationId?: string;
  operationRef?: string;
  pointer: string;
}

const STATUS = /^([1-5](\d\d|XX)|default)$/i;

/**
 * Responses by status as written (`XX` upper-cased, `default` lower-cased), in document order; keys that are
 * not status codes (and `x-` extensions) are skipped.
 * @see https://spec.openapis.org/oas/v3.1.0#responses-object
 */
export function buildResponses(
  ctx: BuildContext,
  schemas: SchemaNormaliser,
  options: { responses: unknown; pointer: string; links: PendingLink[] },
): IrResponse[] {
  const list: IrResponse[] = [];
  for (const [status, raw] of entriesOf(options.responses)) {
    if (!STATUS.test(status)) continue;
    const located = resolveObject(ctx, raw, appendPointer(options.pointer, status));
    if (!located) continue;
    const { value: response, pointer } = located;
    list.push({
      status: status.toLowerCase() === 'default' ? 'default' : status.toUpperCase(),
      description: typeof response.description === 'string' ? response.description : '',
      contents: buildMediaTypes(ctx, schemas, response.content, appendPointer(pointer, 'content')),
      headers: buildHeaders(ctx, schemas, response.headers, appendPointer(pointer, 'headers')),
      links: buildLinks(ctx, response.links, appendPointer(pointer, 'links'), options.links),
    });
  }
  return list;
}

/**
 * Response headers; `Content-Type` is ignored as the spec says.
 * @see https://spec.openapis.org/oas/v3.1.0#header-object
 */
function buildHeaders(
  ctx: BuildContext,
  schemas: SchemaNormaliser,
  headers: unknown,
  pointer: string,
): Record<string, { required: boolean; schema: JsonSchema }> {
  const result: Record<string, { required: boolean; schema: JsonSchema }> = {};
  for (const [name, raw] of entriesOf(headers)) {
    if (name.toLowerCase() === 'content-type') continue;
    const located = resolveObject(ctx, raw, appendPointer(pointer, name));
    if (!located) continue;
    const { value: header, pointer: at } = located;
    let schema: JsonSchema = {};
    if (header.schema !== undefined) schema = schemas.normalise(header.schema, appendPointer(at, 'schema'));
    else if (isRecord(header.content)) {
      const [mediaType, media] = Object.entries(header.content)[0] ?? [];
      if (mediaType !== undefined && isRecord(media) && media.schema !== undefined) {
        schema = schemas.normalise(
          media.schema,
          appendPointer(appendPointer(appendPointer(at, 'content'), mediaType), 'schema'),
        );
      }
    }
    result[name] = { required: header.required === true, schema };
  }
  return result;
}

/** @see https://spec.openapis.org/oas/v3.1.0#link-object */
function buildLinks(ctx: BuildContext, links: unknown, pointer: string, pending: PendingLink[]): IrLink[] {
  const list: IrLink[] = [];
  for (const [name, raw] of entriesOf(links)) {
    const located = resolveObject(ctx, raw, appendPointer(pointer, name));
    if (!located) continue;
    const { value } = located;
    const link: IrLink = { name, parameters: isRecord(value.parameters) ? { ...value.parameters } : {} };
    if (value.requestBody !== undefined) link.requestBody = value.requestBody;
    pending.push({
      link,
      pointer: located.pointer,
      ...(typeof value.operationId === 'string' ? { operationId: value.operationId } : {}),
      ...(typeof value.operationRef === 'string' ? { operationRef: value.operationRef } : {}),
    });
    list.push(link);
  }
  return list;
}
