import { isRecord } from '../spec/json-pointer.ts';
import { appendPointer, type BuildContext, resolveObject } from './context.ts';

/**
 * Example values of a parameter, media type or header: `example` first, then each `examples.<name>.value`
 * (Example Objects may be `$ref`s; `externalValue` is not fetched).
 * @see https://spec.openapis.org/oas/v3.1.0#example-object
 */
export function collectExamples(
  ctx: BuildContext,
  holder: Record<string, unknown>,
  pointer: string,
): unknown[] {
  const values: unknown[] = [];
  if (holder.example !== undefined) values.push(holder.example);
  if (isRecord(holder.examples)) {
    for (const [name, example] of Object.entries(holder.examples)) {
      const located = resolveObject(ctx, example, appendPointer(appendPointer(pointer, 'examples'), name));
      if (located && 'value' in located.value) values.push(located.value.value);
    }
  }
  return values;
}
