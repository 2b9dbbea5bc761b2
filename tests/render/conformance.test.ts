/**
 * The conformance suite every renderer in the registry must pass (Hono-style shared suite): determinism,
 * safe relative paths, every case rendered or reported, no I/O / clock / randomness, a README naming the
 * env vars, white-label headers, and an untouched plan. Exceptions are listed with their reason.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { TestPlan } from '../../cli/engine/plan/types.ts';
import type { FormatModule } from '../../cli/engine/render/format-module.ts';
import { allFormatOptions, FORMAT_INFO } from '../../cli/engine/render/formats.ts';
import { RENDERERS } from '../../cli/engine/render/registry.ts';
import type { RenderOptions } from '../../cli/engine/render/types.ts';
import { FORMATS, type Format } from '../../shared/plans.ts';
import { JS_EMPTY_PLAN } from '../fixtures/plans/js-empty-plan.ts';
import { JS_ODD_PLAN } from '../fixtures/plans/js-odd-plan.ts';
import { PETSTORE_PLAN } from '../fixtures/plans/petstore-plan.ts';
import { watchIo } from './js/io-watch.ts';

/** Renderers exempt from the README env-var rule, and why. */
const README_ENV_EXEMPT: Partial<Record<Format, string>> = {
  sql: 'seed data for a database: it never calls the API, so it reads no BASE_URL or credentials',
};

const PLANS: Array<[string, TestPlan]> = [
  ['petstore', PETSTORE_PLAN],
  ['empty', JS_EMPTY_PLAN],
  ['odd', JS_ODD_PLAN],
];

const OPTIONS: RenderOptions = { generatorVersion: '9.9.9-conformance' };

const renderers = Object.entries(RENDERERS) as Array<[Format, FormatModule]>;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('every format in shared/plans.ts has one module, registered under its own name', () => {
  expect(Object.keys(RENDERERS).sort()).toEqual([...FORMATS].sort());
  expect(Object.keys(FORMAT_INFO).sort()).toEqual([...FORMATS].sort());
  for (const [format, module] of renderers) {
    expect(module.format).toBe(format);
    expect(module.description.length).toBeGreaterThan(10);
    // The module's facts are the ones help, config and the corpus read (formats.ts).
    const { render: _render, ...facts } = module;
    expect(facts).toEqual(FORMAT_INFO[format]);
  }
});

test('format options have unique keys and flags, defaults among their values, and no clash with generate', () => {
  const options = allFormatOptions();
  expect(new Set(options.map((o) => o.key)).size).toBe(options.length);
  expect(new Set(options.map((o) => o.flag)).size).toBe(options.length);
  const own = [
    'format',
    'out',
    'seed',
    'tags',
    'operations',
    'categories',
    'path-param',
    'ai',
    'json',
    'check',
  ];
  for (const option of options) {
    expect(option.values, option.key).toContain(option.default);
    expect(option.flag).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(own).not.toContain(option.flag);
    // camelCase of the flag: what commander hands the command.
    expect(option.key).toBe(option.flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()));
  }
});

test('corpus checks are named uniquely; a format that runs requests declares how the tests run it', () => {
  const checks = renderers.flatMap(([, module]) => module.checks.map((check) => check.name));
  expect(new Set(checks).size).toBe(checks.length);
  for (const [format, module] of renderers) {
    expect(module.checks.length, format).toBeGreaterThan(0);
    expect(Boolean(module.runner), format).toBe(module.runCommand !== undefined);
  }
});

test('the I/O watch notices an impure renderer (the purity check can fail)', () => {
  const { touched } = watchIo(() => {
    readFileSync(new URL(import.meta.url));
    return [Date.now(), Math.random(), String(new Date()), process.env.HOME];
  });
  expect(touched).toEqual(
    expect.arrayContaining(['fs.readFileSync', 'Date.now', 'Math.random', 'new Date()', 'process.env.HOME']),
  );
});

describe.each(renderers)('%s renderer', (format, renderer) => {
  describe.each(PLANS)('plan %s', (_name, plan) => {
    test('is pure: no I/O, clock, randomness or env; the plan is left unchanged', () => {
      const before = structuredClone(plan);
      const { touched } = watchIo(() => renderer.render(plan, OPTIONS));
      expect(touched).toEqual([]);
      expect(plan).toEqual(before);
    });

    test('is deterministic: same plan (even a copy) → identical files', () => {
      const first = renderer.render(plan, OPTIONS);
      const second = renderer.render(structuredClone(plan), OPTIONS);
      expect(second).toEqual(first);
    });

    test('writes relative, POSIX, unique paths without ..', () => {
      const { files } = renderer.render(plan, OPTIONS);
      expect(files.length).toBeGreaterThan(0);
      for (const { path, contents } of files) {
        expect(typeof contents).toBe('string');
        expect(path).not.toMatch(/^\/|\\|^[A-Za-z]:/);
        const segments = path.split('/');
        expect(
          segments.every((s) => s !== '' && s !== '.' && s !== '..'),
          path,
        ).toBe(true);
        expect(path).not.toMatch(/[<>:"|?*]/);
        expect(
          [...path].every((ch) => ch.charCodeAt(0) >= 0x20),
          `control character in ${path}`,
        ).toBe(true);
      }
      const lower = files.map((f) => f.path.toLowerCase());
      expect(new Set(lower).size, 'paths must be unique, even on case-insensitive file systems').toBe(
        lower.length,
      );
    });

    test('renders every case or reports it in diagnostics by id', () => {
      const result = renderer.render(plan, OPTIONS);
      const ids = plan.cases.map((c) => c.id);
      expect(new Set(result.renderedCaseIds).size).toBe(result.renderedCaseIds.length);
      for (const id of result.renderedCaseIds) expect(ids).toContain(id);
      const rendered = new Set(result.renderedCaseIds);
      for (const id of ids.filter((i) => !rendered.has(i))) {
        const pattern = new RegExp(`(^|[^A-Za-z0-9_])${escapeRegExp(id)}($|[^A-Za-z0-9_])`);
        const reported = result.diagnostics.some((d) => pattern.test(d.message));
        expect(reported, `case ${id} is neither rendered nor reported`).toBe(true);
      }
    });

    test.skipIf(format in README_ENV_EXEMPT)(
      'has a README naming BASE_URL and every credential variable',
      () => {
        const readme = renderer.render(plan, OPTIONS).files.find((f) => f.path === 'README.md');
        expect(readme, 'README.md at the root of the output').toBeDefined();
        expect(readme!.contents).toContain('BASE_URL');
        for (const scheme of Object.values(plan.securitySchemes)) {
          for (const variable of Object.values(scheme.env)) expect(readme!.contents).toContain(variable);
        }
      },
    );

    test('puts the SpecMint header in, or the white-label header instead', () => {
      const plain = renderer
        .render(plan, OPTIONS)
        .files.map((f) => f.contents)
        .join('\n');
      expect(plain).toContain(`Generated by SpecMint ${OPTIONS.generatorVersion}`);
      const labelled = renderer.render(plan, { ...OPTIONS, header: 'ACME QA — internal' });
      const text = labelled.files.map((f) => f.contents).join('\n');
      expect(text).toContain('ACME QA — internal');
      expect(text).not.toContain('Generated by SpecMint');
    });
  });
});
