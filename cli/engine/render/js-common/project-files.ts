/**
 * JSON project files shared by the JS-family suites.
 */
import type { TestPlan } from '../../plan/types.ts';
import { packageName } from './naming.ts';

/** `package.json` text: two-space indent, trailing newline. */
export function packageJson(value: Record<string, unknown>): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** What differs between the JS suites' `package.json` files. */
export interface SuitePackage {
  /** `module` (vitest, playwright) or `commonjs` (jest). */
  type: 'module' | 'commonjs';
  /** The `npm test` command. */
  test: string;
  devDependencies: Record<string, string>;
}

/** `package.json` of a generated JS suite: named after the API, private, Node 20+, `npm test` runs it. */
export function suitePackageJson(plan: TestPlan, suite: SuitePackage): string {
  return packageJson({
    name: packageName(plan),
    version: '0.0.0',
    private: true,
    description: `API tests for ${plan.api.title} ${plan.api.version}`,
    type: suite.type,
    engines: { node: '>=20' },
    scripts: { test: suite.test },
    devDependencies: suite.devDependencies,
  });
}

/** The tsconfig of a generated TypeScript suite (bundler resolution, as Vitest and Playwright load it). */
export function suiteTsconfig(types: string[]): string {
  const config = {
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      lib: ['ES2023'],
      types,
      strict: true,
      noEmit: true,
      allowImportingTsExtensions: true,
      verbatimModuleSyntax: true,
      isolatedModules: true,
      skipLibCheck: true,
    },
    include: ['**/*.ts'],
    exclude: ['node_modules'],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
