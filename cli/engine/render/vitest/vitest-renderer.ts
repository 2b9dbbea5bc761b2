/**
 * The `vitest` format: a TypeScript Vitest project (global fetch, Ajv 2020 checks), one test file per tag.
 * @see https://vitest.dev/guide/
 */
import type { TestPlan } from '../../plan/types.ts';
import { CATEGORIES } from '../../plan/types.ts';
import type { FormatModule } from '../format-module.ts';
import type { JsDialect, ProjectContext } from '../js-common/dialect.ts';
import { jsString, toJsLiteral } from '../js-common/js-literal.ts';
import { headerComment } from '../js-common/naming.ts';
import { suitePackageJson, suiteTsconfig } from '../js-common/project-files.ts';
import { renderJsSuite } from '../js-common/render-suite.ts';
import type { RenderedFile, RenderOptions, RenderResult } from '../types.ts';
import { vitestFormat } from './format.ts';

/** What each tag means (shown by `vitest --list-tags`). */
export const TAG_DESCRIPTIONS: Record<string, string> = {
  contract: 'Valid requests; responses must match the declared contract',
  negative: 'Invalid input must be rejected with a declared 4xx',
  boundary: 'Values at the edges of what the schema allows',
  auth: 'Missing or wrong credentials must be rejected',
  stateful: 'Multi-step flows sharing captured values',
  ai: 'Proposed by an AI model and validated against the spec',
};

/** The config lines that decide whether reports are written (docs/checks.md, "Reports"). */
export const REPORTS_SWITCH = [
  '// Reports (reports/junit.xml, reports/coverage.json): with CI set or SPECMINT_REPORTS=1, never with SPECMINT_REPORTS=0.',
  "const flag = (name: string): boolean => !['', '0', 'false', 'no', 'off'].includes((process.env[name] ?? '').trim().toLowerCase());",
  "const reports = (process.env.SPECMINT_REPORTS ?? '').trim() !== '' ? flag('SPECMINT_REPORTS') : flag('CI');",
];

function vitestConfig(options: RenderOptions): string {
  const tags = [...CATEGORIES, 'ai'].map((name) => ({ name, description: TAG_DESCRIPTIONS[name] ?? name }));
  return [
    headerComment(options),
    "import { defineConfig } from 'vitest/config';",
    '',
    ...REPORTS_SWITCH,
    '',
    'export default defineConfig({',
    '  test: {',
    "    include: ['tests/**/*.test.ts'],",
    '    testTimeout: 30_000,',
    '    // Vite reserves BASE_URL for its own base path and overwrites it in test workers: pass the real one.',
    "    env: { BASE_URL: process.env.BASE_URL ?? '' },",
    '    // Checks SPECMINT_CHECKS, calls the beforeRun and afterRun hooks, prints the summary, writes coverage.json.',
    "    globalSetup: ['./specmint.setup.ts'],",
    "    reporters: reports ? ['default', ['junit', { outputFile: 'reports/junit.xml' }]] : ['default'],",
    `    tags: ${toJsLiteral(tags, { indent: 4 })},`,
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
        test: 'vitest run',
        devDependencies: {
          '@types/node': '^20.0.0',
          ajv: '^8.17.1',
          'ajv-formats': '^3.0.1',
          vitest: '^4.1.0',
        },
      }),
    },
    { path: 'vitest.config.ts', contents: vitestConfig(options) },
    { path: 'tsconfig.json', contents: suiteTsconfig(['node']) },
    { path: '.gitignore', contents: 'node_modules/\nreports/\n' },
  ];
}

/** Vitest specifics for the shared JS core. */
export const VITEST_DIALECT: JsDialect = {
  format: 'vitest',
  language: 'ts',
  transport: 'fetch',
  testSuffix: '.test.ts',
  imports: (runtime, names) => [
    "import { describe, test } from 'vitest';",
    `import { ${names.join(', ')} } from ${jsString(runtime)};`,
  ],
  describe: 'describe',
  testOpen: ({ name, tags }) => `test(${jsString(name)}, { tags: ${toJsLiteral(tags)} }, async () => {`,
  caseStart: (caseId, options) => `const api = apiCase(${jsString(caseId)}, { ${options.join(', ')} });`,
  projectFiles,
  readme: {
    runner: 'Vitest',
    filterExample: 'npx vitest run --tags-filter=negative',
    junit: "Vitest's `junit` reporter",
    setupFiles: '`specmint.setup.ts`',
    notes: [],
  },
};

/** Renders the plan as a Vitest suite. */
export function renderVitest(plan: TestPlan, options: RenderOptions): RenderResult {
  return renderJsSuite(plan, options, VITEST_DIALECT);
}

/** The `vitest` format (registered in ../registry.ts). */
export const vitestRenderer: FormatModule = { ...vitestFormat, render: renderVitest };
