/**
 * The explicit map of output formats to renderers. Adding a format: create `render/<format>/`, export a
 * `Renderer`, register it here.
 */

import type { Format } from '../../../shared/plans.ts';
import { EXIT, SpecMintError } from '../../errors.ts';
import { jestRenderer } from './jest/jest-renderer.ts';
import { jsonRenderer } from './json/json-renderer.ts';
import { k6Renderer } from './k6/index.ts';
import { playwrightRenderer } from './playwright/playwright-renderer.ts';
import { postmanRenderer } from './postman/index.ts';
import { pytestRenderer } from './pytest/index.ts';
import { sqlRenderer } from './sql/index.ts';
import type { Renderer } from './types.ts';
import { vitestRenderer } from './vitest/vitest-renderer.ts';

/** Every available renderer by format. */
export const RENDERERS: { [F in Format]?: Renderer } = {
  json: jsonRenderer,
  vitest: vitestRenderer,
  jest: jestRenderer,
  playwright: playwrightRenderer,
  pytest: pytestRenderer,
  postman: postmanRenderer,
  k6: k6Renderer,
  sql: sqlRenderer,
};

/** The renderer for `format`; throws an internal error (exit 70) when none is registered. */
export function getRenderer(format: Format): Renderer {
  const renderer = RENDERERS[format];
  if (!renderer) {
    throw new SpecMintError(`No renderer is registered for format "${format}".`, EXIT.INTERNAL, {
      code: 'RENDERER_MISSING',
      hint: 'This is a bug in SpecMint: every format in shared/plans.ts needs a renderer in render/registry.ts.',
    });
  }
  return renderer;
}
