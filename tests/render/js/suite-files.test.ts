/**
 * The files around a JS-family suite's tests: the user's hooks file (written once), the global setup that starts
 * and ends a run, the configs that write reports/junit.xml with the format's own tool, and a README that lists
 * the checks and one run command.
 */
import { describe, expect, test } from 'vitest';
import { CHECK_NAMES } from '../../../cli/engine/plan/types.ts';
import { joinText } from '../../../cli/engine/render/common/file-text.ts';
import { getRenderer } from '../../../cli/engine/render/registry.ts';
import { PETSTORE_PLAN } from '../../fixtures/plans/petstore-plan.ts';

const FORMATS = {
  vitest: { hooks: 'hooks.ts', setup: ['specmint.setup.ts'], config: 'vitest.config.ts', junit: "'junit'" },
  jest: {
    hooks: 'hooks.js',
    setup: ['specmint.setup.js', 'specmint.teardown.js'],
    config: 'jest.config.js',
    junit: "'jest-junit'",
  },
  playwright: {
    hooks: 'hooks.ts',
    setup: ['specmint.setup.ts'],
    config: 'playwright.config.ts',
    junit: "'junit'",
  },
} as const;

describe.each(Object.entries(FORMATS))('the %s suite', (format, expected) => {
  const { files } = getRenderer(format as keyof typeof FORMATS).render(PETSTORE_PLAN, {
    generatorVersion: '0.0.0-test',
  });
  const text = (path: string): string => {
    const file = files.find((f) => f.path === path);
    if (!file) throw new Error(`no ${path}`);
    return joinText(file.contents);
  };

  test('has a hooks file the user owns: written once, exporting every hook', () => {
    const hooks = files.find((f) => f.path === expected.hooks);
    expect(hooks?.once).toBe(true);
    expect(files.filter((f) => f.once).map((f) => f.path)).toEqual([expected.hooks]);
    for (const name of ['beforeRun', 'beforeRequest', 'afterResponse', 'afterFailure', 'afterRun']) {
      expect(text(expected.hooks)).toMatch(new RegExp(`async function ${name}\\(`));
    }
    expect(text(expected.hooks).split('\n')[0]).toMatch(/yours to edit$/);
  });

  test('starts and ends each run in a global setup its config names, and writes JUnit with its own tool', () => {
    for (const path of expected.setup) expect(text(path)).toMatch(/(startRun|finishRun)\(/);
    const config = text(expected.config);
    expect(config).toContain(`/${expected.setup[0]}`);
    expect(config).toContain(expected.junit);
    expect(config).toMatch(/reports\/junit\.xml|outputName: 'junit\.xml'/);
    expect(config).toContain("flag('SPECMINT_REPORTS')");
    if (format === 'jest') {
      expect(config).toContain('<rootDir>/specmint.teardown.js');
      expect(JSON.parse(text('package.json')).devDependencies['jest-junit']).toMatch(/^\^\d+/);
    }
    expect(text('.gitignore').split('\n')).toContain('reports/');
  });

  test('has a README that lists every check and the one command that runs the suite', () => {
    const readme = text('README.md');
    for (const name of CHECK_NAMES) expect(readme).toContain(`| \`${name}\` |`);
    expect(readme.match(/^```sh\n([\s\S]*?)```$/m)?.[1]).toMatch(/^npm install\n.* npm test\n$/);
    expect(readme).toContain(`\`${expected.hooks}\` is yours`);
    expect(readme).toContain('SPECMINT_EXCLUDE_CHECKS');
  });

  test('writes the check, lenient statuses and cross-step expectations of every step into its test', () => {
    const tests = files.filter((f) => f.path.startsWith('tests/')).map((f) => joinText(f.contents));
    const all = tests.join('\n');
    const steps = PETSTORE_PLAN.cases.flatMap((c) => c.steps);
    const checks = new Set(
      steps.map((step) => step.expect.check).filter((c) => c !== 'positive_data_acceptance'),
    );
    for (const check of checks) expect(all).toContain(`check: '${check}'`);
    if (steps.some((step) => step.expect.lenientStatuses?.length)) expect(all).toContain('lenient: [');
    expect(all).toMatch(/apiCase\('[^']+', \{ (request, baseURL, )?title: /);
  });
});
