/**
 * One pytest module (`tests/test_<tag>.py`): a plain test function per case, except single-step cases of the
 * same operation and category, which share one `@pytest.mark.parametrize`d function.
 */
import type { StepBody, TestCase, TestStep } from '../../plan/types.ts';
import { groupBy, uniqueNamer } from '../common/case-support.ts';
import { isVarRef, stepMentionsVar } from '../common/var-ref.ts';
import { PyCall, PyCode, positional, pyIdentifier, pyLiteral, pyString } from './python-literal.ts';

const DEFAULT_MEDIA_TYPES: Record<StepBody['kind'], string> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
  multipart: 'multipart/form-data',
  text: 'text/plain',
};

/** Renders plan VarRefs as `Var("name")`. */
function convertVar(value: unknown): PyCode | undefined {
  return isVarRef(value) ? new PyCode(`Var(${pyString(value.$var)})`) : undefined;
}

function bodyCall(body: StepBody): PyCall {
  const args: Array<[string | undefined, unknown]> = [[undefined, body.value ?? null]];
  if (body.mediaType !== DEFAULT_MEDIA_TYPES[body.kind]) args.push(['media_type', body.mediaType]);
  return new PyCall(`Body.${body.kind}`, args);
}

function authCode(step: TestStep): PyCode | PyCall | undefined {
  if (step.auth.mode === 'none') return undefined;
  return new PyCall(`Auth.${step.auth.mode}`, positional(...step.auth.schemes));
}

/** Keyword arguments of `case.step(...)` after operation and method, in a fixed order. */
function stepKeywords(step: TestStep): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [['path', step.path]];
  if (step.query.length > 0) {
    out.push(['query', step.query.map(([name, value]) => new PyCall('', positional(name, value)))]);
  }
  if (Object.keys(step.headers).length > 0) out.push(['headers', step.headers]);
  if (Object.keys(step.cookies).length > 0) out.push(['cookies', step.cookies]);
  if (step.body) out.push(['body', bodyCall(step.body)]);
  const auth = authCode(step);
  if (auth) out.push(['auth', auth]);
  out.push(['expect', step.expect.status]);
  if (!step.expect.validateBody) out.push(['validate_body', new PyCode('False')]);
  if (step.capture && Object.keys(step.capture).length > 0) out.push(['capture', step.capture]);
  const equals = step.expect.bodyEquals ?? [];
  if (equals.length > 0) {
    out.push([
      'body_equals',
      equals.map(({ pointer, equals: value }) => new PyCall('', positional(pointer, value))),
    ]);
  }
  return out;
}

function stepCall(step: TestStep): string {
  const [path, ...rest] = stepKeywords(step);
  const call = new PyCall('case.step', [
    ...positional(step.operationId, step.method, path?.[1]),
    ...rest.map(([name, value]): [string, unknown] => [name, value]),
  ]);
  return `    ${pyLiteral(call, { indent: 1, convert: convertVar })}`;
}

function aiComment(testCase: TestCase): string | undefined {
  return testCase.ai
    ? `AI-generated (${testCase.ai.provider} ${testCase.ai.model}), validated by SpecMint`
    : undefined;
}

function plainTest(testCase: TestCase, name: string): string {
  const marks = [`@pytest.mark.${testCase.category}`];
  if (testCase.ai) marks.push('@pytest.mark.ai');
  const lines = [...marks, `def ${name}(api):`];
  const ai = aiComment(testCase);
  if (ai) lines.push(`    # ${ai}`);
  const open = new PyCall('api.case', positional(testCase.id, testCase.title));
  lines.push(`    case = ${pyLiteral(open, { indent: 1, column: 11, convert: convertVar })}`);
  for (const step of testCase.steps) lines.push(stepCall(step));
  return lines.join('\n');
}

function parametrizedTest(cases: TestCase[], name: string): string {
  const first = cases[0]!;
  const single = first.steps.length === 1;
  const params = cases.map((testCase) => {
    const steps = testCase.steps.map((step) => Object.fromEntries(stepKeywords(step)));
    const data = single
      ? steps[0]
      : testCase.steps.map((step, index) => ({
          operation: step.operationId,
          method: step.method,
          ...steps[index],
        }));
    const args: Array<[string | undefined, unknown]> = positional(testCase.id, testCase.title, data);
    args.push(['id', testCase.id]);
    if (testCase.ai) args.push(['marks', new PyCode('pytest.mark.ai')]);
    return new PyCall('pytest.param', args);
  });
  const argNames = single ? '("case_id", "title", "step")' : '("case_id", "title", "steps")';
  const parametrize = new PyCall('@pytest.mark.parametrize', positional(new PyCode(argNames), params));
  const lines = [
    `@pytest.mark.${first.category}`,
    pyLiteral(parametrize, { convert: convertVar }),
    `def ${name}(api, case_id, title, ${single ? 'step' : 'steps'}):`,
  ];
  const ai = cases
    .filter((testCase) => testCase.ai)
    .map((testCase) => `${testCase.id}: ${aiComment(testCase)}`);
  for (const line of ai) lines.push(`    # ${line}`);
  lines.push('    case = api.case(case_id, title)');
  if (single) {
    const step = first.steps[0]!;
    lines.push(`    case.step(${pyString(step.operationId)}, ${pyString(step.method)}, **step)`);
  } else {
    lines.push('    for step in steps:', '        case.step(**step)');
  }
  return lines.join('\n');
}

/** Cases with the same category and the same sequence of operations share one parametrized function. */
function shapeKey(testCase: TestCase): string {
  if (testCase.category === 'stateful') return `case:${testCase.id}`;
  const sequence = testCase.steps.map((step) => `${step.operationId}:${step.method}`).join('>');
  return `shape:${testCase.category}:${sequence}`;
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
  const nameOf = uniqueNamer();
  const blocks: string[] = [];
  for (const [key, cases] of groupBy(options.cases, shapeKey)) {
    if (key.startsWith('shape:') && cases.length > 1) {
      const first = cases[0]!;
      blocks.push(
        parametrizedTest(cases, nameOf(`test_${pyIdentifier(first.operationId)}_${first.category}`)),
      );
    } else {
      for (const testCase of cases)
        blocks.push(plainTest(testCase, nameOf(`test_${pyIdentifier(testCase.id)}`)));
    }
  }
  const usesBody = options.cases.some((testCase) => testCase.steps.some((step) => step.body));
  const usesAuth = options.cases.some((testCase) => testCase.steps.some((step) => step.auth.mode !== 'none'));
  const usesVar = options.cases.some((testCase) => testCase.steps.some(stepMentionsVar));
  const names = [usesAuth ? 'Auth' : '', usesBody ? 'Body' : '', usesVar ? 'Var' : ''].filter(Boolean);
  const imports = ['import pytest'];
  if (names.length > 0) imports.push('', `from specmint_runtime import ${names.join(', ')}`);
  const docstring = pyString(`Tests for operations tagged "${options.tag}".`);
  return `${options.headerComment}\n${docstring}\n\n${imports.join('\n')}\n\n\n${blocks.join('\n\n\n')}\n`;
}
