/**
 * The groups in which the main thread and the render helper thread claim a run's formats: every format once,
 * vitest/jest/playwright (one code generator) in one group, the costliest group first, and each group's
 * formats in the order asked for.
 */
import { describe, expect, test } from 'vitest';
import { formatGroups } from '../../cli/engine/render/render-helper.ts';
import { FORMATS, type Format } from '../../shared/plans.ts';

describe('formatGroups', () => {
  test('all eight: the JS formats together first, then the others, costliest first', () => {
    expect(formatGroups(FORMATS)).toEqual([
      ['vitest', 'jest', 'playwright'],
      ['postman'],
      ['pytest'],
      ['json'],
      ['k6'],
      ['sql'],
    ]);
  });

  test.each([
    [['playwright', 'sql', 'jest']],
    [['jest', 'pytest', 'playwright', 'k6', 'sql']],
    [[...FORMATS].reverse()],
  ] as Format[][][])('%j: every format once, the JS ones in one group in the order given', (formats) => {
    const groups = formatGroups(formats);
    expect(groups.flat().sort()).toEqual([...formats].sort());
    const js = formats.filter((format) => ['vitest', 'jest', 'playwright'].includes(format));
    expect(groups).toContainEqual(js);
  });

  test('one format, or one group, leaves nothing to share', () => {
    expect(formatGroups(['pytest'])).toEqual([['pytest']]);
    expect(formatGroups(['jest', 'vitest'])).toEqual([['jest', 'vitest']]);
  });
});
