/** The two fake providers behind one description, so every test runs against both wire formats. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AiOptions } from '../../cli/engine/ai/enhance-plan.ts';
import { startFakeAnthropic } from './fake-anthropic-server.ts';
import { startFakeOpenAi } from './fake-openai-server.ts';
import type { FakeBehaviour, FakeProvider } from './fake-provider-core.ts';

/** One provider under test. */
export interface ProviderUnderTest {
  name: 'openai' | 'anthropic';
  model: string;
  start(behaviour: FakeBehaviour): Promise<FakeProvider>;
  /** The `baseUrl` to give the SDK for a running fake. */
  baseUrl(fake: FakeProvider): string;
  /** The status the provider uses when it is overloaded. */
  overloadStatus: number;
}

export const PROVIDERS_UNDER_TEST: ProviderUnderTest[] = [
  {
    name: 'openai',
    model: 'gpt-4.1-mini',
    start: startFakeOpenAi,
    baseUrl: (fake) => `${fake.origin}/v1`,
    overloadStatus: 503,
  },
  {
    name: 'anthropic',
    model: 'claude-haiku-4-5',
    start: startFakeAnthropic,
    baseUrl: (fake) => fake.origin,
    overloadStatus: 529,
  },
];

/** A fake-looking key that is easy to search for. */
export const TEST_KEY = 'sk-test-KEY-0123456789abcdef';

/** A fresh cache directory in the OS temp folder. */
export function freshCacheDir(): string {
  return mkdtempSync(join(tmpdir(), 'specmint-ai-cache-'));
}

/** AI options pointing at `fake`, with quick retries. */
export function optionsFor(
  p: ProviderUnderTest,
  fake: FakeProvider,
  extra: Partial<AiOptions> = {},
): AiOptions {
  return {
    provider: p.name,
    model: p.model,
    baseUrl: p.baseUrl(fake),
    apiKey: TEST_KEY,
    cacheDir: freshCacheDir(),
    timeoutMs: 10_000,
    maxRetries: 1,
    ...extra,
  };
}
