/**
 * What the planner leaves out of a request because HTTP cannot carry it, and the note that says so: a body the
 * spec gives a GET or HEAD (clients refuse one), and the second of two schemes that both use the Authorization
 * header (an AND set such as Google's two OAuth 2 flows: one header, one token).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiIr } from '../../../cli/engine/ir/types.ts';
import { prepareSpec } from '../../../cli/engine/pipeline.ts';
import { planTests } from '../../../cli/engine/plan/plan-tests.ts';
import type { TestCase, TestStep } from '../../../cli/engine/plan/types.ts';

const DIR = join(import.meta.dirname, '../../.tmp/request-notes');

const body = {
  content: { 'application/json': { schema: { type: 'object', properties: { q: { type: 'string' } } } } },
};
const ok = { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } };
const SPEC = {
  openapi: '3.0.3',
  info: { title: 'Notes', version: '1' },
  paths: {
    '/search': { get: { operationId: 'search', requestBody: body, responses: ok } },
    '/lookup': { get: { operationId: 'lookup', requestBody: { ...body, required: true }, responses: ok } },
    '/both': {
      get: {
        operationId: 'both',
        security: [{ implicit: ['read'], code: ['read'], key: [] }],
        responses: { ...ok, '401': { description: 'no' } },
      },
    },
    '/either': {
      get: {
        operationId: 'either',
        security: [
          { implicit: [], code: [] },
          { code: [], key: [] },
        ],
        responses: ok,
      },
    },
    '/basic': {
      post: {
        operationId: 'basic',
        security: [{ basicAuth: [], bearer: [] }],
        requestBody: body,
        responses: ok,
      },
    },
  },
  components: {
    securitySchemes: {
      implicit: {
        type: 'oauth2',
        flows: { implicit: { authorizationUrl: 'https://a.example/auth', scopes: { read: 'r' } } },
      },
      code: {
        type: 'oauth2',
        flows: {
          authorizationCode: {
            authorizationUrl: 'https://a.example/auth',
            tokenUrl: 'https://a.example/token',
            scopes: { read: 'r' },
          },
        },
      },
      key: { type: 'apiKey', in: 'header', name: 'X-Key' },
      basicAuth: { type: 'http', scheme: 'basic' },
      bearer: { type: 'http', scheme: 'bearer' },
    },
  },
};

let ir: ApiIr;

beforeAll(async () => {
  mkdirSync(DIR, { recursive: true });
  const file = join(DIR, 'openapi.json');
  writeFileSync(file, JSON.stringify(SPEC));
  ir = (await prepareSpec(file)).ir;
});

function cases(operationId: string): TestCase[] {
  return planTests(ir, { seed: 1 }).cases.filter((c) => c.operationId === operationId);
}

function last(c: TestCase): TestStep {
  return c.steps[c.steps.length - 1]!;
}

describe('a GET that declares a request body', () => {
  it('sends none, and its note says why', () => {
    const planned = cases('search');
    expect(planned.length).toBeGreaterThan(0);
    for (const c of planned) {
      expect(last(c).body).toBeUndefined();
      if (c.category !== 'negative' || last(c).method === 'GET') {
        expect(last(c).note).toBe(
          'GET /search declares a request body; it is not sent (HTTP clients refuse a body on GET and HEAD)',
        );
      }
    }
  });
});

describe('a GET that requires a request body', () => {
  it('sends none, and accepts the rejection the spec promises for a request without it', () => {
    const contract = cases('lookup').find((c) => c.category === 'contract')!;
    expect(last(contract).body).toBeUndefined();
    // The spec declares no 400 or 422: which 4xx a server answers is left open, hence lenient.
    expect(last(contract).expect).toMatchObject({
      status: ['200', '4XX'],
      check: 'positive_data_acceptance',
      lenientStatuses: ['4XX'],
    });
    expect(last(contract).note).toBe(
      'GET /lookup declares a request body; it is not sent (HTTP clients refuse a body on GET and HEAD). The spec requires the body, so a 4xx answer is accepted too',
    );
  });
});

describe('an AND set of schemes that share the Authorization header', () => {
  it('sends the first of them with the rest of the set, and says the other is left out', () => {
    const planned = cases('both');
    const contract = planned.find((c) => c.category === 'contract')!;
    expect(last(contract).auth).toEqual({ mode: 'valid', schemes: ['implicit', 'key'] });
    expect(last(contract).note).toBe(
      'GET /both asks for "implicit" and "code" and "key" together; HTTP has one Authorization header, so only the credentials of "implicit" and "key" are sent',
    );
    const invalid = planned.find((c) => c.category === 'auth' && last(c).auth.mode === 'invalid')!;
    expect(last(invalid).auth.schemes).toEqual(['implicit', 'key']);
    const none = planned.find((c) => c.category === 'auth' && last(c).auth.mode === 'none')!;
    expect(last(none).note).toBeUndefined();
  });

  it('prefers an alternative whose schemes one request can carry, with no note', () => {
    for (const c of cases('either').filter((c) => c.category !== 'auth')) {
      expect(last(c).auth.schemes).toEqual(['code', 'key']);
      expect(last(c).note).toBeUndefined();
    }
  });

  it('sends the first of a basic and a bearer scheme, and the body', () => {
    const contract = cases('basic').find((c) => c.category === 'contract')!;
    expect(last(contract).auth.schemes).toEqual(['basicAuth']);
    expect(last(contract).body).toBeDefined();
    expect(last(contract).note).toContain('only the credentials of "basicAuth" are sent');
  });
});
