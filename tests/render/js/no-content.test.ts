/**
 * JS suites and responses without content (any response to HEAD; 204, 205, 304): the contract module gives
 * them no media types, so the runtime neither parses nor checks a body there, whatever the Content-Type says.
 * And a step's note (why the request differs from the operation) is a comment above the step.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { TestPlan } from '../../../cli/engine/plan/types.ts';
import { buildContract } from '../../../cli/engine/render/js-common/contract.ts';
import { JS_RUNTIME_PLAN } from '../../fixtures/plans/js-runtime-plan.ts';
import { writeSuite } from './suite-runner.ts';

const json = [{ mediaType: 'application/json', schema: { type: 'object', required: ['id'] } }];
const NOTE =
  'GET /things declares a request body; it is not sent (HTTP clients refuse a body on GET and HEAD)';

function plan(): TestPlan {
  const copy = structuredClone(JS_RUNTIME_PLAN);
  copy.operations.push(
    {
      id: 'deleteThing',
      method: 'DELETE',
      path: '/things/{id}',
      tags: ['things'],
      responses: [
        { status: '204', contents: json },
        { status: '205', contents: json },
        { status: '304', contents: json },
        { status: '404', contents: json },
      ],
    },
    {
      id: 'headThing',
      method: 'HEAD',
      path: '/things',
      tags: ['things'],
      responses: [{ status: '200', contents: json }],
    },
  );
  copy.cases.push({
    id: 'listThings_contract_note',
    category: 'contract',
    operationId: 'headThing',
    title: 'a note',
    tags: ['things'],
    steps: [
      {
        operationId: 'headThing',
        method: 'HEAD',
        path: ['/things'],
        query: [],
        headers: {},
        cookies: {},
        auth: { mode: 'none', schemes: [] },
        expect: { status: ['200'], check: 'positive_data_acceptance', validateBody: true },
        note: NOTE,
      },
    ],
  });
  return copy;
}

describe('the contract of responses without content', () => {
  test('has no media types for HEAD, 204, 205 and 304, and keeps the others', () => {
    const { operations } = buildContract(plan());
    const contents = (id: string) =>
      (operations[id]!.responses as Array<{ status: string; contents: unknown[] }>).map((r) => [
        r.status,
        r.contents.length,
      ]);
    expect(contents('deleteThing')).toEqual([
      ['204', 0],
      ['205', 0],
      ['304', 0],
      ['404', 1],
    ]);
    expect(contents('headThing')).toEqual([['200', 0]]);
    expect(contents('createThing')).toEqual([
      ['201', 1],
      ['204', 0],
      ['400', 1],
    ]);
  });

  test("writes a step's note as a comment above it", () => {
    const { result } = writeSuite({ format: 'vitest', plan: plan(), name: 'no-content-note' });
    const file = result.files.find((f) => f.path === 'tests/things.test.ts')!;
    expect(String(file.contents)).toContain(`    // ${NOTE}\n    await api.step({`);
  });
});

describe('the runtime against answers without content', () => {
  let server: Server;
  let reply: { status: number; contentType: string } = { status: 204, contentType: 'application/json' };
  let runtime: { apiCase(id: string): { step(spec: Record<string, unknown>): Promise<void> } };

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(reply.status, { 'content-type': reply.contentType });
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    vi.stubEnv('BASE_URL', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const { dir } = writeSuite({ format: 'vitest', plan: plan(), name: 'no-content-runtime' });
    runtime = await import(pathToFileURL(join(dir, 'specmint.runtime.ts')).href);
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await new Promise((resolve) => server?.close(resolve));
  });

  test.each([
    ['DELETE', 'deleteThing', 204],
    ['DELETE', 'deleteThing', 205],
    ['HEAD', 'headThing', 200],
  ])(
    '%s (%s) answered %i with a JSON Content-Type and no body passes',
    async (method, operationId, status) => {
      reply = { status, contentType: 'application/json' };
      const step = { operationId, method, path: ['/things/1'], expect: [String(status)] };
      await expect(runtime.apiCase(`${operationId}_${status}`).step(step)).resolves.toBeUndefined();
    },
  );

  test('a 404 with a JSON Content-Type and no body still fails', async () => {
    reply = { status: 404, contentType: 'application/json' };
    const step = { operationId: 'deleteThing', method: 'DELETE', path: ['/things/1'], expect: ['404'] };
    await expect(runtime.apiCase('deleteThing_404').step(step)).rejects.toThrow(
      /not valid JSON|the body is not JSON/,
    );
  });
});
