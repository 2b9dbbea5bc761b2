import type { Diagnostic } from '../ir/types.ts';
import { appendPointer, isRecord } from './json-pointer.ts';
import { specErrorFrom } from './spec-error.ts';

/** The converter marks problems it worked around with this property (`warnOnly`); we turn them into warnings. */
const WARNING_PROPERTY = 'x-s2o-warning';

/**
 * Converts a Swagger 2.0 document to OpenAPI 3.0 with swagger2openapi (`patch: true` fixes small mistakes;
 * `warnOnly` reports unconvertible parts instead of failing). Warnings and the count of patches become
 * diagnostics; a conversion failure becomes a SpecError.
 * @see https://github.com/Mermade/oas-kit/blob/main/packages/swagger2openapi/README.md
 */
export async function convertSwagger2(
  document: Record<string, unknown>,
  context: { origin: string; text: string },
): Promise<{ document: Record<string, unknown>; diagnostics: Diagnostic[] }> {
  const options = {
    patch: true,
    warnOnly: true,
    anchors: true,
    // Without `text` the converter re-serialises the whole input to YAML just to keep it around.
    text: context.text,
  };
  // Why: on an internal failure the converter calls console.warn(error) (a stack trace) before rejecting.
  // Silence it for the duration of the conversion; the rejection is reported as a SpecError instead.
  const warn = console.warn;
  console.warn = () => undefined;
  let converted: { openapi: Record<string, unknown>; patches?: number };
  try {
    // The typings want a full Swagger document type; the input was checked to be `swagger: '2.0'`.
    // Loaded on first use: only Swagger 2.0 input needs the converter (and its ~30 ms of module loading).
    const { convertObj } = await import('swagger2openapi');
    converted = (await convertObj(document as never, options as never)) as unknown as typeof converted;
  } catch (error) {
    throw specErrorFrom({
      origin: context.origin,
      diagnostics: [
        {
          severity: 'error',
          code: 'SWAGGER2_CONVERSION_FAILED',
          message: `cannot convert Swagger 2.0 to OpenAPI 3.0: ${firstLine(error)}`,
          file: context.origin,
        },
      ],
      code: 'SPEC_INVALID',
      hint: 'Fix the Swagger 2.0 document (https://swagger.io/specification/v2/), or convert it to OpenAPI 3 yourself.',
    });
  } finally {
    console.warn = warn;
  }
  const diagnostics: Diagnostic[] = [];
  collectWarnings(converted.openapi, '', diagnostics, 0);
  if (converted.patches) {
    diagnostics.push({
      severity: 'info',
      code: 'SWAGGER2_PATCHED',
      message: `fixed ${converted.patches} small problem${converted.patches === 1 ? '' : 's'} while converting Swagger 2.0 to OpenAPI 3.0`,
      file: context.origin,
    });
  }
  return { document: converted.openapi, diagnostics };
}

function collectWarnings(node: unknown, pointer: string, out: Diagnostic[], depth: number): void {
  if (typeof node !== 'object' || node === null || depth > 1_000) return;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) collectWarnings(node[i], `${pointer}/${i}`, out, depth + 1);
    return;
  }
  const record = node as Record<string, unknown>;
  const warning = record[WARNING_PROPERTY];
  if (typeof warning === 'string') {
    out.push({
      severity: 'warning',
      code: 'SWAGGER2_CONVERSION',
      message: `${warning} (in the converted OpenAPI 3.0 document)`,
      pointer,
    });
    delete record[WARNING_PROPERTY];
  }
  for (const key in record)
    if (isRecord(record[key]) || Array.isArray(record[key]))
      collectWarnings(record[key], appendPointer(pointer, key), out, depth + 1);
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
