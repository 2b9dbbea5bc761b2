/**
 * The failure text of the JS-family runtime (docs/checks.md, "A failure"): every failed check of a step, the
 * full URL, headers with credentials as ***, bodies cut at 2,000 characters, the response, and a curl line that
 * reads each credential from its variable; thrown from the test's own line, not from inside the runtime.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  curlCommand,
  type FailureContext,
  failureText,
  redact,
} from '../../../cli/engine/render/js-common/runtime/failure.ts';
import { apiCase } from '../../../cli/engine/render/js-common/runtime/fetch.ts';
import { operations, securitySchemes } from '../../../cli/engine/render/js-common/runtime/schemas.ts';
import {
  buildRequest,
  type Incoming,
  type StepSpec,
} from '../../../cli/engine/render/js-common/runtime/specmint.runtime.ts';

const PET = {
  type: 'object',
  required: ['id', 'name'],
  properties: { id: { type: 'integer' }, name: { type: 'string' }, age: { type: 'integer' } },
};

let server: Server;
let base = '';
let reply: { status: number; body: string } = { status: 201, body: '{}' };

beforeAll(async () => {
  operations.createPet = {
    method: 'POST',
    path: '/pets',
    responses: [
      { status: '201', contents: [{ mediaType: 'application/json', schema: PET }] },
      { status: '400', contents: [] },
    ],
  };
  securitySchemes.bearerAuth = { kind: 'bearer', tokenEnv: 'FT_BEARER' };
  securitySchemes.basicAuth = { kind: 'basic', usernameEnv: 'FT_USER', passwordEnv: 'FT_PASSWORD' };
  securitySchemes.queryKey = { kind: 'apiKey', in: 'query', name: 'key', tokenEnv: 'FT_KEY' };
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(reply.status, { 'Content-Type': 'application/json' }).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const context = (over: Partial<FailureContext> = {}): FailureContext => ({
  caseId: 'createPet_negative_body_name_type',
  title: 'POST /pets rejects a body with name not of type string',
  step: 1,
  steps: 1,
  operation: 'createPet',
  history: [],
  secrets: [],
  missing: [],
  ...over,
});

const create = (over: Partial<StepSpec> = {}): StepSpec => ({
  operationId: 'createPet',
  method: 'POST',
  path: ['/pets'],
  body: { kind: 'json', mediaType: 'application/json', value: { id: 46, name: 12345 } },
  auth: { mode: 'valid', schemes: ['bearerAuth'] },
  expect: ['4XX'],
  check: 'negative_data_rejection',
  ...over,
});

const response = (status: number, text: string, contentType = 'application/json'): Incoming => ({
  status,
  contentType,
  headers: { 'content-type': contentType },
  text,
});

describe('failureText', () => {
  test('has the shape of docs/checks.md: checks, request, response, a curl line with the variable', () => {
    process.env.FT_BEARER = 's3cret-token';
    const { request, secrets } = buildRequest('http://127.0.0.1:4010', create(), new Map());
    const text = failureText(
      context({ secrets }),
      request,
      response(201, '{"id":46,"name":12345,"age":"3"}'),
      [
        { check: 'negative_data_rejection', message: 'expected a 4xx status, got 201' },
        {
          check: 'response_schema_conformance',
          message: 'body does not match the 201 response schema of createPet: body/age must be integer',
        },
      ],
    );
    expect(text).toBe(
      [
        'createPet_negative_body_name_type — POST /pets rejects a body with name not of type string',
        '  ✗ negative_data_rejection: expected a 4xx status, got 201',
        '  ✗ response_schema_conformance: body does not match the 201 response schema of createPet: body/age must be integer',
        '  request:  POST http://127.0.0.1:4010/pets',
        '            Authorization: Bearer ***',
        '            Content-Type: application/json',
        '            {"id":46,"name":12345}',
        '  response: 201 application/json',
        '            {"id":46,"name":12345,"age":"3"}',
        '  reproduce:',
        `    curl -X POST 'http://127.0.0.1:4010/pets' -H "Authorization: Bearer $BEARER_AUTH" \\`.replace(
          'BEARER_AUTH',
          'FT_BEARER',
        ),
        `      -H 'Content-Type: application/json' --data-raw '{"id":46,"name":12345}'`,
      ].join('\n'),
    );
    expect(text).not.toContain('s3cret-token');
  });

  test('cuts bodies after 2,000 characters and says how many were left out', () => {
    const long = JSON.stringify({ name: 'x'.repeat(2500) });
    const { request } = buildRequest(
      base,
      create({
        auth: undefined,
        body: { kind: 'json', mediaType: 'application/json', value: JSON.parse(long) },
      }),
      new Map(),
    );
    const text = failureText(context(), request, response(500, long), [
      { check: 'not_a_server_error', message: 'the server answered 500' },
    ]);
    expect(text).toContain(`${long.slice(0, 2000)}… (${long.length - 2000} more characters)`);
    expect(text.split('more characters').length).toBe(3);
  });

  test('a flow says which step failed and lists the requests before it', () => {
    const { request } = buildRequest(base, create({ auth: undefined }), new Map());
    const text = failureText(
      context({ step: 2, steps: 3, history: ['POST http://h/pets → 201'] }),
      request,
      response(404, ''),
      [{ check: 'positive_data_acceptance', message: 'expected 200, got 404' }],
    );
    expect(text.split('\n')[1]).toBe('  at step 2 of 3 (createPet), after POST http://h/pets → 201');
    expect(text).toContain('  response: 404 application/json\n            (empty body)');
  });

  test('names a credential variable that is not set; the request went without it', () => {
    delete process.env.FT_BEARER;
    const built = buildRequest(base, create(), new Map());
    const text = failureText(context({ missing: built.missing }), built.request, response(401, '{}'), [
      { check: 'positive_data_acceptance', message: 'expected 201, got 401' },
    ]);
    expect(text).toContain('  note: FT_BEARER is not set, so the request went without that credential');
    expect(text).not.toContain('Authorization');
  });

  test('basic credentials become -u with both variables; a query key is *** and $VAR in the curl line', () => {
    Object.assign(process.env, { FT_USER: 'ada', FT_PASSWORD: 'pä ss', FT_KEY: 'k/ey 1' });
    const { request, secrets } = buildRequest(
      base,
      create({ auth: { mode: 'valid', schemes: ['basicAuth', 'queryKey'] } }),
      new Map(),
    );
    expect(request.url).toBe(`${base}/pets?key=k%2Fey%201`);
    expect(redact(request.url, secrets)).toBe(`${base}/pets?key=***`);
    const curl = curlCommand(request, secrets);
    expect(curl).toContain(`"${base}/pets?key=$FT_KEY"`);
    expect(curl).toContain('-u "$FT_USER:$FT_PASSWORD"');
    expect(curl).not.toMatch(/ada|pä|k%2Fey/);
    const text = failureText(context({ secrets }), request, response(400, '{}'), []);
    expect(text).toContain('            Authorization: Basic ***');
  });

  test('deliberately invalid credentials are shown as sent', () => {
    const { request, secrets } = buildRequest(
      base,
      create({ auth: { mode: 'invalid', schemes: ['bearerAuth'] } }),
      new Map(),
    );
    const text = failureText(context({ secrets }), request, response(200, '{}'), []);
    expect(text).toContain('Authorization: Bearer invalid-specmint-token');
    expect(curlCommand(request, secrets)).toContain("-H 'Authorization: Bearer invalid-specmint-token'");
  });
});

describe('a failing step', () => {
  test('reports every check that failed, and is thrown from the test, not from the runtime', async () => {
    process.env.BASE_URL = base;
    process.env.FT_BEARER = 'tok';
    reply = { status: 201, body: '{"id":46,"name":12345,"age":"3"}' };
    const api = apiCase('createPet_negative_body_name_type', {
      title: 'POST /pets rejects a body with name not of type string',
    });
    const error = await api.step(create()).then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );
    expect(error?.name).toBe('CheckFailure');
    expect(error?.message).toMatch(
      /✗ negative_data_rejection: expected a 4xx status, got 201\n {2}✗ response_schema_conformance: body does not match the 201 response schema of createPet: body\/name must be string; body\/age must be integer\n/,
    );
    const frames = (error?.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
    expect(frames[0]).toContain('failure-text.test.ts');
    expect(error?.stack).not.toMatch(/specmint\.runtime|fetch\.ts/);
  });

  test('a lenient status the operation does not declare is not a failure', async () => {
    process.env.BASE_URL = base;
    reply = { status: 422, body: '{}' };
    const api = apiCase('lenient');
    await expect(api.step(create({ auth: undefined, lenient: ['4XX'] }))).resolves.toBeUndefined();
    await expect(api.step(create({ auth: undefined }))).rejects.toThrow(
      '✗ status_code_conformance: status 422 not declared (declared: 201, 400)',
    );
  });
});
