/**
 * The runtime a JS-family suite ships, by language and transport. Its sources are real modules in runtime/:
 * specmint.runtime.ts (requests, checks, captures), values.ts (comparisons, check selection), checks.ts (the checks
 * of a response), failure.ts (a failure's text), report.ts (summary, coverage report) and the transports that define `apiCase`, fetch.ts (vitest,
 * jest) and playwright.ts; a suite gets one of them joined after the first (runtime-modules.ts). Jest suites
 * are CommonJS JavaScript: their copy, runtime/specmint.runtime.generated.js, is made from the fetch one by
 * `npm run runtimes` (scripts/runtimes.ts; a test fails when it is out of date).
 */
import { readRuntimeFile } from '../common/runtime-file.ts';
import type { JsDialect } from './dialect.ts';
import { joinModules } from './runtime-modules.ts';

/** The runtime source modules, as files (read when this module loads, never while rendering). */
export const RUNTIME_SOURCES = {
  core: {
    name: 'specmint.runtime.ts',
    text: readRuntimeFile(import.meta.url, './runtime/specmint.runtime.ts'),
  },
  values: { name: 'values.ts', text: readRuntimeFile(import.meta.url, './runtime/values.ts') },
  checks: { name: 'checks.ts', text: readRuntimeFile(import.meta.url, './runtime/checks.ts') },
  failure: { name: 'failure.ts', text: readRuntimeFile(import.meta.url, './runtime/failure.ts') },
  report: { name: 'report.ts', text: readRuntimeFile(import.meta.url, './runtime/report.ts') },
  fetch: { name: 'fetch.ts', text: readRuntimeFile(import.meta.url, './runtime/fetch.ts') },
  playwright: { name: 'playwright.ts', text: readRuntimeFile(import.meta.url, './runtime/playwright.ts') },
} as const;

/** The TypeScript runtime of a transport: the core, its parts (values, checks, failure, report), then `apiCase`. */
export function typeScriptRuntime(transport: JsDialect['transport']): string {
  return joinModules([
    RUNTIME_SOURCES.core,
    RUNTIME_SOURCES.values,
    RUNTIME_SOURCES.checks,
    RUNTIME_SOURCES.failure,
    RUNTIME_SOURCES.report,
    RUNTIME_SOURCES[transport],
  ]);
}

const RUNTIME_TEXTS: Record<`${JsDialect['language']}-${JsDialect['transport']}`, string | undefined> = {
  'ts-fetch': typeScriptRuntime('fetch'),
  'ts-playwright': typeScriptRuntime('playwright'),
  'js-fetch': readRuntimeFile(import.meta.url, './runtime/specmint.runtime.generated.js'),
  'js-playwright': undefined,
};

/** The runtime text (without the generated-by header) for a dialect. */
export function runtimeText(dialect: Pick<JsDialect, 'language' | 'transport'>): string {
  const text = RUNTIME_TEXTS[`${dialect.language}-${dialect.transport}`];
  if (text === undefined)
    throw new Error(`no ${dialect.language} runtime for the ${dialect.transport} transport`);
  return text;
}
