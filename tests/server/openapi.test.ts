import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { component } from '../../server/openapi/describe.ts';
import { buildOpenApiDocument } from '../../server/openapi/document.ts';
import {
  BASE_URL,
  createTestDatabase,
  createTestServer,
  type TestDatabase,
  type TestServer,
} from './harness.ts';

/** API routes the app serves that /openapi.json leaves out, and why (every other one must be described). */
const UNDESCRIBED: Record<string, string> = {
  'GET /openapi.json': 'the document itself',
  'GET /metrics': "the operator's Prometheus scrape (404 without METRICS_TOKEN)",
  'GET /api/auth/*': 'better-auth (accounts, the device flow): named in info.description',
  'POST /api/auth/*': 'better-auth (accounts, the device flow): named in info.description',
  'POST /internal/admin/users': "the embedded server's admin commands (loopback and the data dir's secret)",
  'POST /internal/admin/plan': "the embedded server's admin commands (loopback and the data dir's secret)",
  'POST /internal/admin/tokens': "the embedded server's admin commands (loopback and the data dir's secret)",
  'POST /internal/admin/stats': "the embedded server's admin commands (loopback and the data dir's secret)",
};

interface Document {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, unknown> }>>;
  components: { schemas: Record<string, unknown> };
}

/** `METHOD /path` of every route with a handler (middleware registered with `use` is `ALL`). */
function servedRoutes(server: TestServer): string[] {
  const routes = server.app.routes
    .filter((route) => route.method !== 'ALL')
    .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
  return [...new Set(routes)].sort();
}

function describedRoutes(document: Document): string[] {
  return Object.entries(document.paths)
    .flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    )
    .sort();
}

describe('/openapi.json is generated from the routes', () => {
  let database: TestDatabase;
  let server: TestServer;
  let document: Document;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    server = await createTestServer('pglite', database.handle);
    const response = await server.request('/openapi.json');
    expect(response.status).toBe(200);
    document = (await response.json()) as Document;
  });
  afterAll(async () => {
    await database.dispose();
  });

  it('describes every API route the app serves, and only those (the rest are listed with a reason)', () => {
    const pages = servedRoutes(server).filter(
      (route) =>
        !route
          .split(' ')[1]
          ?.match(/^\/(v1|api|webhooks|internal|\.well-known|openapi\.json|healthz|readyz|metrics)\b/),
    );
    expect(pages, 'web pages are mounted as middleware, not as routes').toEqual([]);
    const served = servedRoutes(server).filter((route) => UNDESCRIBED[route] === undefined);
    expect(served.length).toBeGreaterThanOrEqual(15);
    expect(describedRoutes(document)).toEqual(served);
    for (const route of Object.keys(UNDESCRIBED)) expect(servedRoutes(server), route).toContain(route);
  });

  it('is a valid OpenAPI 3.1 document whose references all resolve', async () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: BASE_URL }]);
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('names each operation once and gives each a success response', () => {
    const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods));
    const ids = operations.map((operation) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const operation of operations) {
      expect(
        Object.keys(operation.responses ?? {}).some((status) => status.startsWith('2')),
        operation.operationId,
      ).toBe(true);
    }
    expect(document.paths['/v1/tokens/{id}']?.delete?.operationId).toBe('deleteToken');
  });

  it('holds only the component schemas the routes use, as zod describes them', () => {
    expect(Object.keys(document.components.schemas).sort()).toEqual([
      'AdminStats',
      'BillingCheckoutRequest',
      'BillingRedirect',
      'Error',
      'GenerationComplete',
      'GenerationList',
      'GenerationRecord',
      'GenerationRequest',
      'GenerationResponse',
      'Jwks',
      'Me',
      'TokenCreate',
      'TokenCreated',
      'TokenList',
    ]);
  });

  it('is the same document every time it is built', async () => {
    expect(await buildOpenApiDocument(server.app, BASE_URL)).toEqual(document);
    expect(await (await server.request('/openapi.json')).json()).toEqual(document);
  });
});

describe('component', () => {
  it('refuses one name for two schemas (a route would silently describe the other one)', () => {
    const first = z.object({ a: z.string() });
    expect(() => component('OpenApiTestOnly', first, 'output')).not.toThrow();
    expect(() => component('OpenApiTestOnly', first, 'output')).not.toThrow();
    expect(() => component('OpenApiTestOnly', z.object({ b: z.string() }), 'output')).toThrow(
      /two different schemas/,
    );
  });
});
