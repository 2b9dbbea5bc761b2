/**
 * Unit tests of the JS-family runtime (cli/engine/render/js-common/runtime/), imported as the TypeScript it is:
 * status and media matching, JSON pointers, deep equality, variables, request building and credentials, the
 * pattern fallback, response checks, and both transports against a local HTTP server. The contract tables come
 * from the runtime's stand-in schemas.ts, filled here.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request as playwrightRequest } from '@playwright/test';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { evaluate, patternRegExp } from '../../../cli/engine/render/js-common/runtime/checks.ts';
import { apiCase } from '../../../cli/engine/render/js-common/runtime/fetch.ts';
import { apiCase as playwrightCase } from '../../../cli/engine/render/js-common/runtime/playwright.ts';
import { operations, securitySchemes } from '../../../cli/engine/render/js-common/runtime/schemas.ts';
import {
  buildRequest,
  encodeBody,
  type Incoming,
  type StepSpec,
  v,
} from '../../../cli/engine/render/js-common/runtime/specmint.runtime.ts';
import {
  deepEqual,
  isJson,
  mediaMatches,
  mediaTypeOf,
  pointerGet,
  selectedChecks,
  statusMatches,
  substitute,
  type Vars,
} from '../../../cli/engine/render/js-common/runtime/values.ts';

const PET = {
  type: 'object',
  required: ['id', 'name'],
  properties: { id: { type: 'integer' }, name: { type: 'string', pattern: '^[A-Z]' } },
};

beforeAll(() => {
  operations.getPet = {
    method: 'GET',
    path: '/pets/{id}',
    responses: [
      { status: '200', contents: [{ mediaType: 'application/json', schema: PET }] },
      { status: '4XX', contents: [{ mediaType: 'application/problem+json' }] },
      { status: 'default', contents: [] },
    ],
  };
  operations.listPets = { method: 'GET', path: '/pets', responses: [{ status: '200', contents: [] }] };
  securitySchemes.bearer = { kind: 'bearer', tokenEnv: 'UNIT_TOKEN' };
  securitySchemes.basic = { kind: 'basic', usernameEnv: 'UNIT_USER', passwordEnv: 'UNIT_PASSWORD' };
  securitySchemes.queryKey = { kind: 'apiKey', in: 'query', name: 'api key', tokenEnv: 'UNIT_KEY' };
  securitySchemes.cookieKey = { kind: 'apiKey', in: 'cookie', name: 'session', tokenEnv: 'UNIT_KEY' };
  securitySchemes.headerKey = { kind: 'apiKey', in: 'header', name: 'X-Key', tokenEnv: 'UNIT_KEY' };
});

const savedEnv = { ...process.env };
afterEach(() => {
  process.env = { ...savedEnv };
});

describe('matching', () => {
  test.each([
    ['200', 200, true],
    ['2XX', 204, true],
    ['2xx', 299, true],
    ['4XX', 500, false],
    ['201', 200, false],
    ['default', 200, false],
  ])('statusMatches(%j, %i) is %s', (pattern, status, expected) => {
    expect(statusMatches(pattern, status)).toBe(expected);
  });

  test.each([
    ['Application/JSON; charset=utf-8', 'application/json'],
    ['  text/plain ', 'text/plain'],
    ['', ''],
  ])('mediaTypeOf(%j) is %j', (header, expected) => {
    expect(mediaTypeOf(header)).toBe(expected);
  });

  test.each([
    ['*/*', 'text/html', true],
    ['image/*', 'image/png', true],
    ['image/*', 'text/png', false],
    ['application/*+json', 'application/problem+json', true],
    ['application/*+json', 'application/json', false],
    ['application/json', 'application/problem+json', true],
    ['Application/JSON; charset=utf-8', 'application/json', true],
    ['text/plain', 'text/html', false],
    ['text', 'text', true],
    ['text', 'text/plain', false],
  ])('mediaMatches(%j, %j) is %s', (declared, actual, expected) => {
    expect(mediaMatches(declared, actual)).toBe(expected);
  });

  test.each([
    ['application/json', true],
    ['application/vnd.api+json', true],
    ['text/json', true],
    ['application/jsonx', false],
    ['application/json-seq', false],
    ['text/plain', false],
  ])('isJson(%j) is %s', (mediaType, expected) => {
    expect(isJson(mediaType)).toBe(expected);
  });
});

