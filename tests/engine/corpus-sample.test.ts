import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildIr } from '../../cli/engine/ir/build-ir.ts';
import { planTests } from '../../cli/engine/plan/plan-tests.ts';
import { renderFormat } from '../../cli/engine/render/render-format.ts';
import { loadSpec } from '../../cli/engine/spec/load-spec.ts';
import { SpecError } from '../../cli/engine/spec/spec-error.ts';
import { FORMATS } from '../../shared/plans.ts';
import { CORPUS_API_DIR, CORPUS_SAMPLE } from './corpus-sample-list.ts';

describe('corpus sample: the whole engine never crashes on real specs', () => {
  it('has about 50 distinct specs', () => {
    expect(new Set(CORPUS_SAMPLE).size).toBe(CORPUS_SAMPLE.length);
    expect(CORPUS_SAMPLE.length).toBeGreaterThanOrEqual(45);
  });

  it.each(CORPUS_SAMPLE)('%s', async (file) => {
    let result: Awaited<ReturnType<typeof loadSpec>>;
    try {
      result = await loadSpec(join(CORPUS_API_DIR, file));
    } catch (error) {
      // A clear rejection is acceptable; anything else is a crash.
      expect(error).toBeInstanceOf(SpecError);
      return;
    }
    const { ir, diagnostics } = buildIr(result);
    expect(diagnostics.every((d) => d.severity !== 'error')).toBe(true);
    expect(new Set(ir.operations.map((o) => o.id)).size).toBe(ir.operations.length);
    expect(() => JSON.stringify(ir)).not.toThrow();
    const plan = planTests(ir, { seed: 1 });
    const ids = plan.cases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const format of FORMATS) {
      const output = renderFormat(format, plan, { generatorVersion: 'test' });
      expect(output.files.length, output.format).toBeGreaterThan(0);
      const reported = new Set(output.diagnostics.map((d) => d.message));
      // Every case is rendered or reported (the conformance suite checks the ids; here: nothing is lost).
      if (plan.cases.length > 0)
        expect(output.renderedCases + reported.size, output.format).toBeGreaterThan(0);
    }
  });
});
