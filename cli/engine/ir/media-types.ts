import { isRecord } from '../spec/json-pointer.ts';
import { appendPointer, type BuildContext, entriesOf } from './context.ts';
import { collectExamples } from './examples.ts';
import type { SchemaNormaliser } from './schema-normaliser.ts';
import type { IrEncoding, IrMediaType } from './types.ts';

/**
 * The media types of a `content` map, in document order.
 * @see https://spec.openapis.org/oas/v3.1.0#media-type-object
 */
export function buildMediaTypes(
  ctx: BuildContext,
  schemas: SchemaNormaliser,
  content: unknown,
  pointer: string,
): IrMediaType[] {
  const list: IrMediaType[] = [];
  for (const [mediaType, media] of entriesOf(content)) {
    if (!isRecord(media)) continue;
    const at = appendPointer(pointer, mediaType);
    const item: IrMediaType = { mediaType, examples: collectExamples(ctx, media, at) };
    if (media.schema !== undefined)
      item.schema = schemas.normalise(media.schema, appendPointer(at, 'schema'));
    if (isRecord(media.encoding)) {
      const encoding: Record<string, IrEncoding> = {};
      for (const [property, value] of Object.entries(media.encoding)) {
        const written: IrEncoding = {};
        if (isRecord(value)) {
          if (typeof value.contentType === 'string') written.contentType = value.contentType;
          if (typeof value.style === 'string') written.style = value.style;
          if (typeof value.explode === 'boolean') written.explode = value.explode;
        }
        encoding[property] = written;
      }
      item.encoding = encoding;
    }
    list.push(item);
  }
  return list;
}
