/**
 * The collection-level scripts. The collection's pre-request script (runtime/collection-prerequest.js) defines
 * specmint.prepareStep and runs the user's beforeRequest hook; its Tests tab (runtime/collection-test.js),
 * below the tables of what the API declares, defines specmint.checkResponse, which every request's Tests tab
 * calls with its checks, and runs the user's afterResponse hook.
 */
import {
  CHECK_NAMES,
  CHECKS_OFF_BY_DEFAULT,
  type PlanOperation,
  type TestCase,
  type TestPlan,
} from '../../plan/types.ts';
import { commentLines } from '../common/case-support.ts';
import { readRuntimeFile } from '../common/runtime-file.ts';
import { definitionsDraft07, toDraft07 } from './schema-draft07.ts';

/**
 * The checks, defined by the collection's Tests tab: runtime/compare.js (statuses, media types, schemas, values),
 * runtime/failure-text.js (a failure's text) and runtime/collection-test.js (the checks and specmint.checkResponse),
 * one script in that order. It reads `pm` and the tables declared above it; runtime/tsconfig.json type-checks the
 * fragments (JSDoc types, postman-sandbox's typings of `pm`) against ES2017, which every Postman sandbox runs.
 */
export const COLLECTION_TEST_RUNTIME = [
  readRuntimeFile(import.meta.url, './runtime/compare.js'),
  readRuntimeFile(import.meta.url, './runtime/failure-text.js'),
  readRuntimeFile(import.meta.url, './runtime/collection-test.js'),
]
  .map((text) => text.trimEnd())
  .join('\n\n');

/** The collection's pre-request script (runtime/collection-prerequest.js). */
export const COLLECTION_PREREQUEST_RUNTIME = readRuntimeFile(
  import.meta.url,
  './runtime/collection-prerequest.js',
).trimEnd();

/** The env vars holding the credentials of an operation's valid requests, for the 401/403 warning. */
function credentialVars(plan: TestPlan, cases: readonly TestCase[]): Map<string, Set<string>> {
  const vars = new Map<string, Set<string>>();
  for (const testCase of cases) {
    for (const step of testCase.steps) {
      if (step.auth.mode !== 'valid') continue;
      const names = vars.get(step.operationId) ?? new Set<string>();
      for (const key of step.auth.schemes) {
        const env = plan.securitySchemes[key]?.env ?? {};
        for (const name of [env.token, env.username, env.password]) if (name) names.add(name);
      }
      vars.set(step.operationId, names);
    }
  }
  return vars;
}

/** What the checks and the run summary need about each operation, with draft-07 schemas. */
function operationEntry(operation: PlanOperation, credentials: Set<string> | undefined): unknown {
  return {
    method: operation.method,
    path: operation.path,
    credentials: [...(credentials ?? [])].sort(),
    responses: operation.responses.map((response) => ({
      status: response.status,
      contents: response.contents.map((content) =>
        content.schema === undefined
          ? { mediaType: content.mediaType }
          : { mediaType: content.mediaType, schema: toDraft07(content.schema) },
      ),
      ...(response.headers && response.headers.length > 0
        ? {
            headers: response.headers.map((header) =>
              header.schema === undefined
                ? { name: header.name, required: header.required }
                : { name: header.name, required: header.required, schema: toDraft07(header.schema) },
            ),
          }
        : {}),
    })),
  };
}

/**
 * `const NAME = {…};` as lines: one entry per line, its value as compact JSON. The sandbox parses the script
 * before every request, and pretty-printed this would be most of the collection (GitHub's description: 240,000
 * lines, 10 MB of the 23 MB collection); one line per operation or schema still reads entry by entry. The
 * object is JSON, so specmint-run.mjs reads it back from the collection.
 */
function tableDeclaration(name: string, table: Record<string, unknown>): string[] {
  const entries = Object.keys(table)
    .filter((key) => table[key] !== undefined)
    .map((key) => `  ${JSON.stringify(key)}: ${JSON.stringify(table[key])}`);
  if (entries.length === 0) return [`const ${name} = {};`];
  return [`const ${name} = {`, entries.join(',\n'), '};'];
}

/** Lines of the collection-level test script. */
export function collectionTestScript(plan: TestPlan, cases: readonly TestCase[], header: string): string[] {
  const credentials = credentialVars(plan, cases);
  const security = Object.fromEntries(
    Object.keys(plan.securitySchemes)
      .sort()
      .map((key) => {
        const { type, scheme, in: where, name, env } = plan.securitySchemes[key]!;
        return [key, { type, scheme, in: where, name: name ?? key, env }];
      }),
  );
  return [
    commentLines(header, '//'),
    "// Runs after every request, before the request's own Tests: defines specmint.checkResponse, which each",
    "// request's Tests tab calls with the checks of that request (docs/checks.md), from what the API declares:",
    `const API = ${JSON.stringify(plan.api)};`,
    `const CHECK_NAMES = ${JSON.stringify(CHECK_NAMES)};`,
    `const CHECKS_OFF_BY_DEFAULT = ${JSON.stringify(CHECKS_OFF_BY_DEFAULT)};`,
    ...tableDeclaration('SECURITY', security),
    ...tableDeclaration(
      'OPERATIONS',
      Object.fromEntries(
        plan.operations.map((operation) => [
          operation.id,
          operationEntry(operation, credentials.get(operation.id)),
        ]),
      ),
    ),
    ...tableDeclaration('DEFINITIONS', definitionsDraft07(plan.schemas)),
    COLLECTION_TEST_RUNTIME,
  ].flatMap((part) => part.split('\n'));
}

/** Lines of the collection-level pre-request script. */
export function collectionPrerequestScript(header: string): string[] {
  return [commentLines(header, '//'), COLLECTION_PREREQUEST_RUNTIME].flatMap((part) => part.split('\n'));
}
