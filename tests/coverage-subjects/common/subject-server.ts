/**
 * The HTTP shell shared by the coverage subjects: routes each request to the operation its spec declares,
 * validates query parameters and the JSON body against the spec's own schemas (Ajv 2020 + formats), answers
 * 400 `{error:{code,message}}` for anything invalid, and hands handlers typed-checked input. A handler only
 * holds the algorithm, so the coverage measured in the subject's folder is the algorithm's.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

/** What a handler gets: query parameters (coerced to their schema types) and the parsed JSON body. */
export interface SubjectRequest {
  query: Record<string, unknown>;
  body: unknown;
}

/** A handler returns the 200 body; invalid input never reaches it. */
export type Handler = (request: SubjectRequest) => unknown;

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema: Record<string, unknown>;
}

interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Record<string, unknown> }> };
}

interface Route {
  handler: Handler;
  params: Array<{ param: Parameter; validate: ValidateFunction }>;
  body?: { required: boolean; validate: ValidateFunction };
}

class BadRequest extends Error {}

const MAX_BODY_BYTES = 64 * 1024;

function compileRoutes(specPath: string, handlers: Record<string, Handler>): Map<string, Map<string, Route>> {
  const spec = parse(readFileSync(specPath, 'utf8')) as {
    paths: Record<string, Record<string, Operation>>;
    components?: { schemas?: Record<string, unknown> };
  };
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  addFormatsModule.default(ajv);
  ajv.addSchema({ $id: 'spec', components: spec.components ?? {} });
  const compile = (schema: unknown): ValidateFunction =>
    ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"spec#/components/')));
  const routes = new Map<string, Map<string, Route>>();
  for (const [path, item] of Object.entries(spec.paths)) {
    const methods = new Map<string, Route>();
    for (const [method, op] of Object.entries(item)) {
      const handler = handlers[op.operationId];
      if (!handler) throw new Error(`${specPath}: no handler for operation ${op.operationId}`);
      const json = op.requestBody?.content['application/json'];
      methods.set(method.toUpperCase(), {
        handler,
        params: (op.parameters ?? []).map((param) => ({
          param: { ...param, schema: resolveRef(param.schema, spec.components?.schemas ?? {}) },
          validate: compile(param.schema),
        })),
        ...(json
          ? { body: { required: op.requestBody?.required === true, validate: compile(json.schema) } }
          : {}),
      });
    }
    routes.set(path, methods);
  }
  return routes;
}

/** A `#/components/schemas/…` reference's target (for reading a parameter's type), else the schema. */
function resolveRef(
  schema: Record<string, unknown>,
  schemas: Record<string, unknown>,
): Record<string, unknown> {
  const ref = typeof schema.$ref === 'string' ? /^#\/components\/schemas\/(.+)$/.exec(schema.$ref) : null;
  return ref ? ((schemas[ref[1] as string] as Record<string, unknown> | undefined) ?? schema) : schema;
}

/** A query value as its schema's type: numbers and booleans are parsed, anything unparsable stays text. */
function coerce(text: string, schema: Record<string, unknown>): unknown {
  const type = schema.type;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text))
    return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

function describeErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .map((e) => `${e.instancePath || '(value)'} ${e.message ?? 'is invalid'}`)
    .join('; ');
}

function readQuery(route: Route, url: URL): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const { param, validate } of route.params) {
    if (param.in !== 'query') continue;
    const values = url.searchParams.getAll(param.name);
    if (values.length === 0) {
      if (param.required) throw new BadRequest(`query parameter ${param.name} is required`);
      continue;
    }
    if (values.length > 1) throw new BadRequest(`query parameter ${param.name} must be given once`);
    const value = coerce(values[0] as string, param.schema);
    if (!validate(value)) throw new BadRequest(`query parameter ${param.name}: ${describeErrors(validate)}`);
    query[param.name] = value;
  }
  return query;
}

async function readBody(route: Route, req: IncomingMessage): Promise<unknown> {
  if (!route.body) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadRequest('request body is larger than 64 KiB');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') {
    if (route.body.required) throw new BadRequest('a JSON request body is required');
    return undefined;
  }
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
    throw new BadRequest('the request body must be application/json');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BadRequest('the request body is not valid JSON');
  }
  if (!route.body.validate(body))
    throw new BadRequest(`request body: ${describeErrors(route.body.validate)}`);
  return body;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** A server for the spec at `specPath` whose operations (by operationId) run `handlers`. Not listening yet. */
export function createSubjectServer(specPath: string, handlers: Record<string, Handler>): Server {
  const routes = compileRoutes(specPath, handlers);
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://subject');
    const methods = routes.get(url.pathname);
    if (!methods) {
      send(res, 404, { error: { code: 'NOT_FOUND', message: `no operation at ${url.pathname}` } });
      return;
    }
    const route = methods.get(req.method ?? 'GET');
    if (!route) {
      const allow = [...methods.keys()].join(', ');
      send(
        res,
        405,
        { error: { code: 'METHOD_NOT_ALLOWED', message: `${url.pathname} allows ${allow}` } },
        { allow },
      );
      return;
    }
    readBody(route, req)
      .then((body) => send(res, 200, route.handler({ query: readQuery(route, url), body })))
      .catch((error: unknown) => {
        if (error instanceof BadRequest)
          send(res, 400, { error: { code: 'BAD_REQUEST', message: error.message } });
        else send(res, 500, { error: { code: 'INTERNAL', message: String(error) } });
      });
  });
}
