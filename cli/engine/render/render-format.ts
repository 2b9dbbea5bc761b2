/**
 * One format rendered from a plan: what the pipeline does for each format it is asked for, on the main thread
 * or on the render helper thread (render-helper.ts). Imports the renderers and nothing that loads a spec, so
 * the helper thread compiles only what rendering needs.
 */
import type { Format } from '../../../shared/plans.ts';
import { InputError } from '../../errors.ts';
import type { TestPlan } from '../plan/types.ts';
import type { FormatOutput } from '../ports.ts';
import { getRenderer } from './registry.ts';
import type { RenderOptions } from './types.ts';

/** Renders `format`, its files' paths under the format's folder (`vitest/tests/pets.test.ts`). */
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
