/**
 * Parametrised tests: consecutive cases of one operation and category that differ only in the request their
 * last step sends (the inputs of a `--depth` run, the violations of one operation) become one table, which
 * each format renders as its parametrised form (pytest `parametrize`, `test.each`, a Playwright loop, newman
 * iteration data, a k6 data array), so a file stays readable however many inputs there are. Every format
 * groups the same way, so the same cases make the same tables everywhere.
 */
import type { TestCase, TestStep } from '../../plan/types.ts';

/** The parts of a step that vary between the rows of a table. */
export const ROW_FIELDS = ['path', 'query', 'headers', 'cookies', 'body'] as const;
export type RowField = (typeof ROW_FIELDS)[number];

/** What one row of a table sends in its last step. */
export type RowRequest = Pick<TestStep, Exclude<RowField, 'body'>> & { body?: TestStep['body'] };

/** One case of a table: its id and title, and what its last step sends. */
export interface TableRow {
  case: TestCase;
  request: RowRequest;
}

/** A case rendered as one test, or a table of cases rendered as one parametrised test. */
export type CaseGroup =
  | { kind: 'single'; case: TestCase }
  | {
      kind: 'table';
      /** The first row's case: everything but the last step's request is the same for every row. */
      template: TestCase;
      rows: TableRow[];
    };

const fixedParts = new WeakMap<TestCase, string>();

/**
 * The last step without its varying parts, as text for comparison: remembered per case (held weakly, gone with
 * the plan), since most renderers group the same cases. A plan is not modified once rendered.
 */
function fixedPart(testCase: TestCase): string {
  let text = fixedParts.get(testCase);
  if (text === undefined) {
    text = fixedPartText(testCase);
    fixedParts.set(testCase, text);
  }
  return text;
}

function fixedPartText(testCase: TestCase): string {
  const last = testCase.steps[testCase.steps.length - 1];
  if (!last) return '';
  const { path: _path, query: _query, headers: _headers, cookies: _cookies, body, ...rest } = last;
  return JSON.stringify({
    operation: testCase.operationId,
    category: testCase.category,
    tags: testCase.tags,
    ai: testCase.ai ?? null,
    setup: testCase.steps.slice(0, -1),
    last: rest,
    // A row may send a body or not only if every row has the same body kind and media type.
    bodyShape: body ? [body.kind, body.mediaType] : null,
  });
}

function requestOf(testCase: TestCase): RowRequest {
  const last = testCase.steps[testCase.steps.length - 1] as TestStep;
  return {
    path: last.path,
    query: last.query,
    headers: last.headers,
    cookies: last.cookies,
    ...(last.body ? { body: last.body } : {}),
  };
}

/**
 * Groups `cases` (in order) into singles and tables of at least `minRows` rows. Only consecutive cases are
 * grouped, so the order of tests follows the plan.
 */
export function groupCaseTables(cases: readonly TestCase[], minRows = 2): CaseGroup[] {
  const groups: CaseGroup[] = [];
  let run: TestCase[] = [];
  let key = '';
  const flush = () => {
    if (run.length >= minRows) {
      groups.push({
        kind: 'table',
        template: run[0] as TestCase,
        rows: run.map((member) => ({ case: member, request: requestOf(member) })),
      });
    } else {
      for (const member of run) groups.push({ kind: 'single', case: member });
    }
    run = [];
  };
  for (const testCase of cases) {
    const next = testCase.steps.length > 0 ? fixedPart(testCase) : `single:${testCase.id}`;
    if (run.length > 0 && next !== key) flush();
    key = next;
    run.push(testCase);
  }
  flush();
  return groups;
}
