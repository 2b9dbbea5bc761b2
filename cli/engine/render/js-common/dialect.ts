/**
 * What differs between the vitest, jest and playwright suites. Everything else (runtime, step code,
 * grouping, README) is shared in js-common so the three behave identically.
 */
import type { TestPlan } from '../../plan/types.ts';
import type { RenderedFile, RenderOptions } from '../types.ts';

/** Inputs for a framework's project files. */
export interface ProjectContext {
  plan: TestPlan;
  options: RenderOptions;
  /** Paths of the generated test files. */
  testFiles: string[];
}

/** One test, as the framework declares it. */
export interface TestDeclaration {
  /** Human test name (title and case id). */
  name: string;
  /** Category, plus `ai` for AI-proposed cases. */
  tags: string[];
}

/** A JS-family test framework. */
export interface JsDialect {
  format: 'vitest' | 'jest' | 'playwright';
  /** TypeScript ESM, or JavaScript CommonJS. */
  language: 'ts' | 'js';
  /** How requests are sent: global fetch, or Playwright's `request` fixture. */
  transport: 'fetch' | 'playwright';
  /** Test file suffix: `.test.ts`, `.test.js`, `.spec.ts`. */
  testSuffix: string;
  /** Import lines of a test file (`runtimeImport` is the runtime's path relative to the test file). */
  imports(runtimeImport: string, names: string[]): string[];
  /** The suite function: `describe` or `test.describe`. */
  describe: string;
  /** The opening line of a test, ending with `{`. */
  testOpen(test: TestDeclaration): string;
  /**
   * The statement that starts a case, given the case's options as `name: literal` texts:
   * `const api = apiCase('createPet_contract_1', { title: '…' });`.
   */
  caseStart(caseId: string, options: string[]): string;
  /** package.json, config files, .gitignore. */
  projectFiles(context: ProjectContext): RenderedFile[];
  /** README facts. */
  readme: {
    /** `Vitest`, `Jest`, `Playwright Test`. */
    runner: string;
    /** How to run one category, e.g. `npx vitest run --tags-filter=negative`. */
    filterExample: string;
    /** Extra notes (markdown lines). */
    notes: string[];
    /** What writes reports/junit.xml: `Vitest's \`junit\` reporter`. */
    junit: string;
    /** The global setup file(s), as README Markdown: `` `specmint.setup.ts` ``. */
    setupFiles: string;
  };
}
