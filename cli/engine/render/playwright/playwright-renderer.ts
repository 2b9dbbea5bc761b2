/**
 * The `playwright` format: Playwright Test API tests using the `request` fixture (APIRequestContext) —
 * no browser needed. Same runtime and checks as the vitest format, with Playwright as the transport.
 * @see https://playwright.dev/docs/api-testing
 */
import type { TestPlan } from '../../plan/types.ts';
import type { FormatModule } from '../format-module.ts';
import type { JsDialect, ProjectContext } from '../js-common/dialect.ts';
import { jsString, toJsLiteral } from '../js-common/js-literal.ts';
import { headerComment } from '../js-common/naming.ts';
import { suitePackageJson, suiteTsconfig } from '../js-common/project-files.ts';
import { renderJsSuite } from '../js-common/render-suite.ts';
import type { RenderedFile, RenderOptions, RenderResult } from '../types.ts';
import { REPORTS_SWITCH } from '../vitest/vitest-renderer.ts';
import { playwrightFormat } from './format.ts';

function playwrightConfig(options: RenderOptions): string {
  return [
    headerComment(options),
    "import { defineConfig } from '@playwright/test';",
    '',
    ...REPORTS_SWITCH,
    '',
    'export default defineConfig({',
    "  testDir: './tests',",
    '  timeout: 30_000,',
    '  // Checks SPECMINT_CHECKS, calls the beforeRun and afterRun hooks, prints the summary, writes coverage.json.',
    "  globalSetup: './specmint.setup.ts',",
    "  reporter: reports ? [['list'], ['junit', { outputFile: 'reports/junit.xml' }]] : [['list']],",
    '  use: {',
    '    // The API under test; the tests add each path to it.',
    '    baseURL: process.env.BASE_URL,',
    '  },',
    '});',
    '',
  ].join('\n');
}

function projectFiles({ plan, options }: ProjectContext): RenderedFile[] {
  return [
    {
      path: 'package.json',
      contents: suitePackageJson(plan, {
        type: 'module',
        test: 'playwright test',
        devDependencies: {
          '@playwright/test': '^1.65.0',
          '@types/node': '^20.0.0',
          ajv: '^8.17.1',
          'ajv-formats': '^3.0.1',
        },
      }),
    },
    { path: 'playwright.config.ts', contents: playwrightConfig(options) },
    { path: 'tsconfig.json', contents: suiteTsconfig(['node']) },
    { path: '.gitignore', contents: 'node_modules/\ntest-results/\nplaywright-report/\nreports/\n' },
  ];
}

/** Playwright specifics for the shared JS core: tags as `@category`, the `request` fixture. */
export const PLAYWRIGHT_DIALECT: JsDialect = {
  format: 'playwright',
  language: 'ts',
  transport: 'playwright',
  testSuffix: '.spec.ts',
  imports: (runtime, names) => [
    "import { test } from '@playwright/test';",
    `import { ${names.join(', ')} } from ${jsString(runtime)};`,
  ],
  describe: 'test.describe',
  testOpen: ({ name, tags }) =>
    `test(${jsString(name)}, { tag: ${toJsLiteral(tags.map((t) => `@${t}`))} }, async ({ request, baseURL }) => {`,
  caseStart: (caseId, options) =>
    `const api = apiCase(${jsString(caseId)}, { request, baseURL, ${options.join(', ')} });`,
  projectFiles,
  readme: {
    runner: 'Playwright Test',
    filterExample: 'npx playwright test --grep @negative',
    junit: "Playwright's `junit` reporter",
    setupFiles: '`specmint.setup.ts`',
    notes: ['', 'API tests only: no browser is installed or started.'],
  },
};

/** Renders the plan as a Playwright Test suite. */
export function renderPlaywright(plan: TestPlan, options: RenderOptions): RenderResult {
  return renderJsSuite(plan, options, PLAYWRIGHT_DIALECT);
}

/** The `playwright` format (registered in ../registry.ts). */
export const playwrightRenderer: FormatModule = { ...playwrightFormat, render: renderPlaywright };