describe('JSON values', () => {
  const doc = JSON.parse(
    '{"a":[{"b":1}],"a/b":2,"m~n":3,"__proto__":{"x":4},"n":null,"list":[10,20]}',
  ) as Record<string, unknown>;

  test.each([
    ['', doc],
    ['/a/0/b', 1],
    ['/a~1b', 2],
    ['/m~0n', 3],
    ['/__proto__/x', 4],
    ['/n', null],
    ['/list/1', 20],
    ['/list/01', undefined],
    ['/list/-', undefined],
    ['/list/2', undefined],
    ['/missing', undefined],
    ['/toString', undefined],
    ['a', undefined],
  ])('pointerGet(doc, %j)', (pointer, expected) => {
    expect(pointerGet(doc, pointer)).toEqual(expected);
  });

  test.each([
    [{ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }, true],
    [[1, 2], { 0: 1, 1: 2 }, false],
    [[1, 2], [2, 1], false],
    [null, {}, false],
    [1, '1', false],
    [{ a: undefined }, { b: undefined }, false],
    [{ a: 1 }, { a: 1, b: 2 }, false],
  ])('deepEqual(%j, %j) is %s', (a, b, expected) => {
    expect(deepEqual(a, b)).toBe(expected);
    expect(deepEqual(b, a)).toBe(expected);
  });

  test('substitute replaces captured variables at any depth and keeps __proto__ as data', () => {
    const vars: Vars = new Map<string, unknown>([
      ['id', 7],
      ['tags', ['x']],
    ]);
    const value = JSON.parse(
      '{"__proto__":{"$var":"id"},"list":[{"$var":"tags"}],"not":{"$var":"id","k":1}}',
    );
    const out = substitute(value, vars) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toBe(7);
    expect(out.list).toEqual([['x']]);
    expect(out.not).toEqual({ $var: 'id', k: 1 });
    expect(() => substitute({ a: v('nope') }, vars)).toThrow(
      'variable "nope" was not captured by an earlier step',
    );
  });
});

