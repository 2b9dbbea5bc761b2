/**
 * The files of a JS-family suite around its tests: the user's hooks file (`hooks.ts`, `hooks.js` for jest),
 * written once and never overwritten, and the global setup that starts and ends a run (checks chosen, the
 * beforeRun and afterRun hooks, the end-of-run summary and reports/coverage.json).
 */
import type { RenderedFile, RenderOptions } from '../types.ts';
import type { JsDialect } from './dialect.ts';
import { headerComment } from './naming.ts';

/** The hook functions, each with what it is for (docs/checks.md, "Hooks"). */
const HOOKS: Array<{ name: string; params: Array<[string, string]>; doc: string }> = [
  {
    name: 'beforeRun',
    params: [],
    doc: 'Once, before the first test: set up data, log in and keep a token (what you set in process.env reaches the tests).',
  },
  {
    name: 'beforeRequest',
    params: [['request', 'Outgoing']],
    doc: 'Before each request: add or change headers, sign the request, change the URL or body (`request.method`, `.url`, `.headers`, `.body.text`).',
  },
  {
    name: 'afterResponse',
    params: [
      ['request', 'Outgoing'],
      ['response', 'Incoming'],
    ],
    doc: 'After each response, before its checks: read values (`response.status`, `.headers`, `.text`), record what was created (for clean-up).',
  },
  {
    name: 'afterFailure',
    params: [
      ['testId', 'string'],
      ['error', 'Error'],
    ],
    doc: 'After a test fails (`testId` is its case id): clean up what a flow created before it failed part-way.',
  },
  { name: 'afterRun', params: [], doc: 'Once, after the last test: clean up.' },
];

function wrapDoc(text: string, indent: string, width = 110): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + 3 + line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines.map((l) => `${indent} * ${l}`);
}

/** `hooks.ts` (`hooks.js` for jest): the user's file, written once (`once`), never overwritten or deleted. */
export function renderHooksFile(dialect: JsDialect, options: RenderOptions): RenderedFile {
  const ts = dialect.language === 'ts';
  const header = headerComment(options)
    .split('\n')
    .map((line) => line.replace(/ — do not edit$/, ' — yours to edit'))
    .join('\n');
  const lines = [
    header,
    '/*',
    ' * Your hooks. SpecMint writes this file once and never changes or deletes it: edit it freely.',
    ' * The suite calls each function exported here (leave out any you do not need; each may be async). A hook',
    ' * that throws fails the test it ran for, naming the hook.',
    ' */',
  ];
  if (ts) lines.push("import type { Incoming, Outgoing } from './specmint.runtime.ts';");
  for (const hook of HOOKS) {
    const params = hook.params.map(([name, type]) => (ts ? `_${name}: ${type}` : `_${name}`));
    lines.push('', '/**', ...wrapDoc(hook.doc, ''));
    if (!ts) {
      for (const [name, type] of hook.params) {
        const typeText = ['Outgoing', 'Incoming'].includes(type)
          ? `import('./specmint.runtime.js').${type}`
          : type;
        lines.push(` * @param {${typeText}} _${name}`);
      }
    }
    lines.push(' */');
    const returns = ts ? ': Promise<void>' : '';
    const exported = ts ? 'export async function' : 'async function';
    lines.push(`${exported} ${hook.name}(${params.join(', ')})${returns} {}`);
  }
  if (!ts) {
    lines.push('', `module.exports = { ${HOOKS.map((hook) => hook.name).join(', ')} };`);
  }
  return { path: `hooks.${dialect.language}`, contents: `${lines.join('\n')}\n`, once: true };
}

/** The global setup (and, for jest, teardown) files that start and end a run. */
export function renderRunFiles(dialect: JsDialect, options: RenderOptions): RenderedFile[] {
  const header = headerComment(options);
  const what =
    '// Starts and ends a run: checks SPECMINT_CHECKS / SPECMINT_EXCLUDE_CHECKS, calls the beforeRun and afterRun\n' +
    '// hooks, prints the summary and, with CI or SPECMINT_REPORTS=1, writes reports/coverage.json.';
  if (dialect.format === 'jest') {
    return [
      {
        path: 'specmint.setup.js',
        contents: [
          header,
          "// Jest's globalSetup (jest.config.js); specmint.teardown.js ends the run.",
          what,
          "const { startRun } = require('./specmint.runtime.js');",
          '',
          '/** @param {unknown} _globalConfig @param {{ rootDir: string }} projectConfig */',
          'module.exports = async function setup(_globalConfig, projectConfig) {',
          "  await startRun(projectConfig.rootDir, 'jest');",
          '};',
          '',
        ].join('\n'),
      },
      {
        path: 'specmint.teardown.js',
        contents: [
          header,
          "// Jest's globalTeardown (jest.config.js): ends the run specmint.setup.js started.",
          "const { finishRun } = require('./specmint.runtime.js');",
          '',
          'module.exports = async function teardown() {',
          '  await finishRun();',
          '};',
          '',
        ].join('\n'),
      },
    ];
  }
  const playwright = dialect.format === 'playwright';
  return [
    {
      path: 'specmint.setup.ts',
      contents: [
        header,
        playwright
          ? "// Playwright's globalSetup (playwright.config.ts); the function it returns is the global teardown."
          : "// Vitest's globalSetup (vitest.config.ts); the function it returns is the global teardown.",
        what,
        ...(playwright
          ? ["import { dirname } from 'node:path';", "import type { FullConfig } from '@playwright/test';"]
          : []),
        "import { finishRun, startRun } from './specmint.runtime.ts';",
        '',
        playwright
          ? 'export default async function setup(config: FullConfig): Promise<() => Promise<void>> {'
          : 'export default async function setup(project: { config: { root: string } }): Promise<() => Promise<void>> {',
        playwright
          ? "  await startRun(config.configFile ? dirname(config.configFile) : config.rootDir, 'playwright');"
          : "  await startRun(project.config.root, 'vitest');",
        '  return finishRun;',
        '}',
        '',
      ].join('\n'),
    },
  ];
}
