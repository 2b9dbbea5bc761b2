/**
 * The facts of every format, by name: what help text, `specmint formats`, the config schema, settings
 * validation, the planner and the corpus validator read. Cheap to import (no renderer code), so
 * `specmint --help` can use it. Exhaustive: a format in shared/plans.ts without an entry is a type error.
 */
import { FORMATS, type Format } from '../../../shared/plans.ts';
import type { FormatInfo, FormatOption } from './format-module.ts';
import { jestFormat } from './jest/format.ts';
import { jsonFormat } from './json/format.ts';
import { k6Format } from './k6/format.ts';
import { playwrightFormat } from './playwright/format.ts';
import { postmanFormat } from './postman/format.ts';
import { pytestFormat } from './pytest/format.ts';
import { sqlFormat } from './sql/format.ts';
import { vitestFormat } from './vitest/format.ts';

/** Every format's facts. */
export const FORMAT_INFO: { readonly [F in Format]: FormatInfo & { format: F } } = {
  pytest: pytestFormat,
  vitest: vitestFormat,
  jest: jestFormat,
  postman: postmanFormat,
  k6: k6Format,
  playwright: playwrightFormat,
  sql: sqlFormat,
  json: jsonFormat,
};

/** A format option and the format it belongs to. */
export interface OwnedFormatOption extends FormatOption {
  format: Format;
}

/** Every format's options, in format order. Keys and flags are unique across formats (checked by a test). */
export function allFormatOptions(): OwnedFormatOption[] {
  return FORMATS.flatMap((format) => FORMAT_INFO[format].options.map((option) => ({ ...option, format })));
}

/** Whether any of `formats` shows the plan's sample rows (the others need none planned). */
export function usesSampleData(formats: readonly Format[]): boolean {
  return formats.some((format) => FORMAT_INFO[format].sampleData);
}

/** The default value of every format option, by key. */
export function defaultFormatOptions(): Record<string, string> {
  return Object.fromEntries(allFormatOptions().map((option) => [option.key, option.default]));
}
