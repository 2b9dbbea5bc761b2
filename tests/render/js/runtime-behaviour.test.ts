/**
 * The generated runtime, driven directly against a loopback server: what it sends (URL, encoding, auth,
 * bodies) and what it rejects (5xx, undeclared or unexpected status, wrong content type, schema mismatch,
 * bad JSON, missing capture, wrong read-back value). The same table runs against all three runtimes —
 * vitest (TypeScript + fetch), jest (CommonJS + fetch) and playwright (APIRequestContext) — so they are
 * shown to behave identically.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type APIRequestContext, request as playwrightRequest } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { JS_RUNTIME_PLAN } from '../../fixtures/plans/js-runtime-plan.ts';
import { writeSuite } from './suite-runner.ts';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Reply {
  status: number;
  contentType?: string;
  body?: string;
}

/** The runtime's step spec, loosely typed: the test feeds the generated code, not its types. */
type Step = Record<string, unknown>;
interface ApiCase {
  step(spec: Step): Promise<void>;
}

const received: Received[] = [];
let reply: Reply = { status: 200 };
let server: Server;
let baseUrl = '';
let pwContext: APIRequestContext;

const ENV = {
  BEARER_AUTH: 'bearer-secret',
  BASIC_AUTH_USERNAME: 'ada',
  BASIC_AUTH_PASSWORD: 'pä:ss',
  QUERY_KEY: 'q-key',
  COOKIE_KEY: 'c-key',
  OAUTH: 'oauth-token',
};

const runtimes: Array<{ name: string; start: (id: string) => ApiCase }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.statusCode = reply.status;
      if (reply.contentType) res.setHeader('content-type', reply.contentType);
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A trailing slash must not double up with the paths' leading one.
  vi.stubEnv('BASE_URL', `${baseUrl}/`);
  for (const [name, value] of Object.entries(ENV)) vi.stubEnv(name, value);

  const vitestDir = writeSuite({ format: 'vitest', plan: JS_RUNTIME_PLAN, name: 'runtime-vitest' }).dir;
  const jestDir = writeSuite({ format: 'jest', plan: JS_RUNTIME_PLAN, name: 'runtime-jest' }).dir;
  const pwDir = writeSuite({ format: 'playwright', plan: JS_RUNTIME_PLAN, name: 'runtime-playwright' }).dir;
  const vitestRuntime = await import(pathToFileURL(join(vitestDir, 'specmint.runtime.ts')).href);
  const jestRuntime = createRequire(import.meta.url)(join(jestDir, 'specmint.runtime.js'));
  const pwRuntime = await import(pathToFileURL(join(pwDir, 'specmint.runtime.ts')).href);
  pwContext = await playwrightRequest.newContext();
  runtimes.push(
    { name: 'vitest', start: (id) => vitestRuntime.apiCase(id) },
    { name: 'jest', start: (id) => jestRuntime.apiCase(id) },
    {
      name: 'playwright',
      start: (id) => pwRuntime.apiCase(id, { request: pwContext, baseURL: `${baseUrl}/` }),
    },
  );
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await pwContext?.dispose();
  await new Promise((resolve) => server?.close(resolve));
});

const THING = JSON.stringify({ id: 1, name: 'a', tag: 'ok', code: 'anything' });
const create = (extra: Step = {}): Step => ({
  operationId: 'createThing',
  method: 'POST',
  path: ['/things'],
  expect: ['201'],
  ...extra,
});

