/**
 * A loopback server speaking the Anthropic Messages wire format: `POST /v1/messages` with the key (in
 * `x-api-key` or as a Bearer token) and `anthropic-version`, a forced tool call answered as a `tool_use` content block with usage, and Anthropic's
 * error envelope `{type:"error", error:{type, message}}` for 400/401/429/500/529.
 * @see https://docs.anthropic.com/en/api/messages
 */
import type { IncomingHttpHeaders } from 'node:http';
import { type FakeBehaviour, type FakeProvider, startFake, type WireFormat } from './fake-provider-core.ts';

interface MessagesRequest {
  model?: unknown;
  max_tokens?: unknown;
  messages?: Array<{ role?: unknown; content?: unknown }>;
  tools?: Array<{ name?: unknown; input_schema?: { type?: unknown } }>;
  tool_choice?: { type?: unknown; name?: unknown };
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** The Anthropic wire format. */
export const ANTHROPIC_WIRE: WireFormat = {
  endpoint: '/v1/messages',
  keyOf(headers: IncomingHttpHeaders) {
    // The API takes the key in `x-api-key`; recent SDKs send it as `Authorization: Bearer` instead.
    const key = headers['x-api-key'];
    if (typeof key === 'string') return key;
    const auth = headers.authorization;
    return auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined;
  },
  checkRequest(raw) {
    const body = raw as MessagesRequest | undefined;
    if (typeof body?.model !== 'string') return 'model: Field required';
    if (typeof body.max_tokens !== 'number') return 'max_tokens: Field required';
    if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages: Field required';
    const tool = body.tools?.[0];
    if (typeof tool?.name !== 'string' || tool.input_schema?.type !== 'object') {
      return 'tools.0.input_schema.type: Input should be "object"';
    }
    if (body.tool_choice?.type !== 'tool' || body.tool_choice.name !== tool.name) {
      return 'tool_choice must force the tool';
    }
    return undefined;
  },
  userText(raw) {
    const body = raw as MessagesRequest | undefined;
    const user = body?.messages?.find((m) => m.role === 'user');
    return typeof user?.content === 'string' ? user.content : '';
  },
  success(raw, output) {
    const body = raw as MessagesRequest;
    return {
      id: 'msg_fake',
      type: 'message',
      role: 'assistant',
      model: body.model,
      content: [{ type: 'tool_use', id: 'toolu_fake', name: body.tools?.[0]?.name, input: output }],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 900, output_tokens: 300 },
    };
  },
  error(status, message) {
    return { type: 'error', error: { type: ERROR_TYPES[status] ?? 'api_error', message } };
  },
};

/** Starts a fake Anthropic; point the SDK at `origin`. */
export function startFakeAnthropic(behaviour: FakeBehaviour): Promise<FakeProvider> {
  return startFake(ANTHROPIC_WIRE, behaviour);
}
