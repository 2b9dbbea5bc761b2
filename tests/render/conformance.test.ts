/**
 * The conformance suite every renderer in the registry must pass (Hono-style shared suite): determinism,
 * safe relative paths, every case rendered or reported, no I/O / clock / randomness, a README naming the
 * env vars, white-label headers, and an untouched plan. Exceptions are listed with their reason.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { TestPlan } from '../../cli/engine/plan/types.ts';
import { RENDERERS } from '../../cli/engine/render/registry.ts';
import type { Renderer, RenderOptions } from '../../cli/engine/render/types.ts';
import type { Format } from '../../shared/plans.ts';
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

const renderers = Object.entries(RENDERERS).filter(
  (entry): entry is [Format, Renderer] => entry[1] !== undefined,
);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('the registry holds the JS-family renderers, each under its own format', () => {
  for (const format of ['json', 'vitest', 'jest', 'playwright'] as const) {
    expect(RENDERERS[format]?.format).toBe(format);
  }
  for (const [format, renderer] of renderers) {
    expect(renderer.format).toBe(format);
    expect(renderer.description.length).toBeGreaterThan(10);
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
