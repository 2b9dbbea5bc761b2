/**
 * The collection-level scripts. Every request's pre-request script stores what its step expects in the local
 * variable `specmint.step`; the collection test script (which Postman runs after every request) checks the
 * response against it and the contract: no 5xx, expected and declared status, Content-Type, JSON schema,
 * expected values, captures.
 */
import type { TestPlan } from '../../plan/types.ts';
import { commentLines } from '../common/case-support.ts';
import { convertResponses } from '../common/responses.ts';
import { readRuntimeFile } from '../common/runtime-file.ts';
import { definitionsDraft07, toDraft07 } from './schema-draft07.ts';

/** Local variable that carries a step's expectations from its pre-request script to the test script. */
export const STEP_VARIABLE = 'specmint.step';

/** What the test script needs about each operation: declared responses with draft-07 schemas. */
function operationTable(plan: TestPlan): Record<string, unknown> {
  return Object.fromEntries(
    plan.operations.map((operation) => [operation.id, convertResponses(operation.responses, toDraft07)]),
  );
}

/**
 * The checks, run by the Postman sandbox after every request of the collection (runtime/collection-test.js). It
 * reads `pm` and the OPERATIONS and DEFINITIONS tables declared above it; runtime/tsconfig.json type-checks it
 * (JSDoc types, postman-sandbox's typings of `pm`) against ES2017, which every Postman sandbox runs.
 */
export const COLLECTION_TEST_RUNTIME = readRuntimeFile(
  import.meta.url,
  './runtime/collection-test.js',
).trimEnd();

/** The collection's pre-request script (runtime/collection-prerequest.js). */
export const COLLECTION_PREREQUEST_RUNTIME = readRuntimeFile(
  import.meta.url,
  './runtime/collection-prerequest.js',
).trimEnd();

/**
 * `const NAME = {…};` as lines: one entry per line, its value as compact JSON. The sandbox parses the script
 * before every request, and pretty-printed this would be most of the collection (GitHub's description: 240,000
 * lines, 10 MB of the 23 MB collection); one line per operation or schema still reads entry by entry.
 */
function tableDeclaration(name: string, table: Record<string, unknown>): string[] {
  const entries = Object.keys(table)
    .filter((key) => table[key] !== undefined)
    .map((key) => `  ${JSON.stringify(key)}: ${JSON.stringify(table[key])}`);
  if (entries.length === 0) return [`const ${name} = {};`];
  return [`const ${name} = {`, entries.join(',\n'), '};'];
}

/** Lines of the collection-level test script. */
export function collectionTestScript(plan: TestPlan, header: string): string[] {
  return [
    commentLines(header, '//'),
    '// Runs after every request: checks the response against what the request step expects (set by its',
    `// pre-request script in the local variable "${STEP_VARIABLE}") and against the declared responses below.`,
    ...tableDeclaration('OPERATIONS', operationTable(plan)),
    ...tableDeclaration('DEFINITIONS', definitionsDraft07(plan.schemas)),
    COLLECTION_TEST_RUNTIME,
  ].flatMap((part) => part.split('\n'));
}

/** Lines of the collection-level pre-request script: normalises `baseUrl` (no trailing slash). */
export function collectionPrerequestScript(header: string): string[] {
  return [commentLines(header, '//'), COLLECTION_PREREQUEST_RUNTIME].flatMap((part) => part.split('\n'));
}
