/**
 * One pytest module (`tests/test_<tag>.py`): a test function per case, except the tables of
 * `groupCaseTables` (cases of one operation and category that differ only in what their last step sends),
 * which share one `@pytest.mark.parametrize`d function with a row per case, named by its case id.
 */
import type { StepBody, TestCase, TestStep } from '../../plan/types.ts';
import { uniqueNamer } from '../common/case-support.ts';
import { type CaseGroup, groupCaseTables, type RowField, type TableRow } from '../common/case-tables.ts';
import { isVarRef, stepMentionsVar } from '../common/var-ref.ts';
import { PyCall, PyCode, positional, pyIdentifier, pyLiteral, pyString } from './python-literal.ts';

const DEFAULT_MEDIA_TYPES: Record<StepBody['kind'], string> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
  multipart: 'multipart/form-data',
  text: 'text/plain',
};

/** Methods whose requests carry no body (HTTP clients refuse one). */
const BODYLESS = new Set(['GET', 'HEAD']);

/** Renders plan VarRefs as `Var("name")`. */
function convertVar(value: unknown): PyCode | undefined {
  return isVarRef(value) ? new PyCode(`Var(${pyString(value.$var)})`) : undefined;
}

function bodyCall(body: StepBody): PyCall {
  const args: Array<[string | undefined, unknown]> = [[undefined, body.value ?? null]];
  if (body.mediaType !== DEFAULT_MEDIA_TYPES[body.kind]) args.push(['media_type', body.mediaType]);
  return new PyCall(`Body.${body.kind}`, args);
}

function authCode(step: TestStep): PyCall | undefined {
  if (step.auth.mode === 'none') return undefined;
  return new PyCall(`Auth.${step.auth.mode}`, positional(...step.auth.schemes));
}

/** The body a step sends: none on GET and HEAD. */
function sentBody(step: TestStep): StepBody | undefined {
  return BODYLESS.has(step.method) ? undefined : step.body;
}

/** Keyword arguments for what a step sends (the parts a table row varies), in a fixed order. */
function requestKeywords(step: Pick<TestStep, RowField | 'method'>): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [['path', step.path]];
  if (step.query.length > 0) {
    out.push(['query', step.query.map(([name, value]) => new PyCall('', positional(name, value)))]);
  }
  if (Object.keys(step.headers).length > 0) out.push(['headers', step.headers]);
  if (Object.keys(step.cookies).length > 0) out.push(['cookies', step.cookies]);
  const body = sentBody(step as TestStep);
  if (body) out.push(['body', bodyCall(body)]);
  return out;
}

/** Keyword arguments for what a step expects and keeps, in a fixed order. */
function checkKeywords(step: TestStep): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const auth = authCode(step);
  if (auth) out.push(['auth', auth]);
  const expect = step.expect;
  out.push(['expect', expect.status], ['check', expect.check]);
  if (expect.lenientStatuses && expect.lenientStatuses.length > 0)
    out.push(['lenient', expect.lenientStatuses]);
  if (!expect.validateBody) out.push(['validate_body', new PyCode('False')]);
  if (step.capture && Object.keys(step.capture).length > 0) out.push(['capture', step.capture]);
  if (step.snapshot) out.push(['snapshot', step.snapshot]);
  const equals = expect.bodyEquals ?? [];
  if (equals.length > 0) {
    out.push([
      'body_equals',
      equals.map(
        ({ pointer, equals: value, format }) =>
          new PyCall('', positional(pointer, value, ...(format ? [format] : []))),
      ),
    ]);
  }
  if (expect.itemsMatch) {
    const { pointer, property, equals: value } = expect.itemsMatch;
    out.push(['items_match', new PyCall('', positional(pointer, property, value))]);
  }
  if (expect.sameAs) {
    out.push(['same_as', new PyCall('', positional(expect.sameAs.snapshot, expect.sameAs.ignore))]);
  }
  if (step.unique && step.unique.length > 0) {
    out.push(['unique', step.unique.map((made) => new PyCall('', positional(made.text, made.shape)))]);
  }
  return out;
}

/** Comment lines for a step: its note, and a body the spec gives a GET or HEAD that is not sent. */
function stepComments(step: TestStep): string[] {
  const lines: string[] = [];
  if (step.note) lines.push(step.note);
  if (step.body && BODYLESS.has(step.method) && !step.note) {
    lines.push(`The spec gives ${step.method} a request body; it is not sent (HTTP clients refuse one).`);
  }
  return lines.flatMap((text) => text.split(/\r?\n/)).map((line) => `    # ${line}`.trimEnd());
}

/** `case.step(...)`: operation and method, then `extra` keywords, then the step's own. */
function stepCall(step: TestStep, sends: Array<[string, unknown]>, rest: unknown[] = []): string {
  const [path, ...more] = sends;
  const head =
    path?.[0] === 'path'
      ? positional(step.operationId, step.method, path[1])
      : positional(step.operationId, step.method);
  const tail = path?.[0] === 'path' ? more : sends;
  const call = new PyCall('case.step', [...head, ...tail, ...checkKeywords(step), ...positional(...rest)]);
  return [...stepComments(step), `    ${pyLiteral(call, { indent: 1, convert: convertVar })}`].join('\n');
}

