/**
 * The `jest` format: plain modern JavaScript in CommonJS, so Jest runs it with no transform and no
 * `--experimental-vm-modules` flag (Jest's ESM support is still experimental); JSDoc types document the
 * runtime. Same runtime and checks as the vitest format.
 * @see https://jestjs.io/docs/getting-started
 */
import type { TestPlan } from '../../plan/types.ts';
import type { FormatModule } from '../format-module.ts';
import type { JsDialect, ProjectContext } from '../js-common/dialect.ts';
import { jsString } from '../js-common/js-literal.ts';
import { headerComment } from '../js-common/naming.ts';
import { suitePackageJson } from '../js-common/project-files.ts';
import { renderJsSuite } from '../js-common/render-suite.ts';
import type { RenderedFile, RenderOptions, RenderResult } from '../types.ts';
import { jestFormat } from './format.ts';

function jestConfig(options: RenderOptions): string {
  return [
    headerComment(options),
    '// Reports (reports/junit.xml, reports/coverage.json): with CI set or SPECMINT_REPORTS=1, never with SPECMINT_REPORTS=0.',
    "const flag = (name) => !['', '0', 'false', 'no', 'off'].includes((process.env[name] ?? '').trim().toLowerCase());",
    "const reports = (process.env.SPECMINT_REPORTS ?? '').trim() !== '' ? flag('SPECMINT_REPORTS') : flag('CI');",
    '',
    "/** @type {import('jest').Config} */",
    'module.exports = {',
    "  testEnvironment: 'node',",
    "  testMatch: ['<rootDir>/tests/**/*.test.js'],",
    '  testTimeout: 30000,',
    '  // Check SPECMINT_CHECKS, call the beforeRun and afterRun hooks, print the summary, write coverage.json.',
    "  globalSetup: '<rootDir>/specmint.setup.js',",
    "  globalTeardown: '<rootDir>/specmint.teardown.js',",
    '  reporters: reports',
    "    ? ['default', ['jest-junit', { outputDirectory: '<rootDir>/reports', outputName: 'junit.xml' }]]",
    "    : ['default'],",
    '};',
    '',
  ].join('\n');
}

function projectFiles({ plan, options }: ProjectContext): RenderedFile[] {
  return [
    {
      path: 'package.json',
      contents: suitePackageJson(plan, {
        type: 'commonjs',
        test: 'jest',
        devDependencies: {
          ajv: '^8.17.1',
          'ajv-formats': '^3.0.1',
          jest: '^30.0.0',
          'jest-junit': '^17.0.0',
        },
      }),
    },
    { path: 'jest.config.js', contents: jestConfig(options) },
    { path: '.gitignore', contents: 'node_modules/\nreports/\n' },
  ];
}

/** Jest has no test tags: categories go into the test name as `@category`, for `jest -t`. */
export const JEST_DIALECT: JsDialect = {
  format: 'jest',
  language: 'js',
  transport: 'fetch',
  testSuffix: '.test.js',
  imports: (runtime, names) => [`const { ${names.join(', ')} } = require(${jsString(runtime)});`],
  describe: 'describe',
  testOpen: ({ name, tags }) =>
    `test(${jsString(`${name} ${tags.map((t) => `@${t}`).join(' ')}`)}, async () => {`,
  caseStart: (caseId, options) => `const api = apiCase(${jsString(caseId)}, { ${options.join(', ')} });`,
  projectFiles,
  readme: {
    runner: 'Jest',
    filterExample: 'npx jest -t @negative',
    junit: '`jest-junit`',
    setupFiles: '`specmint.setup.js`, `specmint.teardown.js`',
    notes: ['', 'Plain JavaScript (CommonJS): no build step or transform is needed.'],
  },
};

/** Renders the plan as a Jest suite. */
export function renderJest(plan: TestPlan, options: RenderOptions): RenderResult {
  return renderJsSuite(plan, options, JEST_DIALECT);
}

/** The `jest` format. */
export const jestRenderer: FormatModule = { ...jestFormat, render: renderJest };
