/**
 * The hooks of a JS-family suite, called by the runtime around each request (hooks.ts stands in for the user's
 * file): beforeRequest changes what is sent, afterResponse sees the response, afterFailure hears of a failed
 * test; a hook that throws fails the test it ran for, naming the hook.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { apiCase } from '../../../cli/engine/render/js-common/runtime/fetch.ts';
import { operations } from '../../../cli/engine/render/js-common/runtime/schemas.ts';
import type { Outgoing, StepSpec } from '../../../cli/engine/render/js-common/runtime/specmint.runtime.ts';

const hooks = vi.hoisted(() => ({
  beforeRequest: vi.fn(),
  afterResponse: vi.fn(),
  afterFailure: vi.fn(),
}));
vi.mock('../../../cli/engine/render/js-common/runtime/hooks.ts', () => hooks);

const seen: IncomingHttpHeaders[] = [];
let server: Server;

beforeAll(async () => {
  operations.getThing = { method: 'GET', path: '/thing', responses: [{ status: '200', contents: [] }] };
  server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(req.headers['x-fail'] ? 500 : 200, { 'Content-Type': 'text/plain' }).end('hello');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.BASE_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen.length = 0;
  hooks.beforeRequest.mockReset();
  hooks.afterResponse.mockReset();
  hooks.afterFailure.mockReset();
});

const get: StepSpec = { operationId: 'getThing', method: 'GET', path: ['/thing'], expect: ['200'] };

describe('hooks around a request', () => {
  test('beforeRequest changes what is sent; afterResponse sees the request and the response', async () => {
    hooks.beforeRequest.mockImplementation(async (request: Outgoing) => {
      request.headers['X-Signed'] = 'yes';
    });
    await apiCase('signed').step(get);
    expect(seen[0]?.['x-signed']).toBe('yes');
    const [request, response] = hooks.afterResponse.mock.calls[0] ?? [];
    expect(request.headers['X-Signed']).toBe('yes');
    expect(response).toMatchObject({ status: 200, text: 'hello' });
    expect(hooks.afterFailure).not.toHaveBeenCalled();
  });

  test('afterFailure hears of a failed test with its case id and the error', async () => {
    hooks.beforeRequest.mockImplementation((request: Outgoing) => {
      request.headers['X-Fail'] = '1';
    });
    await expect(apiCase('broken').step(get)).rejects.toThrow(
      '✗ not_a_server_error: the server answered 500',
    );
    expect(hooks.afterFailure).toHaveBeenCalledTimes(1);
    const [testId, error] = hooks.afterFailure.mock.calls[0] ?? [];
    expect(testId).toBe('broken');
    expect(error.name).toBe('CheckFailure');
  });

  test('a hook that throws fails the test it ran for, naming the hook (with the response, after it)', async () => {
    hooks.afterResponse.mockImplementation(() => {
      throw new TypeError('cannot read the token');
    });
    const error = await apiCase('hooked')
      .step(get)
      .catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(
      '✗ hook: afterResponse() of the hooks file threw TypeError: cannot read the token',
    );
    expect((error as Error).message).toContain('  response: 200 text/plain\n            hello');
    expect(hooks.afterFailure).toHaveBeenCalledTimes(1);
  });

  test('an afterFailure hook that throws adds its error to the failure', async () => {
    hooks.beforeRequest.mockImplementation(() => {
      throw new Error('no signing key');
    });
    hooks.afterFailure.mockImplementation(() => {
      throw new Error('clean-up failed');
    });
    const error = (await apiCase('twice')
      .step(get)
      .catch((caught: Error) => caught)) as Error;
    expect(error.message).toContain('✗ hook: beforeRequest() of the hooks file threw Error: no signing key');
    expect(error.message).toContain('hook afterFailure() of the hooks file threw Error: clean-up failed');
    expect(seen).toEqual([]);
  });
});
