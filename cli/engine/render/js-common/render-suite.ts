/**
 * The shared code-generation core of the vitest, jest and playwright renderers: one runtime, one
 * contract module, one test file per tag, a README and the framework's project files.
 */
import type { TestPlan } from '../../plan/types.ts';
import type { RenderedFile, RenderOptions, RenderResult } from '../types.ts';
import { selectCases } from './case-support.ts';
import { buildContract } from './contract.ts';
import type { JsDialect } from './dialect.ts';
import { toJsLiteral } from './js-literal.ts';
import { headerComment } from './naming.ts';
import { renderReadme } from './readme.ts';
import { renderHooksFile, renderRunFiles } from './run-files.ts';
import { runtimeText } from './runtime-text.ts';
import { groupByTag, renderTestFile } from './test-files.ts';

/** The runtime module (`specmint.runtime.ts` / `.js`) for a dialect. */
export function renderRuntime(dialect: JsDialect, options: RenderOptions): RenderedFile {
  const path = `specmint.runtime.${dialect.language}`;
  return { path, contents: `${headerComment(options)}\n\n${runtimeText(dialect)}` };
}

/** The literals of the contract module's three exports. */
interface ContractLiterals {
  api: string;
  components: string;
  operations: string;
  securitySchemes: string;
}

/**
 * Contract literals by plan: vitest, jest and playwright write the same ones (5 MB for GitHub's
 * description), so the first renderer builds them and the others reuse them. Held weakly (gone with the
 * plan), and checked against the plan parts they were built from, so a plan given new schemas, operations
 * or schemes gets new literals. A plan is not modified in place once rendered: renderers treat it as a value.
 */
const contractCache = new WeakMap<TestPlan, { parts: readonly unknown[]; literals: ContractLiterals }>();

function contractLiterals(plan: TestPlan): ContractLiterals {
  const parts = [plan.api, plan.schemas, plan.operations, plan.securitySchemes, plan.operations.length];
  const cached = contractCache.get(plan);
  if (cached?.parts.every((part, i) => part === parts[i])) return cached.literals;
  const contract = buildContract(plan);
  const literal = (value: unknown): string => toJsLiteral(value, { width: 110 });
  const literals = {
    api: literal(contract.api),
    components: literal(contract.components),
    operations: literal(contract.operations),
    securitySchemes: literal(contract.securitySchemes),
  };
  contractCache.set(plan, { parts, literals });
  return literals;
}

/** The contract module (`schemas.ts` / `.js`): named schemas, declared responses, security schemes. */
export function renderContract(plan: TestPlan, dialect: JsDialect, options: RenderOptions): RenderedFile {
  const literals = contractLiterals(plan);
  const ts = dialect.language === 'ts';
  const lines = [
    headerComment(options),
    '// The response contract of every operation, from the OpenAPI description.',
  ];
  if (ts) {
    lines.push(
      "import type { OperationSpec, SchemeSpec } from './specmint.runtime.ts';",
      '',
      '/** The API under test (for reports/coverage.json). */',
      `export const api = ${literals.api};`,
      '',
      '/** Named schemas, registered with Ajv under their $id. */',
      `export const components = ${literals.components};`,
      '',
      '/** Declared responses per operation id. */',
      `export const operations: Record<string, OperationSpec> = ${literals.operations};`,
      '',
      '/** How each security scheme is sent, and the env vars holding its credentials. */',
      `export const securitySchemes: Record<string, SchemeSpec> = ${literals.securitySchemes};`,
    );
  } else {
    lines.push(
      '',
      '/** The API under test (for reports/coverage.json). */',
      `const api = ${literals.api};`,
      '',
      '/** Named schemas, registered with Ajv under their $id. */',
      `const components = ${literals.components};`,
      '',
      '/** Declared responses per operation id. */',
      `const operations = ${literals.operations};`,
      '',
      '/** How each security scheme is sent, and the env vars holding its credentials. */',
      `const securitySchemes = ${literals.securitySchemes};`,
      '',
      'module.exports = { api, components, operations, securitySchemes };',
    );
  }
  // The final newline joined in: appending it to the joined text would make a second copy of the whole file.
  lines.push('');
  return { path: `schemas.${dialect.language}`, contents: lines.join('\n') };
}

/** Renders a complete JS-family suite for `dialect`. Pure and deterministic. */
export function renderJsSuite(plan: TestPlan, options: RenderOptions, dialect: JsDialect): RenderResult {
  const selection = selectCases(plan, dialect.format);
  const groups = groupByTag(selection.cases, dialect.testSuffix);
  const testFiles = groups.map((group) => renderTestFile({ group, plan, dialect, options }));
  const files: RenderedFile[] = [
    {
      path: 'README.md',
      contents: renderReadme({ plan, options, dialect, groups, skipped: selection.diagnostics }),
    },
    ...dialect.projectFiles({ plan, options, testFiles: testFiles.map((f) => f.path) }),
    renderRuntime(dialect, options),
    renderContract(plan, dialect, options),
    ...renderRunFiles(dialect, options),
    renderHooksFile(dialect, options),
    ...testFiles,
  ];
  return {
    files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    renderedCaseIds: selection.cases.map((c) => c.id),
    diagnostics: selection.diagnostics,
  };
}
