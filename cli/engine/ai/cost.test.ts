import { expect, test } from 'vitest';
import { estimateCostUsd, priceOf } from './cost.ts';

test.each([
  ['gpt-4.1-mini', { input: 0.4, output: 1.6 }],
  ['claude-haiku-4-5-20251001', { input: 1, output: 5 }],
  ['gpt-4.1-mini-2025-04-14', { input: 0.4, output: 1.6 }],
  ['my-local-llama', undefined],
])('priceOf(%s)', (model, price) => {
  expect(priceOf(model)).toEqual(price);
});

test('estimateCostUsd', () => {
  expect(estimateCostUsd('gpt-4.1-mini', { inputTokens: 1_000_000, outputTokens: 500_000 })).toBeCloseTo(1.2);
  expect(estimateCostUsd('unknown', { inputTokens: 10, outputTokens: 10 })).toBe(0);
});
