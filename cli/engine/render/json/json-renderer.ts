/**
 * The `json` format: the test plan itself, as canonical JSON, for tools of your own.
 */
import type { TestPlan } from '../../plan/types.ts';
import type { FormatModule } from '../format-module.ts';
import { headerLines } from '../js-common/naming.ts';
import { envVarTable, markdownText } from '../js-common/readme.ts';
import type { RenderOptions, RenderResult } from '../types.ts';
import { canonicalJson } from './canonical-json.ts';
import { jsonFormat } from './format.ts';

function readme(plan: TestPlan, options: RenderOptions): string {
  const steps = plan.cases.reduce((n, c) => n + c.steps.length, 0);
  return [
    `# ${markdownText(`${plan.api.title} ${plan.api.version}`)} — test plan (JSON)`,
    '',
    ...headerLines(options).map((line) => `> ${markdownText(line)}`),
    '',
    `\`test-plan.json\` is the complete test plan (plan version ${plan.planVersion}, seed ${plan.seed}):`,
    `${plan.operations.length} operations, ${plan.cases.length} cases, ${steps} HTTP steps. Each step is a fully`,
    'serialised request (path parts, query pairs, headers, cookies, body, auth mode) with the statuses it',
    'expects; `operations` lists every declared response and `schemas` the named JSON Schemas (2020-12) that',
    'response bodies are checked against.',
    '',
    '## Environment',
    '',
    'Nothing here runs by itself. A runner built on this plan reads the same variables as the generated',
    'suites:',
    '',
    ...envVarTable(plan),
    '',
    "Inspect it with e.g. `jq '.cases[] | {id, title}' test-plan.json`.",
    '',
  ].join('\n');
}

/** Renders the plan as `test-plan.json` plus a README. Every case is part of the file. */
export function renderJson(plan: TestPlan, options: RenderOptions): RenderResult {
  return {
    files: [
      { path: 'README.md', contents: readme(plan, options) },
      {
        path: 'test-plan.json',
        contents: canonicalJson(plan),
      },
    ],
    renderedCaseIds: plan.cases.map((c) => c.id),
    diagnostics: [],
  };
}

/** The `json` format. */
export const jsonRenderer: FormatModule = { ...jsonFormat, render: renderJson };
