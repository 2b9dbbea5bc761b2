import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { convertComponentSchemas, convertOpenApiSchema, type SchemaView } from './openapi-schema.ts';

/** Absolute path of the spec the SUT implements. */
export const PETSTORE_SPEC_PATH = fileURLToPath(
  new URL('../fixtures/specs/sut/petstore.yaml', import.meta.url),
);

/** Where a parameter travels. @see https://spec.openapis.org/oas/v3.0.3#parameter-object */
export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

/** One declared parameter of an operation. */
export interface ParameterInfo {
  name: string;
  in: ParameterLocation;
  required: boolean;
  /** The parameter's schema as written in the spec (OpenAPI 3.0). */
  schema: Record<string, unknown>;
}

/** Validators compiled from the spec; every check returns an error message or `null` when valid. */
export interface PetstoreContract {
  /** Declared path- and query-level parameters of an operation (path-item parameters included). */
  parameters(operationId: string): ParameterInfo[];
  /** Checks one raw (string) parameter value, after coercing it to the schema's type. */
  validateParameter(operationId: string, name: string, raw: string): string | null;
  /** Checks a parsed JSON request body against the operation's `application/json` schema (request view). */
  validateRequestBody(operationId: string, body: unknown): string | null;
  /**
   * Checks a response: the status must be declared, and the body must match its `application/json` schema
   * (response view), or be absent when the response declares no content.
   */
  validateResponse(operationId: string, status: number, body: unknown): string | null;
}

type Dict = Record<string, unknown>;

interface OperationEntry {
  parameters: ParameterInfo[];
  parameterValidators: Map<string, ValidateFunction>;
  requestBody: ValidateFunction | undefined;
  responses: Map<string, ValidateFunction | null>;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

function asDict(value: unknown, where: string): Dict {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`petstore spec: expected an object at ${where}`);
  }
  return value as Dict;
}

/** Follows a local `#/components/...` ref (parameters, responses); other objects pass through. */
function resolveRef(spec: Dict, value: unknown, where: string): Dict {
  const obj = asDict(value, where);
  if (typeof obj.$ref !== 'string') return obj;
  let target: unknown = spec;
  for (const part of obj.$ref.replace(/^#\//, '').split('/')) target = asDict(target, obj.$ref)[part];
  return asDict(target, obj.$ref);
}

function jsonContentSchema(content: unknown): unknown {
  if (content === undefined) return undefined;
  return asDict(asDict(content, 'content')['application/json'] ?? {}, 'application/json').schema;
}

/** Turns a raw string into the type the parameter schema asks for; leaves it alone when it cannot. */
export function coerceParameter(raw: string, schema: Dict): unknown {
  if (schema.type === 'integer' && /^-?[0-9]+$/.test(raw)) return Number(raw);
  if (schema.type === 'number' && /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/.test(raw)) return Number(raw);
  if (schema.type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

function createAjv(spec: Dict): Ajv {
  // strict:false because OpenAPI adds keywords (readOnly, format names) ajv's strict mode would reject.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormatsModule.default(ajv);
  const schemas = asDict(asDict(spec.components, 'components').schemas, 'components.schemas');
  for (const view of ['request', 'response'] as const) {
    const refBase = `sut-${view}`;
    ajv.addSchema({ $id: refBase, definitions: convertComponentSchemas(schemas, { view, refBase }) });
  }
  return ajv;
}

function compileFor(ajv: Ajv, schema: unknown, view: SchemaView): ValidateFunction {
  return ajv.compile(convertOpenApiSchema(schema, { view, refBase: `sut-${view}` }));
}

function buildOperation(ajv: Ajv, spec: Dict, pathItem: Dict, operation: Dict): OperationEntry {
  const rawParams = [
    ...((pathItem.parameters as unknown[]) ?? []),
    ...((operation.parameters as unknown[]) ?? []),
  ];
  const parameters = rawParams.map((p): ParameterInfo => {
    const param = resolveRef(spec, p, 'parameter');
    return {
      name: String(param.name),
      in: param.in as ParameterLocation,
      required: param.required === true,
      schema: asDict(param.schema ?? {}, `parameter ${String(param.name)}`),
    };
  });
  const parameterValidators = new Map(parameters.map((p) => [p.name, compileFor(ajv, p.schema, 'request')]));
  const body = operation.requestBody ? resolveRef(spec, operation.requestBody, 'requestBody') : undefined;
  const bodySchema = body ? jsonContentSchema(body.content) : undefined;
  const responses = new Map<string, ValidateFunction | null>();
  for (const [status, response] of Object.entries(asDict(operation.responses, 'responses'))) {
    const schema = jsonContentSchema(resolveRef(spec, response, `response ${status}`).content);
    responses.set(status, schema === undefined ? null : compileFor(ajv, schema, 'response'));
  }
  return {
    parameters,
    parameterValidators,
    requestBody: bodySchema === undefined ? undefined : compileFor(ajv, bodySchema, 'request'),
    responses,
  };
}

function describeErrors(ajv: Ajv, validate: ValidateFunction, dataVar: string): string {
  return ajv.errorsText(validate.errors, { dataVar });
}

/** Builds the contract from a parsed OpenAPI 3.0 document. */
export function buildContract(spec: Dict): PetstoreContract {
  const ajv = createAjv(spec);
  const operations = new Map<string, OperationEntry>();
  for (const pathItemRaw of Object.values(asDict(spec.paths, 'paths'))) {
    const pathItem = asDict(pathItemRaw, 'path item');
    for (const method of HTTP_METHODS) {
      if (pathItem[method] === undefined) continue;
      const operation = asDict(pathItem[method], method);
      operations.set(String(operation.operationId), buildOperation(ajv, spec, pathItem, operation));
    }
  }
  const get = (operationId: string): OperationEntry => {
    const entry = operations.get(operationId);
    if (!entry) throw new Error(`petstore spec has no operation ${operationId}`);
    return entry;
  };
  return {
    parameters: (operationId) => get(operationId).parameters,
    validateParameter(operationId, name, raw) {
      const entry = get(operationId);
      const info = entry.parameters.find((p) => p.name === name);
      const validate = entry.parameterValidators.get(name);
      if (!info || !validate) throw new Error(`${operationId} has no parameter ${name}`);
      return validate(coerceParameter(raw, info.schema)) ? null : describeErrors(ajv, validate, name);
    },
    validateRequestBody(operationId, body) {
      const validate = get(operationId).requestBody;
      if (!validate) throw new Error(`${operationId} has no JSON request body`);
      return validate(body) ? null : describeErrors(ajv, validate, 'body');
    },
    validateResponse(operationId, status, body) {
      const responses = get(operationId).responses;
      if (!responses.has(String(status))) return `status ${status} is not declared for ${operationId}`;
      const validate = responses.get(String(status));
      if (!validate) return body === undefined ? null : `status ${status} of ${operationId} declares no body`;
      return validate(body) ? null : describeErrors(ajv, validate, 'response');
    },
  };
}

let cached: PetstoreContract | undefined;

/** Loads (once) and compiles the pet store spec at {@link PETSTORE_SPEC_PATH}. */
export function loadPetstoreContract(): PetstoreContract {
  cached ??= buildContract(asDict(parseYaml(readFileSync(PETSTORE_SPEC_PATH, 'utf8')), 'spec root'));
  return cached;
}