interface Scenario {
  name: string;
  replies: Reply[];
  steps: Step[];
  /** The error the case must fail with; absent → it passes. */
  error?: RegExp;
  /** Checks on what the server received. */
  sent?: (requests: Received[]) => void;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'passes a declared, expected, valid response and sends bearer auth and JSON',
    replies: [{ status: 201, contentType: 'application/json; charset=utf-8', body: THING }],
    steps: [
      create({ body: { kind: 'json', mediaType: 'application/json', value: { name: 'a' } }, auth: bearer() }),
    ],
    sent: ([r]) => {
      expect(r!.method).toBe('POST');
      expect(r!.url).toBe('/things');
      expect(r!.headers.authorization).toBe('Bearer bearer-secret');
      expect(r!.headers['content-type']).toBe('application/json');
      expect(JSON.parse(r!.body)).toEqual({ name: 'a' });
    },
  },
  {
    name: 'fails on a 5xx',
    replies: [{ status: 503 }],
    steps: [create()],
    error: /✗ not_a_server_error: the server answered 503/,
  },
  {
    name: 'fails on a status the operation does not declare',
    replies: [{ status: 200, contentType: 'application/json', body: THING }],
    steps: [create({ expect: ['2XX'] })],
    error: /✗ status_code_conformance: status 200 not declared \(declared: 201, 204, 400\)/,
  },
  {
    name: 'fails on a declared but unexpected status, showing the body',
    replies: [{ status: 400, contentType: 'application/json', body: '{"message":"nope"}' }],
    steps: [create()],
    error:
      /^case_1 — case_1\n {2}✗ positive_data_acceptance: expected 201, got 400\n[\s\S]*response: 400 application\/json\n {12}\{"message":"nope"\}/,
  },
  {
    name: 'accepts a status class and validates against the 2XX schema',
    replies: [{ status: 202, contentType: 'application/json', body: '{"ok":true}' }],
    steps: [{ operationId: 'ranged', method: 'GET', path: ['/ranged'], expect: ['2XX'] }],
  },
  {
    name: 'falls back to default for other statuses (any media type, no schema)',
    replies: [{ status: 418, contentType: 'text/plain', body: 'teapot' }],
    steps: [{ operationId: 'ranged', method: 'GET', path: ['/ranged'], expect: ['4XX'] }],
  },
  {
    name: 'fails when the 2XX body misses a required property',
    replies: [{ status: 200, contentType: 'application/json', body: '{}' }],
    steps: [{ operationId: 'ranged', method: 'GET', path: ['/ranged'], expect: ['200'] }],
    error: /body does not match the 2XX response schema of ranged: body must have required property 'ok'/,
  },
  {
    name: 'fails on an undeclared content type',
    replies: [{ status: 201, contentType: 'text/plain', body: THING }],
    steps: [create()],
    error:
      /✗ content_type_conformance: Content-Type text\/plain is not declared for 201 \(declared: application\/json\)/,
  },
  {
    name: 'accepts a +json type for application/json, and media ranges (text/*, application/*+xml)',
    replies: [
      { status: 201, contentType: 'application/problem+json', body: THING },
      { status: 200, contentType: 'text/csv', body: 'a,b' },
      { status: 200, contentType: 'application/atom+xml', body: '<feed/>' },
    ],
    steps: [
      create(),
      { operationId: 'media', method: 'GET', path: ['/media'], expect: ['200'] },
      { operationId: 'media', method: 'GET', path: ['/media'], expect: ['200'] },
    ],
  },
  {
    name: 'fails on a body that breaks a referenced schema ($ref into components)',
    replies: [{ status: 201, contentType: 'application/json', body: '{"id":1,"name":"a","tag":"too-long"}' }],
    steps: [create()],
    error: /body\/tag must NOT have more than 5 characters/,
  },
  {
    name: 'checks a pattern that is only valid without the u flag',
    replies: [
      { status: 201, contentType: 'application/json', body: '{"id":1,"name":"a","slug":"a-b.c_1"}' },
      { status: 201, contentType: 'application/json', body: '{"id":1,"name":"a","slug":"a b"}' },
    ],
    steps: [create(), create()],
    error: /step 2 [\s\S]*body\/slug must match pattern/,
  },
  {
    name: 'fails, and does not hang, on a value a nested-quantifier pattern would backtrack on for ever',
    replies: [
      {
        status: 201,
        contentType: 'application/json',
        body: '{"id":1,"name":"a","site":"https://a.example.com/b c"}',
      },
      {
        status: 201,
        contentType: 'application/json',
        body: JSON.stringify({
          id: 1,
          name: 'a',
          site: `https://upload.example.org/${'thumb/e5/'.repeat(8)}%28c%29.jpg`,
        }),
      },
    ],
    steps: [create(), create()],
    error: /step 2 [\s\S]*body\/site must match pattern/,
  },
  {
    name: "checks a pattern with the 'u' flag's own syntax",
    replies: [
      { status: 201, contentType: 'application/json', body: '{"id":1,"name":"a","initials":"ÅB"}' },
      { status: 201, contentType: 'application/json', body: '{"id":1,"name":"a","initials":"p{Lu}{2}"}' },
    ],
    steps: [create(), create()],
    error: /step 2 [\s\S]*body\/initials must match pattern/,
  },
  {
    name: 'fails on a wrong type, ignoring OpenAPI keywords and unknown formats',
    replies: [{ status: 201, contentType: 'application/json', body: '{"id":"1","name":"a"}' }],
    steps: [create()],
    error: /body\/id must be integer/,
  },
  {
    name: 'does not check the body against its schema when validateBody is false',
    replies: [{ status: 201, contentType: 'application/json', body: '{"id":"not a number"}' }],
    steps: [create({ validateBody: false })],
  },
  {
    name: 'does not check a response declared without content',
    replies: [{ status: 204 }],
    steps: [create({ expect: ['204'] })],
  },
  {
    name: 'fails on a body that is not JSON',
    replies: [{ status: 201, contentType: 'application/json', body: '{oops' }],
    steps: [create()],
    error:
      /✗ response_schema_conformance: body does not match the 201 response schema of createThing: the body is not JSON/,
  },
  {
    name: 'captures a value and substitutes it (encoded) into path, query and JSON body',
    replies: [
      { status: 201, contentType: 'application/json', body: JSON.stringify({ id: 7, name: 'a b/c?' }) },
      { status: 201, contentType: 'application/json', body: JSON.stringify({ id: 7, name: 'a b/c?' }) },
    ],
    steps: [
      create({ capture: { id: '/id', name: '/name' } }),
      create({
        path: ['/things/', { $var: 'name' }],
        query: [
          ['id', { $var: 'id' }],
          ['q', 'a&b=c ü'],
        ],
        body: {
          kind: 'json',
          mediaType: 'application/json',
          value: { ref: { $var: 'id' }, list: [{ $var: 'name' }] },
        },
        bodyEquals: [
          ['/id', { $var: 'id' }],
          ['/name', 'a b/c?'],
        ],
      }),
    ],
    sent: ([, second]) => {
      expect(second!.url).toBe('/things/a%20b%2Fc%3F?id=7&q=a%26b%3Dc%20%C3%BC');
      expect(JSON.parse(second!.body)).toEqual({ ref: 7, list: ['a b/c?'] });
    },
  },
  {
    name: 'fails when a capture is missing',
    replies: [{ status: 201, contentType: 'application/json', body: THING }],
    steps: [create({ capture: { owner: '/owner/id' } })],
    error:
      /✗ capture: cannot capture "owner" for the next steps: \/owner\/id is missing in the response body/,
  },
  {
    // The error body has an `id` too (of the error): it is not taken for a created resource's.
    name: 'says that a step which answered a conflict created nothing, and why',
    replies: [{ status: 409, contentType: 'application/json', body: '{"message":"taken","id":"conflict"}' }],
    steps: [
      {
        operationId: 'ranged',
        method: 'GET',
        path: ['/ranged'],
        expect: ['2XX', '409'],
        capture: { id: '/id' },
      },
    ],
    error:
      /✗ capture: cannot capture "id" for the next steps: the server answered 409, so nothing was created: it already holds a resource with the values this step sends \(left by an earlier run\?\); run the suite against a fresh server or clear its data/,
  },
  {
    name: 'fails when a read-back value differs',
    replies: [{ status: 201, contentType: 'application/json', body: THING }],
    steps: [create({ bodyEquals: [['/name', 'Max']] })],
    error: /✗ read_after_write: \/name: sent "Max", read back "a"/,
  },
  {
    name: 'sends basic auth, a query API key and a cookie API key together with plain cookies',
    replies: [{ status: 204 }],
    steps: [
      create({
        expect: ['204'],
        cookies: { theme: 'dark' },
        auth: { mode: 'valid', schemes: ['basicAuth', 'queryKey', 'cookieKey'] },
      }),
    ],
    sent: ([r]) => {
      expect(r!.headers.authorization).toBe(`Basic ${Buffer.from('ada:pä:ss').toString('base64')}`);
      expect(r!.url).toBe('/things?api_key=q-key');
      expect(r!.headers.cookie).toBe('theme=dark; sid=c-key');
    },
  },
  {
    name: 'sends wrong credentials in invalid mode and none in none mode',
    replies: [{ status: 204 }, { status: 204 }, { status: 204 }],
    steps: [
      create({ expect: ['204'], auth: { mode: 'invalid', schemes: ['oauth'] } }),
      create({ expect: ['204'], auth: { mode: 'invalid', schemes: ['basicAuth'] } }),
      create({ expect: ['204'], auth: { mode: 'none', schemes: ['bearerAuth'] } }),
    ],
    sent: ([oauth, basic, none]) => {
      expect(oauth!.headers.authorization).toBe('Bearer invalid-specmint-token');
      const decoded = Buffer.from(basic!.headers.authorization!.replace('Basic ', ''), 'base64').toString();
      expect(decoded).toBe('invalid-specmint-user:invalid-specmint-password');
      expect(none!.headers.authorization).toBeUndefined();
    },
  },
  {
    name: 'sends form, multipart and text bodies',
    replies: [{ status: 204 }, { status: 204 }, { status: 204 }],
    steps: [
      create({
        expect: ['204'],
        body: {
          kind: 'form',
          mediaType: 'application/x-www-form-urlencoded',
          value: { a: 'x y', n: 1, tags: ['p', 'q'] },
        },
      }),
      create({
        expect: ['204'],
        body: { kind: 'multipart', mediaType: 'multipart/form-data', value: { f: 'v', tags: ['p', 'q'] } },
      }),
      create({ expect: ['204'], body: { kind: 'text', mediaType: 'text/plain', value: 'raw {text}' } }),
    ],
    sent: ([form, multipart, text]) => {
      expect(form!.headers['content-type']).toBe('application/x-www-form-urlencoded');
      // An array is one field (or part) per item under the same name (form style, exploded).
      expect(form!.body).toBe('a=x+y&n=1&tags=p&tags=q');
      expect(multipart!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      expect(multipart!.body).toMatch(/name="f"\r\n\r\nv\r\n/);
      expect(multipart!.body).toMatch(/name="tags"\r\n\r\np\r\n[\s\S]*name="tags"\r\n\r\nq\r\n/);
      expect(text!.headers['content-type']).toBe('text/plain');
      expect(text!.body).toBe('raw {text}');
    },
  },
];

