/**
 * The `postman` format: a Postman Collection v2.1 with a folder per tag (a sub-folder per multi-step flow),
 * one request per step, collection-level checks (`pm.test`) and collection variables for `baseUrl` and
 * credentials; plus an example environment and a README with the `newman run` command.
 * @see https://schema.postman.com/collection/json/v2.1.0/draft-07/docs/index.html
 */
import type { PlanOperation, TestCase, TestPlan } from '../../plan/types.ts';
import { credentialEnvVars, groupBy, headerText, partitionSupported } from '../common/case-support.ts';
import { LazyArray, prettyJson } from '../common/file-text.ts';
import type { FormatModule } from '../format-module.ts';
import type { RenderOptions, RenderResult } from '../types.ts';
import { collectionPrerequestScript, collectionTestScript } from './collection-script.ts';
import { postmanFormat } from './format.ts';
import { type PostmanItem, stepItem } from './request-item.ts';

/** The v2.1 schema URL every collection declares in `info.schema`. */
export const POSTMAN_SCHEMA_URL = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

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

function caseItem(
  plan: TestPlan,
  operations: ReadonlyMap<string, PlanOperation>,
  testCase: TestCase,
): PostmanItem {
  const items = testCase.steps.map((step, index) =>
    stepItem({ plan, testCase, index, operation: operations.get(step.operationId)! }),
  );
  if (items.length === 1) return { ...items[0]!, description: caseDescription(testCase) };
  // A flow is an ordered folder: newman runs its requests in order, sharing captured variables.
  return { name: `${testCase.id} · ${testCase.title}`, description: caseDescription(testCase), item: items };
}

function readme(
  plan: TestPlan,
  header: string,
  files: { collection: string; environment: string },
  vars: Array<[string, string]>,
): string {
  const rows = [['baseUrl', 'base URL of the API under test (no trailing slash needed)'], ...vars];
  const envFlags = vars.map(([name]) => ` \\\n  --env-var "${name}=$${name}"`).join('');
  return `<!-- ${header.replace(/--/g, '- -')} -->
# ${plan.api.title} ${plan.api.version} — Postman collection

\`${files.collection}\` holds one request per test step, in a folder per tag (multi-step flows are ordered
sub-folders). A collection-level test script checks every response: no 5xx, the status is expected by the
case and declared by the operation, the Content-Type is declared, JSON bodies match the declared schema,
expected values match, and captured values are stored in collection variables for the next steps.

## Variables

| Variable | Meaning |
|---|---|
${rows.map(([name, text]) => `| \`${name}\` | ${text} |`).join('\n')}

Set them in an environment (see \`${files.environment}\`) or on the command line.

## Run with newman

\`\`\`sh
npx newman run ${files.collection} --timeout-script 30000 \\
  --env-var "baseUrl=$BASE_URL"${envFlags}
\`\`\`

or, after filling in the example environment:
\`npx newman run ${files.collection} --timeout-script 30000 -e ${files.environment}\`.
\`--timeout-script\` fails a check that runs past 30 s (a schema \`pattern\` backtracking on a response value)
instead of letting it hang the run.
In the Postman app: import both files, pick the environment and run the collection.
`;
}

/** Renders a plan as a Postman collection. Pure: same plan and options → same files. */
export function renderPostman(plan: TestPlan, options: RenderOptions): RenderResult {
  const header = headerText(options);
  const { rendered, diagnostics } = partitionSupported(plan);
  const operations = new Map(plan.operations.map((operation) => [operation.id, operation]));
  const byTag = groupBy(rendered, (testCase) => testCase.tags[0] ?? '');
  // Each request is made as it is written, and dropped: for 129,000 cases (Microsoft Graph beta) the
  // request objects all at once would take gigabytes.
  const folders = [...byTag.keys()].sort().map((tag) => {
    const cases = byTag.get(tag)!;
    return {
      name: tag || 'untagged',
      item: new LazyArray(cases.length, (index) => caseItem(plan, operations, cases[index]!)),
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
    event: [
      { listen: 'prerequest', script: { type: 'text/javascript', exec: collectionPrerequestScript(header) } },
      { listen: 'test', script: { type: 'text/javascript', exec: collectionTestScript(plan, header) } },
    ],
    variable: variables,
  };
  const environment = {
    name: `${plan.api.title} (example)`,
    values: [
      { key: 'baseUrl', value: plan.defaultBaseUrl ?? 'http://localhost', type: 'default', enabled: true },
      ...envVars.map(([key]) => ({ key, value: '', type: 'secret', enabled: true })),
    ],
    _postman_variable_scope: 'environment',
  };
  const stem = fileStem(plan.api.title);
  const files = {
    collection: `${stem}.postman_collection.json`,
    environment: `${stem}.postman_environment.json`,
  };
  return {
    files: [
      { path: 'README.md', contents: readme(plan, header, files, envVars) },
      { path: files.collection, contents: prettyJson(collection) },
      { path: files.environment, contents: `${JSON.stringify(environment, null, 2)}\n` },
    ],
    renderedCaseIds: rendered.map((testCase) => testCase.id),
    diagnostics,
  };
}

/** The `postman` format (registered in ../registry.ts). */
export const postmanRenderer: FormatModule = { ...postmanFormat, render: renderPostman };
