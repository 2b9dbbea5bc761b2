/**
 * Every format's module by name: its facts (format.ts) and its renderer. Exhaustive: a format in
 * shared/plans.ts without a module here does not compile. Adding a format: a folder `render/<format>/` with a
 * `format.ts` (its facts, also listed in formats.ts) and an `index.ts` exporting the module, one line here,
 * and its goldens.
 */
import type { Format } from '../../../shared/plans.ts';
import type { FormatModule } from './format-module.ts';
import { jestRenderer } from './jest/jest-renderer.ts';
import { jsonRenderer } from './json/json-renderer.ts';
import { k6Renderer } from './k6/index.ts';
import { playwrightRenderer } from './playwright/playwright-renderer.ts';
import { postmanRenderer } from './postman/index.ts';
import { pytestRenderer } from './pytest/index.ts';
import { sqlRenderer } from './sql/index.ts';
import { vitestRenderer } from './vitest/vitest-renderer.ts';

/** Every format's module. */
export const RENDERERS = {
  pytest: pytestRenderer,
  vitest: vitestRenderer,
  jest: jestRenderer,
  postman: postmanRenderer,
  k6: k6Renderer,
  playwright: playwrightRenderer,
  sql: sqlRenderer,
  json: jsonRenderer,
} as const satisfies Record<Format, FormatModule>;

/** The module of `format`. */
export function getRenderer(format: Format): FormatModule {
  return RENDERERS[format];
}