function aiComment(testCase: TestCase): string | undefined {
  return testCase.ai
    ? `AI-generated (${testCase.ai.provider} ${testCase.ai.model}), validated by SpecMint`
    : undefined;
}

function marks(testCase: TestCase): string[] {
  return [`@pytest.mark.${testCase.category}`, ...(testCase.ai ? ['@pytest.mark.ai'] : [])];
}

function plainTest(testCase: TestCase, name: string): string {
  const lines = [...marks(testCase), `def ${name}(api):`];
  const ai = aiComment(testCase);
  if (ai) lines.push(`    # ${ai}`);
  const count: Array<[string, unknown]> = testCase.steps.length > 1 ? [['steps', testCase.steps.length]] : [];
  const open = new PyCall('api.case', [...positional(testCase.id, testCase.title), ...count]);
  lines.push(`    case = ${pyLiteral(open, { indent: 1, column: 11, convert: convertVar })}`);
  for (const step of testCase.steps) lines.push(stepCall(step, requestKeywords(step)));
  return lines.join('\n');
}

function tableRow(row: TableRow, method: string): PyCall {
  const sends = Object.fromEntries(requestKeywords({ ...row.request, method }));
  return new PyCall('', positional(row.case.id, row.case.title, sends));
}

function tableTest(group: Extract<CaseGroup, { kind: 'table' }>, name: string): string {
  const { template, rows } = group;
  const last = template.steps[template.steps.length - 1] as TestStep;
  const parametrize = new PyCall('@pytest.mark.parametrize', [
    ...positional(
      new PyCode('("case_id", "title", "sent")'),
      rows.map((row) => tableRow(row, last.method)),
    ),
    ['ids', rows.map((row) => row.case.id)],
  ]);
  const lines = [
    ...marks(template),
    pyLiteral(parametrize, { convert: convertVar }),
    `def ${name}(api, case_id, title, sent):`,
  ];
  const ai = aiComment(template);
  if (ai) lines.push(`    # ${ai}`);
  const count = template.steps.length > 1 ? `, steps=${template.steps.length}` : '';
  lines.push(`    case = api.case(case_id, title${count})`);
  for (const step of template.steps.slice(0, -1)) lines.push(stepCall(step, requestKeywords(step)));
  lines.push(stepCall(last, [], [new PyCode('**sent')]));
  return lines.join('\n');
}

/** Options of {@link renderTestModule}. */
export interface TestModuleOptions {
  /** The tag the module groups (or `untagged`). */
  tag: string;
  cases: TestCase[];
  /** `# Generated by …` comment lines. */
  headerComment: string;
}

/** The source of one `tests/test_<tag>.py`. */
export function renderTestModule(options: TestModuleOptions): string {
  // `__2` for a table whose name is taken all the same: no case id makes that name.
  const nameOf = uniqueNamer('__');
  const taken = new Set<string>();
  const name = (candidate: string): string => {
    const chosen = nameOf(candidate);
    taken.add(chosen.toLowerCase());
    return chosen;
  };
  const blocks = groupCaseTables(options.cases).map((group) => {
    if (group.kind === 'single') return plainTest(group.case, name(`test_${pyIdentifier(group.case.id)}`));
    const { operationId, category, steps } = group.template;
    const base = `test_${pyIdentifier(operationId)}_${category}`;
    // A second table of one operation and category differs in what it checks (a format rejected, not a
    // type): named after that check, e.g. `test_list_pets_negative_format_rejection`.
    const check = steps.at(-1)?.expect.check;
    const byCheck = check ? `test_${pyIdentifier(operationId)}_${check}` : undefined;
    const preferred =
      taken.has(base.toLowerCase()) && byCheck && !taken.has(byCheck.toLowerCase()) ? byCheck : base;
    return tableTest(group, name(preferred));
  });
  const steps = options.cases.flatMap((testCase) => testCase.steps);
  const usesBody = steps.some((step) => sentBody(step));
  const usesAuth = steps.some((step) => step.auth.mode !== 'none');
  const usesVar = steps.some(stepMentionsVar);
  const names = [usesAuth ? 'Auth' : '', usesBody ? 'Body' : '', usesVar ? 'Var' : ''].filter(Boolean);
  const imports = ['import pytest'];
  if (names.length > 0) imports.push('', `from specmint_runtime import ${names.join(', ')}`);
  const docstring = pyString(`Tests for operations tagged "${options.tag}".`);
  // One join: blocks joined first and then wrapped in a template would copy the whole module twice.
  const lines = [options.headerComment, docstring, '', ...imports, '', ''];
  blocks.forEach((block, index) => {
    if (index > 0) lines.push('', '');
    lines.push(block);
  });
  lines.push('');
  return lines.join('\n');
}
