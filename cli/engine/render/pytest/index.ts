/**
 * The `pytest` format: a Python project (requests + jsonschema) with one module per tag, category markers,
 * fixtures and pytest hooks in `conftest.py`, the user's `hooks.py` (written once), and a runtime that runs the
 * named checks on every response, explains each failure and writes the summary and reports.
 */
import type { TestPlan } from '../../plan/types.ts';
import {
  commentLines,
  credentialEnvVars,
  groupBy,
  headerText,
  partitionSupported,
  uniqueNamer,
} from '../common/case-support.ts';
import type { FormatModule } from '../format-module.ts';
import type { RenderedFile, RenderOptions, RenderResult } from '../types.ts';
import { pytestFormat } from './format.ts';
import {
  renderConftestPy,
  renderContractPy,
  renderGitignore,
  renderHooksPy,
  renderPytestIni,
  renderReadme,
  renderRequirements,
} from './project-files.ts';
import { renderRuntimeFiles } from './runtime-py.ts';
import { renderTestModule } from './test-module.ts';

/** File-name part for a tag: lower-case letters, digits and `_`. */
function moduleSlug(tag: string): string {
  const slug = tag
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return slug === '' ? 'untagged' : slug;
}

/** Renders a plan as a pytest project. Pure: same plan and options → same files. */
export function renderPytest(plan: TestPlan, options: RenderOptions): RenderResult {
  const header = headerText(options);
  const headerComment = commentLines(header, '#');
  const { rendered, diagnostics } = partitionSupported(plan);
  const moduleName = uniqueNamer();
  const modules: RenderedFile[] = [];
  const byTag = groupBy(rendered, (testCase) => testCase.tags[0] ?? '');
  for (const tag of [...byTag.keys()].sort()) {
    const name = moduleName(moduleSlug(tag));
    const contents = renderTestModule({ tag: tag || 'untagged', cases: byTag.get(tag)!, headerComment });
    modules.push({ path: `tests/test_${name}.py`, contents });
  }
  const envVars = credentialEnvVars(plan, Object.keys(plan.securitySchemes).sort());
  const files: RenderedFile[] = [
    { path: 'README.md', contents: renderReadme({ plan, header, envVars, testCount: rendered.length }) },
    { path: 'requirements.txt', contents: renderRequirements(headerComment) },
    { path: 'pytest.ini', contents: renderPytestIni(headerComment) },
    { path: '.gitignore', contents: renderGitignore(headerComment) },
    { path: 'conftest.py', contents: renderConftestPy(headerComment) },
    { path: 'hooks.py', contents: renderHooksPy(headerComment), once: true },
    ...renderRuntimeFiles(headerComment),
    { path: 'specmint_contract.py', contents: renderContractPy(plan, headerComment) },
    ...modules,
  ];
  return { files, renderedCaseIds: rendered.map((testCase) => testCase.id), diagnostics };
}

/** The pytest format (registered in ../registry.ts). */
export const pytestRenderer: FormatModule = { ...pytestFormat, render: renderPytest };
