/**
 * A loopback server speaking the OpenAI Chat Completions wire format: `POST /v1/chat/completions` with a
 * Bearer key, a `json_schema` response format, `chat.completion` answers with usage, and OpenAI's error
 * envelope `{error:{message,type,param,code}}` for 400/401/429/5xx.
 * @see https://platform.openai.com/docs/api-reference/chat/create
 */
import type { IncomingHttpHeaders } from 'node:http';
import { type FakeBehaviour, type FakeProvider, startFake, type WireFormat } from './fake-provider-core.ts';

interface ChatRequest {
  model?: unknown;
  messages?: Array<{ role?: unknown; content?: unknown }>;
  response_format?: { type?: unknown; json_schema?: { name?: unknown; schema?: unknown; strict?: unknown } };
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'invalid_request_error',
  404: 'invalid_request_error',
  429: 'rate_limit_exceeded',
  500: 'server_error',
  503: 'server_error',
};

/** The OpenAI wire format. */
export const OPENAI_WIRE: WireFormat = {
  endpoint: '/v1/chat/completions',
  keyOf(headers: IncomingHttpHeaders) {
    const auth = headers.authorization;
    return auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined;
  },
  checkRequest(raw) {
    const body = raw as ChatRequest | undefined;
    if (typeof body?.model !== 'string') return 'you must provide a model parameter';
    if (!Array.isArray(body.messages) || body.messages.length === 0)
      return "'messages' must be a non-empty array";
    const format = body.response_format;
    if (format?.type !== 'json_schema' || typeof format.json_schema?.name !== 'string') {
      return 'response_format must be json_schema';
    }
    const schema = format.json_schema.schema as
      | { type?: unknown; additionalProperties?: unknown }
      | undefined;
    if (
      format.json_schema.strict === true &&
      (schema?.type !== 'object' || schema.additionalProperties !== false)
    ) {
      return "Invalid schema for response_format: 'additionalProperties' is required to be supplied and to be false";
    }
    return undefined;
  },
  userText(raw) {
    const body = raw as ChatRequest | undefined;
    const user = body?.messages?.find((m) => m.role === 'user');
    return typeof user?.content === 'string' ? user.content : '';
  },
  success(raw, output) {
    const body = raw as ChatRequest;
    const content = JSON.stringify(output);
    return {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: body.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200 },
    };
  },
  error(status, message) {
    return { error: { message, type: ERROR_TYPES[status] ?? 'server_error', param: null, code: null } };
  },
};

/** Starts a fake OpenAI; point the SDK at `${origin}/v1`. */
export function startFakeOpenAi(behaviour: FakeBehaviour): Promise<FakeProvider> {
  return startFake(OPENAI_WIRE, behaviour);
}
