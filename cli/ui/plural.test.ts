import { describe, expect, test } from 'vitest';
import { plural } from './plural.ts';

describe('plural', () => {
  test('uses the singular for exactly one, the plural otherwise', () => {
    expect([0, 1, 2, 1223].map((n) => plural(n, 'operation'))).toEqual([
      '0 operations',
      '1 operation',
      '2 operations',
      '1223 operations',
    ]);
  });
});
