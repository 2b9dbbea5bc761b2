/**
 * Test files of a JS-family suite: one file per tag, one `describe` per operation, one test per case
 * (stateful flows are one test with sequential steps).
 */
import type { PlanOperation, TestCase, TestPlan, TestStep } from '../../plan/types.ts';
import { stepMentionsVar } from '../common/var-ref.ts';
import type { RenderedFile, RenderOptions } from '../types.ts';
import type { JsDialect } from './dialect.ts';
import { commentText, jsString, toJsLiteral } from './js-literal.ts';
import { headerComment, uniqueSlugs } from './naming.ts';

/** Cases of one tag, by operation in first-seen order. */
export interface TagGroup {
  tag: string;
  /** Test file path, e.g. `tests/pets.test.ts`. */
  path: string;
  operations: Array<{ operationId: string; cases: TestCase[] }>;
}

const UNTAGGED = 'untagged';

/** Groups cases by their first tag (untagged cases share one file), in plan order. */
export function groupByTag(cases: TestCase[], testSuffix: string): TagGroup[] {
  const tagOf = (testCase: TestCase): string => testCase.tags[0] ?? UNTAGGED;
  const slugs = uniqueSlugs(cases.map(tagOf), 'tag');
  const groups = new Map<string, TagGroup>();
  // Each group's operations by id (a search through `operations` would be quadratic in big tags).
  const operationsOf = new Map<TagGroup, Map<string, { operationId: string; cases: TestCase[] }>>();
  for (const testCase of cases) {
    const tag = tagOf(testCase);
    let group = groups.get(tag);
    if (!group) {
      group = { tag, path: `tests/${slugs.get(tag)}${testSuffix}`, operations: [] };
      groups.set(tag, group);
      operationsOf.set(group, new Map());
    }
    const byId = operationsOf.get(group)!;
    let operation = byId.get(testCase.operationId);
    if (!operation) {
      operation = { operationId: testCase.operationId, cases: [] };
      group.operations.push(operation);
      byId.set(testCase.operationId, operation);
    }
    operation.cases.push(testCase);
  }
  return [...groups.values()];
}

/** The object literal a step is written as (defaults left out). */
export function stepSpec(step: TestStep): Record<string, unknown> {
  const spec: Record<string, unknown> = {
    operationId: step.operationId,
    method: step.method,
    path: step.path,
  };
  if (step.query.length > 0) spec.query = step.query;
  if (Object.keys(step.headers).length > 0) spec.headers = step.headers;
  if (Object.keys(step.cookies).length > 0) spec.cookies = step.cookies;
  if (step.body) spec.body = { kind: step.body.kind, mediaType: step.body.mediaType, value: step.body.value };
  if (step.auth.mode !== 'none' || step.auth.schemes.length > 0) spec.auth = step.auth;
  spec.expect = step.expect.status;
  if (step.expect.check !== 'positive_data_acceptance') spec.check = step.expect.check;
  if (step.expect.lenientStatuses && step.expect.lenientStatuses.length > 0) {
    spec.lenient = step.expect.lenientStatuses;
  }
  if (step.expect.validateBody === false) spec.validateBody = false;
  const bodyEquals = step.expect.bodyEquals ?? [];
  if (bodyEquals.length > 0) {
    spec.bodyEquals = bodyEquals.map((check) =>
      check.format === undefined
        ? [check.pointer, check.equals]
        : [check.pointer, check.equals, check.format],
    );
  }
  const items = step.expect.itemsMatch;
  if (items) spec.itemsMatch = [items.pointer, items.property, items.equals];
  const same = step.expect.sameAs;
  if (same) spec.sameAs = [same.snapshot, same.ignore];
  if (step.capture && Object.keys(step.capture).length > 0) spec.capture = step.capture;
  if (step.snapshot) spec.snapshot = step.snapshot;
  if (step.unique && step.unique.length > 0) spec.unique = step.unique.map((made) => [made.text, made.shape]);
  return spec;
}

/**
 * Step literals by step: vitest, jest and playwright write each step the same way, so the first renderer
 * builds the text and the others reuse it. Held weakly (gone with the plan); a plan is not modified in place
 * once rendered.
 */
const stepLiterals = new WeakMap<TestStep, string>();

const varRef = (name: string): string => `v(${jsString(name)})`;

/** `await api.step(…)`'s argument for a step, at the indent of a test body. */
function stepLiteral(step: TestStep): string {
  let literal = stepLiterals.get(step);
  if (literal === undefined) {
    literal = toJsLiteral(stepSpec(step), { indent: 4, varRef });
    stepLiterals.set(step, literal);
  }
  return literal;
}

function usesVariables(cases: TestCase[]): boolean {
  return cases.some((testCase) => testCase.steps.some(stepMentionsVar));
}

function renderCase(testCase: TestCase, dialect: JsDialect): string[] {
  const lines: string[] = [];
  if (testCase.ai) {
    lines.push(
      `  // AI-generated case (${commentText(`${testCase.ai.provider} ${testCase.ai.model}`)}), validated`,
    );
  }
  const tags = testCase.ai ? [testCase.category, 'ai'] : [testCase.category];
  lines.push(`  ${dialect.testOpen({ name: `${testCase.title} [${testCase.id}]`, tags })}`);
  const options = [`title: ${jsString(testCase.title)}`];
  if (testCase.steps.length > 1) options.push(`steps: ${testCase.steps.length}`);
  lines.push(`    ${dialect.caseStart(testCase.id, options)}`);
  for (const step of testCase.steps) {
    if (step.note) lines.push(`    // ${commentText(step.note)}`);
    lines.push(`    await api.step(${stepLiteral(step)});`);
  }
  lines.push('  });');
  return lines;
}

function describeName(operationId: string, operation: PlanOperation | undefined): string {
  return operation ? `${operationId} — ${operation.method} ${operation.path}` : operationId;
}

/** Renders one tag's test file. */
export function renderTestFile(input: {
  group: TagGroup;
  plan: TestPlan;
  dialect: JsDialect;
  options: RenderOptions;
}): RenderedFile {
  const { group, plan, dialect, options } = input;
  const cases = group.operations.flatMap((op) => op.cases);
  const names = usesVariables(cases) ? ['apiCase', 'v'] : ['apiCase'];
  const runtime = `../specmint.runtime.${dialect.language}`;
  const lines = [
    headerComment(options),
    `// Tag: ${commentText(group.tag)} (${cases.length} ${cases.length === 1 ? 'case' : 'cases'})`,
    '',
    ...dialect.imports(runtime, names),
  ];
  const wanted = new Set(group.operations.map((op) => op.operationId));
  const byId = new Map<string, PlanOperation>();
  // The first operation with an id wins, as a search from the start would find it.
  for (const op of plan.operations) if (wanted.has(op.id) && !byId.has(op.id)) byId.set(op.id, op);
  for (const { operationId, cases: opCases } of group.operations) {
    const operation = byId.get(operationId);
    lines.push('', `${dialect.describe}(${jsString(describeName(operationId, operation))}, () => {`);
    opCases.forEach((testCase, index) => {
      if (index > 0) lines.push('');
      lines.push(...renderCase(testCase, dialect));
    });
    lines.push('});');
  }
  // The final newline joined in: appending it to the joined text would make a second copy of the whole file.
  lines.push('');
  return { path: group.path, contents: lines.join('\n') };
}
