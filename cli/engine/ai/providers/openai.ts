/**
 * OpenAI (and OpenAI-compatible endpoints: Azure OpenAI, local model servers) through the `openai` SDK:
 * Chat Completions with a strict JSON Schema response format.
 * @see https://platform.openai.com/docs/guides/structured-outputs
 */
import OpenAI from 'openai';
import { sharedProxyFetch } from '../../../net/proxy-fetch.ts';
import { toProviderError } from './http-errors.ts';
import { parseAnswerText } from './parse-output.ts';
import {
  type ProposalProvider,
  type ProviderAnswer,
  ProviderError,
  type ProviderOptions,
  type ProviderRequest,
} from './types.ts';

/** OpenAI's public API. */
export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

const OPENAI_ERRORS = {
  isTimeout: (error: unknown) => error instanceof OpenAI.APIConnectionTimeoutError,
  isAbort: (error: unknown) => error instanceof OpenAI.APIUserAbortError,
};

/** Creates the OpenAI provider. Environment variables such as OPENAI_BASE_URL are deliberately not read. */
export function createOpenAiProvider(options: ProviderOptions): ProposalProvider {
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseUrl ?? OPENAI_BASE_URL,
    organization: null,
    project: null,
    maxRetries: 0,
    timeout: options.timeoutMs,
    logLevel: 'off',
    fetch: sharedProxyFetch(),
  });
  const label = `OpenAI (${options.model})`;
  return {
    provider: 'openai',
    model: options.model,
    async propose(request: ProviderRequest): Promise<ProviderAnswer> {
      let completion: OpenAI.Chat.Completions.ChatCompletion;
      try {
        completion = await client.chat.completions.create(
          {
            model: options.model,
            messages: [
              { role: 'system', content: request.system },
              { role: 'user', content: request.user },
            ],
            response_format: {
              type: 'json_schema',
              json_schema: { name: 'test_case_proposals', strict: true, schema: request.schema },
            },
          },
          { signal: request.signal },
        );
      } catch (error) {
        throw toProviderError(error, label, OPENAI_ERRORS);
      }
      const message = completion.choices[0]?.message;
      if (message?.refusal)
        throw new ProviderError('malformed', `${label} refused: ${message.refusal.slice(0, 200)}`);
      return {
        output: parseAnswerText(message?.content, label),
        usage: {
          inputTokens: completion.usage?.prompt_tokens ?? 0,
          outputTokens: completion.usage?.completion_tokens ?? 0,
        },
      };
    },
  };
}
