/** The explicit provider registry. */
import { createAnthropicProvider } from './anthropic.ts';
import { createOpenAiProvider } from './openai.ts';
import type { ProposalProvider, ProviderOptions } from './types.ts';

/** Provider factories by name. */
export const PROVIDERS: Record<'openai' | 'anthropic', (options: ProviderOptions) => ProposalProvider> = {
  openai: createOpenAiProvider,
  anthropic: createAnthropicProvider,
};

/** Creates the provider `name`. */
export function createProvider(name: 'openai' | 'anthropic', options: ProviderOptions): ProposalProvider {
  return PROVIDERS[name](options);
}
