/**
 * Rough cost estimates for the progress line: list prices in USD per million tokens of the models SpecMint
 * knows. Dated snapshots (`claude-haiku-4-5-20251001`) match their family. Unknown models (custom endpoints,
 * local servers) are estimated at 0.
 */
import type { TokenUsage } from './providers/types.ts';

/** USD per million input / output tokens. */
export const MODEL_PRICES: Record<string, { input: number; output: number }> = {
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'claude-haiku-4-5': { input: 1, output: 5 },
  'claude-sonnet-4-5': { input: 3, output: 15 },
  'claude-opus-4-1': { input: 15, output: 75 },
};

/** The price entry of `model`: exact name first, else the longest known name it starts with. */
export function priceOf(model: string): { input: number; output: number } | undefined {
  const exact = MODEL_PRICES[model];
  if (exact) return exact;
  const family = Object.keys(MODEL_PRICES)
    .filter((name) => model.startsWith(`${name}-`))
    .sort((a, b) => b.length - a.length)[0];
  return family === undefined ? undefined : MODEL_PRICES[family];
}

/** Estimated USD cost of `usage` on `model` (0 when the price is unknown). */
export function estimateCostUsd(model: string, usage: TokenUsage): number {
  const price = priceOf(model);
  if (!price) return 0;
  return (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000;
}
