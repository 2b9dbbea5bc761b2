/**
 * A format whose single file would pass V8's string limit (~512 MB) is a clear input error naming the way
 * out, not a crash. (The JSON plan and the Postman collection are kept in parts when that large, see
 * cli/engine/render/common/file-text.test.ts; a huge test file of another format can still reach it.)
 * The limit is reached by making JSON.stringify throw exactly what V8 throws there.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { prepareSpec } from '../../cli/engine/pipeline.ts';
import { planTests } from '../../cli/engine/plan/plan-tests.ts';
import { renderFormat } from '../../cli/engine/render/render-format.ts';
import { InputError } from '../../cli/errors.ts';

const PETSTORE = join(import.meta.dirname, '../fixtures/specs/sut/petstore.yaml');

afterEach(() => {
  vi.restoreAllMocks();
});

describe('output past the string limit', () => {
  it('is an OUTPUT_TOO_LARGE input error (exit 1) with a hint', async () => {
    const { ir } = await prepareSpec(PETSTORE);
    const plan = planTests(ir, { seed: 1 });
    vi.spyOn(JSON, 'stringify').mockImplementation(() => {
      throw new RangeError('Invalid string length');
    });
    let caught: unknown;
    try {
      renderFormat('json', plan, { generatorVersion: 'test' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    const error = caught as InputError;
    expect(error.code).toBe('OUTPUT_TOO_LARGE');
    expect(error.exitCode).toBe(1);
    expect(error.message).toMatch(/json output for \d+ test cases is too large/);
    expect(error.hint).toMatch(/--tags or --operations/);
  });

  it('leaves other errors alone', async () => {
    const { ir } = await prepareSpec(PETSTORE);
    const plan = planTests(ir, { seed: 1 });
    vi.spyOn(JSON, 'stringify').mockImplementation(() => {
      throw new TypeError('Converting circular structure to JSON');
    });
    expect(() => renderFormat('json', plan, { generatorVersion: 'test' })).toThrow(TypeError);
  });
});