describe('buildRequest', () => {
  const base = 'http://api.test/v1';
  const spec = (over: Partial<StepSpec>): StepSpec => ({
    operationId: 'getPet',
    method: 'GET',
    path: ['/pets'],
    expect: ['200'],
    ...over,
  });

  test('encodes captured path and query values, joins cookies, keeps literal parts as they are', () => {
    const vars: Vars = new Map<string, unknown>([
      ['id', 'a/b c'],
      ['n', 12],
    ]);
    const { request } = buildRequest(
      base,
      spec({
        path: ['/pets/', v('id'), '/tags/%C3%A9'],
        query: [
          ['page size', v('n')],
          ['q', 'x&y'],
        ],
        headers: { Accept: 'application/json' },
        cookies: { a: '1', b: '2' },
      }),
      vars,
    );
    expect(request).toEqual({
      method: 'GET',
      url: 'http://api.test/v1/pets/a%2Fb%20c/tags/%C3%A9?page%20size=12&q=x%26y',
      headers: { Accept: 'application/json', Cookie: 'a=1; b=2' },
    });
  });

  test('sends the credentials of every scheme of the set, read from their env vars', () => {
    Object.assign(process.env, { UNIT_TOKEN: 't0k', UNIT_USER: 'ann', UNIT_PASSWORD: 'pw', UNIT_KEY: 'k3y' });
    const { request: all, secrets } = buildRequest(
      base,
      spec({ auth: { mode: 'valid', schemes: ['bearer', 'queryKey', 'cookieKey', 'headerKey'] } }),
      new Map(),
    );
    expect(secrets.map((secret) => secret.shell)).toEqual([
      '$UNIT_TOKEN',
      '$UNIT_KEY',
      '$UNIT_KEY',
      '$UNIT_KEY',
    ]);
    expect(all.url).toBe('http://api.test/v1/pets?api%20key=k3y');
    expect(all.headers).toEqual({ Authorization: 'Bearer t0k', 'X-Key': 'k3y', Cookie: 'session=k3y' });
    const { request: basic } = buildRequest(
      base,
      spec({ auth: { mode: 'valid', schemes: ['basic'] } }),
      new Map(),
    );
    expect(basic.headers.Authorization).toBe(`Basic ${Buffer.from('ann:pw').toString('base64')}`);
  });

  test('sends deliberately invalid credentials without reading the env, and none for mode none', () => {
    delete process.env.UNIT_TOKEN;
    const { request: invalid, secrets } = buildRequest(
      base,
      spec({ auth: { mode: 'invalid', schemes: ['bearer', 'basic'] } }),
      new Map(),
    );
    expect(secrets).toEqual([]);
    expect(invalid.headers.Authorization).toBe(
      `Basic ${Buffer.from('invalid-specmint-user:invalid-specmint-password').toString('base64')}`,
    );
    const { request: none } = buildRequest(
      base,
      spec({ auth: { mode: 'none', schemes: ['bearer'] } }),
      new Map(),
    );
    expect(none.headers).toEqual({});
  });

  test('sends a request without a credential that is not set, naming it; refuses an unknown scheme', () => {
    delete process.env.UNIT_TOKEN;
    const built = buildRequest(base, spec({ auth: { mode: 'valid', schemes: ['bearer'] } }), new Map());
    expect(built.request.headers).toEqual({});
    expect(built.missing).toEqual(['UNIT_TOKEN']);
    expect(() => buildRequest(base, spec({ auth: { mode: 'valid', schemes: ['nope'] } }), new Map())).toThrow(
      'unknown security scheme "nope"',
    );
  });

  test.each([
    ['json', { id: { $var: 'id' }, tags: ['a'] }, '{"id":5,"tags":["a"]}', []],
    [
      'form',
      { id: { $var: 'id' }, meta: { a: 1 }, tags: ['x', { $var: 'id' }] },
      'id=5&meta=%7B%22a%22%3A1%7D&tags=x&tags=5',
      [
        ['id', '5'],
        ['meta', '{"a":1}'],
        ['tags', 'x'],
        ['tags', '5'],
      ],
    ],
    [
      'multipart',
      { name: 'Rex', id: { $var: 'id' } },
      'name=Rex&id=5',
      [
        ['name', 'Rex'],
        ['id', '5'],
      ],
    ],
    ['text', 'plain words', 'plain words', []],
  ] as const)('encodes a %s body', (kind, value, text, fields) => {
    const body = encodeBody({ kind, mediaType: `x/${kind}`, value }, new Map([['id', 5]]));
    expect(body).toEqual({ kind, contentType: `x/${kind}`, text, fields });
  });
});

describe('patternRegExp', () => {
  test('compiles a pattern only valid without the u flag without it', () => {
    const pattern = patternRegExp('^[\\-\\.\\_0-9A-Za-z]+$', 'u');
    expect(pattern.test('a-b.c_1')).toBe(true);
    expect(pattern.test('a b')).toBe(false);
  });

  test('keeps the u flag where it changes the meaning, and for values with surrogates', () => {
    expect(patternRegExp('^\\p{L}+$', 'u').test('héllo')).toBe(true);
    expect(patternRegExp('^.$', 'u').test('😀')).toBe(true);
    expect(patternRegExp('^\\u{41}$', 'u').test('A')).toBe(true);
    expect(String(patternRegExp('^a+$', 'u'))).toBe('/^a+$/u');
  });

  test('finishes a nested quantifier against a long value it does not match (linear-time fallback)', () => {
    expect(patternRegExp('^([\\w.-]*)*$', 'u').test(`${'a'.repeat(5000)}!`)).toBe(false);
  });
});

