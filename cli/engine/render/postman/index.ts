/**
 * The `postman` format: a Postman Collection v2.1 with a folder per tag, in it a folder per table of cases
 * (one request per row) and a sub-folder per multi-step flow; one request per step, whose Tests tab names its
 * checks; credentials at collection level; plus the run script (summary, reports), the hooks environment (created
 * once) and a README.
 * @see https://schema.postman.com/collection/json/v2.1.0/draft-07/docs/index.html
 */
import type { PlanOperation, TestCase, TestPlan } from '../../plan/types.ts';
import {
  commentLines,
  credentialEnvVars,
  groupBy,
  headerText,
  partitionSupported,
} from '../common/case-support.ts';
import { type CaseGroup, groupCaseTables } from '../common/case-tables.ts';
import { LazyArray, prettyJson } from '../common/file-text.ts';
import { readRuntimeFile } from '../common/runtime-file.ts';
import type { FormatModule } from '../format-module.ts';
import type { RenderOptions, RenderResult } from '../types.ts';
import { collectionAuth } from './auth.ts';
import { collectionPrerequestScript, collectionTestScript } from './collection-script.ts';
import { postmanFormat } from './format.ts';
import { postmanReadme } from './readme.ts';
import { type PostmanItem, stepItem } from './request-item.ts';

/** The v2.1 schema URL every collection declares in `info.schema`. */
export const POSTMAN_SCHEMA_URL = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

/** The script that runs the collection with newman and prints the summary (runtime/node/specmint-run.mjs). */
export const RUN_SCRIPT = readRuntimeFile(import.meta.url, './runtime/node/specmint-run.mjs');

/** The run script's file name in the suite's folder. */
export const RUN_SCRIPT_FILE = 'specmint-run.mjs';

/** The hooks file: an environment the user owns (created once, never overwritten). */
export const HOOKS_FILE = 'hooks.postman_environment.json';

/** Kebab-case file name stem from the API title. */
export function fileStem(title: string): string {
  const stem = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return stem === '' ? 'api' : stem.slice(0, 80);
}

function caseDescription(testCase: TestCase): string {
  const lines = [`Category: ${testCase.category}`, testCase.title];
  if (testCase.ai)
    lines.push(`AI-generated (${testCase.ai.provider} ${testCase.ai.model}), validated by SpecMint`);
  return lines.join('\n\n');
}

interface RenderContext {
  plan: TestPlan;
  operations: ReadonlyMap<string, PlanOperation>;
  inheritedAuth: string | undefined;
}

function caseItem(context: RenderContext, testCase: TestCase): PostmanItem {
  const items = testCase.steps.map((step, index) =>
    stepItem({
      plan: context.plan,
      testCase,
      index,
      operation: context.operations.get(step.operationId)!,
      inheritedAuth: context.inheritedAuth,
    }),
  );
  if (items.length === 1) return { ...items[0]!, description: caseDescription(testCase) };
  // A flow is an ordered folder: newman runs its requests in order, sharing captured variables.
  return { name: `${testCase.id} · ${testCase.title}`, description: caseDescription(testCase), item: items };
}

/** A single case as its item; a table as a folder with one item per row (each named by its case). */
function groupItem(context: RenderContext, group: CaseGroup): PostmanItem {
  if (group.kind === 'single') return caseItem(context, group.case);
  const { template, rows } = group;
  const operation = context.operations.get(template.operationId)!;
  return {
    name: `${template.operationId} · ${template.category} · ${rows.length} cases`,
    description: `${operation.method} ${operation.path}: ${rows.length} ${template.category} cases that send different inputs and are checked the same way, one request per case.`,
    item: rows.map((row) => caseItem(context, row.case)),
  };
}

/** The hooks environment, as created the first time (the user's file from then on). */
function hooksEnvironment(plan: TestPlan): string {
  const environment = {
    name: `SpecMint hooks — ${plan.api.title}`,
    values: [
      { key: 'specmint.hooks.beforeRequest', value: '', type: 'default', enabled: true },
      { key: 'specmint.hooks.afterResponse', value: '', type: 'default', enabled: true },
    ],
    _postman_variable_scope: 'environment',
  };
  return `${JSON.stringify(environment, null, 2)}\n`;
}

/** Renders a plan as a Postman collection. Pure: same plan and options → same files. */
export function renderPostman(plan: TestPlan, options: RenderOptions): RenderResult {
  const header = headerText(options);
  const { rendered, diagnostics } = partitionSupported(plan);
  const operations = new Map(plan.operations.map((operation) => [operation.id, operation]));
  const auth = collectionAuth(plan, rendered);
  const context: RenderContext = { plan, operations, inheritedAuth: auth.key };
  const byTag = groupBy(rendered, (testCase) => testCase.tags[0] ?? '');
  // Each request is made as it is written, and dropped: for 129,000 cases (Microsoft Graph beta) the
  // request objects all at once would take gigabytes.
  const folders = [...byTag.keys()].sort().map((tag) => {
    const groups = groupCaseTables(byTag.get(tag)!);
    return {
      name: tag || 'untagged',
      item: new LazyArray(groups.length, (index) => groupItem(context, groups[index]!)),
    };
  });
  const envVars = credentialEnvVars(plan, Object.keys(plan.securitySchemes).sort());
  const variables = [
    { key: 'baseUrl', value: plan.defaultBaseUrl ?? 'http://localhost', type: 'string' },
    ...envVars.map(([key]) => ({ key, value: '', type: 'string' })),
  ];
  const collection = {
    info: {
      name: `${plan.api.title} ${plan.api.version} — SpecMint tests`,
      description: `${header}\n\nGenerated from the OpenAPI description of ${plan.api.title} ${plan.api.version}. See README.md.`,
      schema: POSTMAN_SCHEMA_URL,
    },
    item: folders,
    auth: auth.auth,
    event: [
      { listen: 'prerequest', script: { type: 'text/javascript', exec: collectionPrerequestScript(header) } },
      {
        listen: 'test',
        script: { type: 'text/javascript', exec: collectionTestScript(plan, rendered, header) },
      },
    ],
    variable: variables,
  };
  const collectionFile = `${fileStem(plan.api.title)}.postman_collection.json`;
  return {
    files: [
      { path: '.gitignore', contents: 'reports/\n' },
      {
        path: 'README.md',
        contents: postmanReadme({ plan, cases: rendered, header, collectionFile, vars: envVars }),
      },
      {
        path: collectionFile,
        // Request by request (each made as it is written and dropped after), never all at once: one native
        // JSON.stringify of the whole collection held every request until the end, and collecting them cost
        // more than the native writing saved (GitHub's description: 910 → 500 ms rendered and written).
        contents: prettyJson(collection),
      },
      { path: HOOKS_FILE, contents: hooksEnvironment(plan), once: true },
      { path: RUN_SCRIPT_FILE, contents: `${commentLines(header, '//')}\n${RUN_SCRIPT}` },
    ],
    renderedCaseIds: rendered.map((testCase) => testCase.id),
    diagnostics,
  };
}

/** The `postman` format (registered in ../registry.ts). */
export const postmanRenderer: FormatModule = { ...postmanFormat, render: renderPostman };
