/**
 * Anthropic through `@anthropic-ai/sdk`: the Messages API with one tool whose `input_schema` is the proposal
 * schema, and `tool_choice` forcing the model to call it — the tool input is the structured answer.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/tool-use
 */
import Anthropic from '@anthropic-ai/sdk';
import { sharedProxyFetch } from '../../../net/proxy-fetch.ts';
import { toProviderError } from './http-errors.ts';
import { parseProposalOutput } from './parse-output.ts';
import {
  type ProposalProvider,
  type ProviderAnswer,
  ProviderError,
  type ProviderOptions,
  type ProviderRequest,
} from './types.ts';

/** Anthropic's public API. */
export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';

/** The tool the model must call. */
export const PROPOSAL_TOOL = 'record_test_case_proposals';

/** Room for up to eight proposals with bodies. */
const MAX_OUTPUT_TOKENS = 4096;

const ANTHROPIC_ERRORS = {
  isTimeout: (error: unknown) => error instanceof Anthropic.APIConnectionTimeoutError,
  isAbort: (error: unknown) => error instanceof Anthropic.APIUserAbortError,
};

/** Creates the Anthropic provider. ANTHROPIC_BASE_URL / ANTHROPIC_AUTH_TOKEN are deliberately not read. */
export function createAnthropicProvider(options: ProviderOptions): ProposalProvider {
  const client = new Anthropic({
    apiKey: options.apiKey,
    baseURL: options.baseUrl ?? ANTHROPIC_BASE_URL,
    maxRetries: 0,
    timeout: options.timeoutMs,
    logLevel: 'off',
    fetch: sharedProxyFetch(),
  });
  const label = `Anthropic (${options.model})`;
  return {
    provider: 'anthropic',
    model: options.model,
    async propose(request: ProviderRequest): Promise<ProviderAnswer> {
      let message: Anthropic.Messages.Message;
      try {
        message = await client.messages.create(
          {
            model: options.model,
            max_tokens: MAX_OUTPUT_TOKENS,
            system: request.system,
            messages: [{ role: 'user', content: request.user }],
            tools: [
              {
                name: PROPOSAL_TOOL,
                description: 'Records the proposed test cases for the operation.',
                input_schema: { type: 'object', ...request.schema },
              },
            ],
            tool_choice: { type: 'tool', name: PROPOSAL_TOOL },
          },
          { signal: request.signal },
        );
      } catch (error) {
        throw toProviderError(error, label, ANTHROPIC_ERRORS);
      }
      const block = message.content.find((b) => b.type === 'tool_use' && b.name === PROPOSAL_TOOL);
      if (block?.type !== 'tool_use') {
        throw new ProviderError('malformed', `${label} answered without calling ${PROPOSAL_TOOL}`);
      }
      return {
        output: parseProposalOutput(block.input, label),
        usage: {
          inputTokens: message.usage.input_tokens ?? 0,
          outputTokens: message.usage.output_tokens ?? 0,
        },
      };
    },
  };
}