describe('evaluate (the checks of one response)', () => {
  const step = (over: Partial<StepSpec> = {}): StepSpec => ({
    operationId: 'getPet',
    method: 'GET',
    path: ['/pets/1'],
    expect: ['200'],
    ...over,
  });
  const json = (status: number, body: unknown, contentType = 'application/json'): Incoming => ({
    status,
    contentType,
    headers: contentType ? { 'content-type': contentType } : {},
    text: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const messages = (spec: StepSpec, response: Incoming, vars: Vars = new Map()): string[] => {
    const outcome = evaluate(spec, spec.method, response, {
      vars,
      snapshots: new Map(),
      checks: selectedChecks({}),
    });
    if (spec.capture && outcome.failures.length === 0) outcome.capture(spec.capture, vars);
    return outcome.failures.map((failure) => `${failure.check}: ${failure.message}`);
  };

  test('accepts a declared, expected response whose body matches the schema, and captures from it', () => {
    const vars: Vars = new Map();
    expect(messages(step({ capture: { petId: '/id' } }), json(200, { id: 1, name: 'Rex' }), vars)).toEqual(
      [],
    );
    expect(vars.get('petId')).toBe(1);
  });

  test.each([
    [
      'a server error',
      json(503, 'down', 'text/plain'),
      step(),
      ['not_a_server_error: the server answered 503', 'positive_data_acceptance: expected 200, got 503'],
    ],
    [
      'an undeclared status',
      json(302, ''),
      step({ operationId: 'listPets' }),
      [
        'positive_data_acceptance: expected 200, got 302',
        'status_code_conformance: status 302 not declared (declared: 200)',
      ],
    ],
    [
      'an unexpected status',
      json(200, { id: 1, name: 'Rex' }),
      step({ expect: ['4XX'], check: 'negative_data_rejection' }),
      ['negative_data_rejection: expected a 4xx status, got 200'],
    ],
    [
      'an undeclared content type',
      json(200, '<p/>', 'text/html'),
      step(),
      [
        'content_type_conformance: Content-Type text/html is not declared for 200 (declared: application/json)',
      ],
    ],
    [
      'a body off its schema',
      json(200, { id: 'x', name: 'rex' }),
      step(),
      [
        'response_schema_conformance: body does not match the 200 response schema of getPet: body/id must be integer; body/name must match pattern "^[A-Z]"',
      ],
    ],
    [
      'a body that is not JSON',
      json(200, '{'),
      step(),
      [
        expect.stringMatching(
          /^response_schema_conformance: body does not match the 200 response schema of getPet: the body is not JSON/,
        ),
      ],
    ],
    [
      'a missing capture',
      json(200, { id: 1, name: 'Rex' }),
      step({ capture: { tag: '/tag' } }),
      ['capture: cannot capture "tag" for the next steps: /tag is missing in the response body'],
    ],
    [
      'an unexpected value',
      json(200, { id: 1, name: 'Rex' }),
      step({ bodyEquals: [['/name', 'Max']] }),
      ['read_after_write: /name: sent "Max", read back "Rex"'],
    ],
    [
      'an unknown operation',
      json(200, {}),
      step({ operationId: 'nope' }),
      ['status_code_conformance: operation nope is not in schemas'],
    ],
  ])('fails on %s, naming every check that failed', (_name, response, spec, expected) => {
    expect(messages(spec, response)).toEqual(expected);
  });

  test('takes the status class, then default; skips the body check when asked', () => {
    expect(
      messages(step({ expect: ['4XX'] }), json(404, { title: 'x' }, 'application/problem+json')),
    ).toEqual([]);
    expect(messages(step({ expect: ['3XX'] }), json(304, '', ''))).toEqual([]);
    expect(messages(step({ validateBody: false }), json(200, 'not json', 'text/html'))).toEqual([
      'content_type_conformance: Content-Type text/html is not declared for 200 (declared: application/json)',
    ]);
  });

  test('compares expected values with captured variables substituted, objects by the properties sent', () => {
    const vars: Vars = new Map([['name', 'Rex']]);
    expect(
      messages(step({ bodyEquals: [['/name', v('name')]] }), json(200, { id: 1, name: 'Rex' }), vars),
    ).toEqual([]);
    expect(
      messages(step({ bodyEquals: [['', { id: 1 }]] }), json(200, { id: 1, name: 'Rex' }), vars),
    ).toEqual([]);
    expect(
      messages(step({ bodyEquals: [['', { id: 2 }]] }), json(200, { id: 1, name: 'Rex' }), vars),
    ).toEqual(['read_after_write: the body: sent {"id":2}, read back {"id":1,"name":"Rex"}']);
  });
});

describe('transports', () => {
  let server: Server;
  let base = '';
  const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        if (req.url?.startsWith('/moved')) {
          res.writeHead(302, { Location: '/pets/1' }).end();
          return;
        }
        res
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ id: 1, name: 'Rex' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const create: StepSpec = {
    operationId: 'getPet',
    method: 'POST',
    path: ['/pets'],
    body: { kind: 'json', mediaType: 'application/merge-patch+json', value: { name: 'Rex' } },
    expect: ['200'],
    capture: { petId: '/id' },
  };
  const upload: StepSpec = {
    operationId: 'getPet',
    method: 'PUT',
    path: ['/pets/', v('petId'), '/photo'],
    body: { kind: 'multipart', mediaType: 'multipart/form-data', value: { caption: 'hi' } },
    expect: ['200'],
  };

  test('fetch: BASE_URL (trailing slash trimmed), bodies, captures carried to the next step', async () => {
    process.env.BASE_URL = `${base}/`;
    seen.length = 0;
    const api = apiCase('unit_fetch');
    await api.step(create);
    await api.step(upload);
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /pets', 'PUT /pets/1/photo']);
    expect(seen[0]?.headers['content-type']).toBe('application/merge-patch+json');
    expect(seen[0]?.body).toBe('{"name":"Rex"}');
    expect(seen[1]?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen[1]?.body).toContain('name="caption"\r\n\r\nhi\r\n');
  });

  test('fetch: a redirect is the response (not followed), and is checked as one', async () => {
    process.env.BASE_URL = base;
    await expect(
      apiCase('unit_redirect').step({ ...create, capture: undefined, path: ['/moved'] }),
    ).rejects.toThrow('positive_data_acceptance: expected 200, got 302');
  });

  test('fetch: a missing BASE_URL and an unreachable server are reported with the step', async () => {
    delete process.env.BASE_URL;
    await expect(apiCase('unit_nobase').step(create)).rejects.toThrow(
      'unit_nobase — unit_nobase\n  at step 1: BASE_URL is not set: export BASE_URL=<root URL of the API under test>',
    );
    process.env.BASE_URL = 'http://127.0.0.1:9';
    await expect(apiCase('unit_down').step(create)).rejects.toThrow(
      /✗ request: it got no response: [\s\S]*request: {2}POST http:\/\/127\.0\.0\.1:9\/pets/,
    );
  });

  test("Playwright: the request fixture's context sends the same requests", async () => {
    const request = await playwrightRequest.newContext();
    try {
      seen.length = 0;
      const api = playwrightCase('unit_playwright', { request, baseURL: `${base}/` });
      await api.step(create);
      await api.step(upload);
      expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /pets', 'PUT /pets/1/photo']);
      expect(seen[0]?.headers['content-type']).toBe('application/merge-patch+json');
      expect(seen[0]?.body).toBe('{"name":"Rex"}');
      expect(seen[1]?.body).toContain('name="caption"\r\n\r\nhi\r\n');
      await expect(
        playwrightCase('unit_pw_redirect', { request, baseURL: base }).step({
          ...create,
          capture: undefined,
          path: ['/moved'],
        }),
      ).rejects.toThrow('expected 200, got 302');
    } finally {
      await request.dispose();
    }
  });
});
