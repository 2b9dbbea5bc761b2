import { describe, expect, it } from 'vitest';
import { groupUserCode } from './user-code.ts';

describe('groupUserCode', () => {
  it.each([
    ['2BLGJ3EY', '2BLG-J3EY'],
    ['2blg-j3ey', '2BLG-J3EY'],
    ['ABCDEFGHJ', 'ABCDE-FGHJ'],
    ['ABC', 'ABC'],
  ])('%s → %s', (code, shown) => {
    expect(groupUserCode(code)).toBe(shown);
  });
});