function bearer(): Step {
  return { mode: 'valid', schemes: ['bearerAuth'] };
}

describe.each(['vitest', 'jest', 'playwright'])('%s runtime', (name) => {
  test.each(SCENARIOS)('$name', async (scenario) => {
    const runtime = runtimes.find((r) => r.name === name)!;
    received.length = 0;
    const api = runtime.start('case_1');
    const run = async (): Promise<void> => {
      for (const [index, step] of scenario.steps.entries()) {
        reply = scenario.replies[index] ?? { status: 500 };
        await api.step(step);
      }
    };
    if (scenario.error) await expect(run()).rejects.toThrow(scenario.error);
    else await run();
    scenario.sent?.(received);
  });

  test('sends a request without a credential that is not set, and names the variable when it fails', async () => {
    const runtime = runtimes.find((r) => r.name === name)!;
    vi.stubEnv('OAUTH', '');
    try {
      received.length = 0;
      reply = { status: 401 };
      const api = runtime.start('case_2');
      await expect(api.step(create({ auth: { mode: 'valid', schemes: ['oauth'] } }))).rejects.toThrow(
        /note: OAUTH is not set, so the request went without that credential/,
      );
      expect(received[0]?.headers.authorization).toBeUndefined();
    } finally {
      vi.stubEnv('OAUTH', ENV.OAUTH);
    }
  });
});
