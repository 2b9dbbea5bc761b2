/**
 * One format rendered from the plan, its files placed under the format's folder (pipeline.ts renders the
 * formats with it, one after another). Pure.
 */
import type { Format } from '../../shared/plans.ts';
import { InputError } from '../errors.ts';
import type { TestPlan } from './plan/types.ts';
import type { FormatOutput } from './ports.ts';
import { getRenderer } from './render/registry.ts';
import type { RenderOptions } from './render/types.ts';

/** The files of `format` for `plan`, with paths under `<format>/`. */
export function renderFormat(format: Format, plan: TestPlan, options: RenderOptions): FormatOutput {
  const result = renderOne(format, plan, options);
  return {
    format,
    // `...file` keeps `once` (a hooks file the user owns once it exists) for the output port.
    files: result.files.map((file) => ({ ...file, path: `${format}/${file.path}` })),
    renderedCases: result.renderedCaseIds.length,
    diagnostics: result.diagnostics,
  };
}

function renderOne(format: Format, plan: TestPlan, options: RenderOptions) {
  try {
    return getRenderer(format).render(plan, options);
  } catch (error) {
    // V8 cannot hold a string past ~512 MB. The JSON plan and the Postman collection are kept in parts
    // when that large (render/common/file-text.ts); a source file of that size in another format (one
    // tag's test file) is no use to anyone anyway.
    if (error instanceof RangeError && /Invalid string length/.test(error.message)) {
      throw new InputError(
        `The ${format} output for ${plan.cases.length} test cases is too large to write as one file.`,
        {
          code: 'OUTPUT_TOO_LARGE',
          hint: 'Generate it in parts with --tags or --operations, or leave this format out with --format.',
          cause: error,
        },
      );
    }
    throw error;
  }
}
