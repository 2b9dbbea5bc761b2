/**
 * The runtime every JS-family suite ships as `specmint.runtime.ts` (vitest, playwright) or `specmint.runtime.js`
 * (jest): builds requests, sends them through the suite's transport, and checks responses against the contract
 * in `schemas.ts`. `apiCase`, which starts a test case with the suite's HTTP client (global fetch, or
 * Playwright's request fixture), comes last: in SpecMint's sources it lives in fetch.ts and playwright.ts.
 */

import { setFlagsFromString } from 'node:v8';
import type { AnySchema, ValidateFunction } from 'ajv/dist/2020.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { components, operations, securitySchemes } from './schemas.ts';

/** A value captured by an earlier step of the same case. */
export interface VarRef {
  $var: string;
}

/** A request value: literal text or a captured variable. */
export type Value = string | VarRef;

/** A request body as planned; 'value' may hold {@link VarRef}s. */
export interface BodySpec {
  kind: 'json' | 'form' | 'multipart' | 'text';
  mediaType: string;
  value: unknown;
}

/** Which credentials a step sends. */
export interface AuthSpec {
  mode: 'valid' | 'none' | 'invalid';
  schemes: string[];
}

/** One HTTP exchange of a test case, and what its response must look like. */
export interface StepSpec {
  operationId: string;
  method: string;
  /** Literal parts (already percent-encoded) and captured variables (encoded when substituted). */
  path: Value[];
  query?: Array<[string, Value]>;
  headers?: Record<string, string>;
  cookies?: Record<string, string>;
  body?: BodySpec;
  auth?: AuthSpec;
  /** Acceptable statuses: exact ('201') or a class ('4XX'). */
  expect: string[];
  /** Check the body against the declared schema. @default true */
  validateBody?: boolean;
  /** JSON pointer → value the JSON body must hold (may be a captured variable). */
  bodyEquals?: Array<[string, unknown]>;
  /** Variables to capture from the JSON body: name → JSON pointer. */
  capture?: Record<string, string>;
}

/** A declared response: status ('200', '2XX', 'default') and its media types. */
export interface ResponseSpec {
  status: string;
  contents: Array<{ mediaType: string; schema?: AnySchema }>;
}

/** What an operation may answer. */
export interface OperationSpec {
  method: string;
  path: string;
  responses: ResponseSpec[];
}

/** How a security scheme's credentials are sent, and the env vars holding them. */
export type SchemeSpec =
  | { kind: 'bearer'; tokenEnv: string }
  | { kind: 'basic'; usernameEnv: string; passwordEnv: string }
  | { kind: 'apiKey'; in: 'header' | 'query' | 'cookie'; name: string; tokenEnv: string };

/** A test case in progress: steps run in order and share captured variables. */
export interface ApiCase {
  step(spec: StepSpec): Promise<void>;
}

/** A body as sent: its text, or its fields for multipart. */
export interface OutgoingBody {
  kind: 'json' | 'form' | 'multipart' | 'text';
  contentType: string;
  text: string;
  fields: Array<[string, string]>;
}

/** A request as sent. */
export interface Outgoing {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: OutgoingBody;
}

/** A response as received. */
export interface Incoming {
  status: number;
  contentType: string;
  text: string;
}

/** Sends a request and reads the whole response: the suite's transport. */
export type Exchange = (request: Outgoing) => Promise<Incoming>;

/** Values captured by the steps of one case, by name. */
export type Vars = Map<string, unknown>;

/** What Ajv needs of a compiled 'pattern': a test, and a text to share compiled patterns by. */
export interface PatternTest {
  test(value: string): boolean;
  toString(): string;
}

/**
 * Compiles a schema's 'pattern' with Ajv's 'u' flag or, for patterns only valid without it (common in real
 * specs, e.g. '[\-\.\_0-9A-Za-z]'), without it, as SpecMint read them when it generated the test data.
 * A pattern that means the same without the flag is tested without it on values with no surrogates: V8
 * can then finish a runaway match (a nested quantifier such as '([\w.-]*)*$' against a long value it does
 * not match) in linear time, so a wrong response fails its test instead of hanging the run.
 */
export function patternRegExp(pattern: string, flags: string): PatternTest {
  const plainFlags = flags.replace('u', '');
  let unicode: RegExp;
  try {
    unicode = new RegExp(pattern, flags);
  } catch {
    return new RegExp(pattern, plainFlags);
  }
  // '\u{41}', '\p{L}' and astral characters mean something else without the flag.
  if (plainFlags === flags || /\\[pP]|\\u\{|\\u[dD][89a-fA-F]|[\ud800-\udfff]/.test(pattern)) return unicode;
  const plain = new RegExp(pattern, plainFlags);
  return {
    test: (value: string) => (/[\ud800-\udfff]/.test(value) ? unicode : plain).test(value),
    // Ajv shares compiled patterns by this text.
    toString: () => String(unicode),
  };
}
patternRegExp.code = 'patternRegExp';

// A match past 50,000 backtracks is finished by V8's linear-time engine (same answer; patterns with
// backreferences or lookarounds, and 'u'-flag ones, keep the backtracking engine).
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false, code: { regExp: patternRegExp } });
addFormats(ajv);
ajv.addSchema(components);
const validators = new Map<unknown, ValidateFunction>();

/** A captured variable, for request values: path: ['/pets/', v('petId')]. */
export function v(name: string): VarRef {
  return { $var: name };
}

/** BASE_URL (or Playwright's baseURL) without a trailing slash; throws when it is not set. */
export function requireBase(value: string | undefined): string {
  if (!value) {
    throw new Error('BASE_URL is not set: export BASE_URL=<root URL of the API under test>');
  }
  return value.replace(/\/+$/, '');
}

/**
 * A test case whose steps go through `send` (the suite's transport) to `base()`. A failed step throws an
 * error naming the case, the step, what was expected and what came back.
 */
export function createCase(caseId: string, base: () => string, send: Exchange): ApiCase {
  const vars: Vars = new Map();
  let index = 0;
  return {
    async step(spec) {
      index += 1;
      const label = `[${caseId}] step ${index} (${spec.method} ${describePath(spec.path)})`;
      let request: Outgoing;
      try {
        request = buildRequest(base(), spec, vars);
      } catch (error) {
        throw new Error(`${label}: ${errorMessage(error)}`);
      }
      let response: Incoming;
      try {
        response = await send(request);
      } catch (error) {
        throw new Error(`${label}: request to ${request.url} failed: ${errorMessage(error)}`);
      }
      checkResponse(label, spec, response, vars);
    },
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describePath(parts: Value[]): string {
  return parts.map((part) => (typeof part === 'string' ? part : `{${part.$var}}`)).join('');
}

function isVarRef(value: unknown): value is VarRef {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === '$var' && typeof (value as VarRef).$var === 'string';
}

function lookup(vars: Vars, name: string): unknown {
  if (!vars.has(name)) throw new Error(`variable "${name}" was not captured by an earlier step`);
  return vars.get(name);
}

function valueText(value: Value, vars: Vars): string {
  if (typeof value === 'string') return value;
  const captured = lookup(vars, value.$var);
  return typeof captured === 'string' ? captured : JSON.stringify(captured);
}

/** `value` with every {@link VarRef} replaced by the captured value; throws for one not captured yet. */
export function substitute(value: unknown, vars: Vars): unknown {
  if (isVarRef(value)) return lookup(vars, value.$var);
  if (Array.isArray(value)) return value.map((item) => substitute(item, vars));
  if (value !== null && typeof value === 'object') {
    // fromEntries keeps a "__proto__" key as data (an assignment would set the prototype).
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, vars)]));
  }
  return value;
}

function fieldText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The request a step sends: URL with encoded path variables and query, headers, cookies, credentials, body. */
export function buildRequest(base: string, spec: StepSpec, vars: Vars): Outgoing {
  const path = spec.path
    .map((part) => (typeof part === 'string' ? part : encodeURIComponent(valueText(part, vars))))
    .join('');
  const query = (spec.query ?? []).map(([name, value]): [string, string] => [name, valueText(value, vars)]);
  const headers: Record<string, string> = { ...spec.headers };
  const cookies: Record<string, string> = { ...spec.cookies };
  applyAuth(spec.auth, { headers, query, cookies });
  const cookieList = Object.entries(cookies).map(([name, value]) => `${name}=${value}`);
  if (cookieList.length > 0) headers.Cookie = cookieList.join('; ');
  const search = query.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  const url = base + path + (search.length > 0 ? `?${search.join('&')}` : '');
  const request: Outgoing = { method: spec.method, url, headers };
  if (spec.body) request.body = encodeBody(spec.body, vars);
  return request;
}

/** A planned body as sent: JSON text, form or multipart fields (and their urlencoded text), or plain text. */
export function encodeBody(body: BodySpec, vars: Vars): OutgoingBody {
  const value = substitute(body.value, vars);
  const out: OutgoingBody = { kind: body.kind, contentType: body.mediaType, text: '', fields: [] };
  if (body.kind === 'json') {
    out.text = JSON.stringify(value);
  } else if (body.kind === 'text') {
    out.text = fieldText(value);
  } else {
    const record = value !== null && typeof value === 'object' ? value : {};
    out.fields = Object.entries(record).map(([name, item]) => [name, fieldText(item)]);
    out.text = new URLSearchParams(out.fields).toString();
  }
  return out;
}

function credential(name: string, valid: boolean, invalid: string): string {
  if (!valid) return invalid;
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (see README.md: the credentials this test sends)`);
  return value;
}

/** Where {@link applyAuth} puts credentials. */
export interface AuthTarget {
  headers: Record<string, string>;
  query: Array<[string, string]>;
  cookies: Record<string, string>;
}

/**
 * Adds the credentials of every scheme in `auth.schemes` (all of them: an AND set): valid ones from the env
 * vars named in `securitySchemes`, or deliberately invalid ones for `mode: 'invalid'`.
 */
export function applyAuth(auth: AuthSpec | undefined, target: AuthTarget): void {
  if (!auth || auth.mode === 'none') return;
  const valid = auth.mode === 'valid';
  for (const key of auth.schemes) {
    const scheme = Object.hasOwn(securitySchemes, key) ? securitySchemes[key] : undefined;
    if (!scheme) throw new Error(`unknown security scheme "${key}"`);
    if (scheme.kind === 'basic') {
      const user = credential(scheme.usernameEnv, valid, 'invalid-specmint-user');
      const password = credential(scheme.passwordEnv, valid, 'invalid-specmint-password');
      target.headers.Authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    } else if (scheme.kind === 'bearer') {
      target.headers.Authorization = `Bearer ${credential(scheme.tokenEnv, valid, 'invalid-specmint-token')}`;
    } else {
      const value = credential(scheme.tokenEnv, valid, 'invalid-specmint-key');
      if (scheme.in === 'query') target.query.push([scheme.name, value]);
      else if (scheme.in === 'cookie') target.cookies[scheme.name] = value;
      else target.headers[scheme.name] = value;
    }
  }
}

/** The media type of a Content-Type header, without parameters, in lower case. */
export function mediaTypeOf(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/** Whether a status matches an expected one: exact ('201') or a class ('4XX'). */
export function statusMatches(pattern: string, status: number): boolean {
  const upper = pattern.toUpperCase();
  if (/^[1-5]XX$/.test(upper)) return String(status).charAt(0) === upper.charAt(0);
  return upper === String(status);
}

/** The response an operation declares for a status: exact, else its class ('2XX'), else 'default'. */
export function declaredResponse(operation: OperationSpec, status: number): ResponseSpec | undefined {
  const exact = operation.responses.find((r) => r.status === String(status));
  const range = operation.responses.find(
    (r) => /^[1-5]XX$/i.test(r.status) && statusMatches(r.status, status),
  );
  return exact ?? range ?? operation.responses.find((r) => r.status === 'default');
}

/** Whether a declared media type or range (any, image/any, application/any+json) covers the actual one. */
export function mediaMatches(declared: string, actual: string): boolean {
  const range = mediaTypeOf(declared);
  if (range === '*/*' || range === actual) return true;
  const [type, subtype] = range.split('/');
  const [actualType, actualSubtype] = actual.split('/');
  if (!type || !subtype || !actualType || !actualSubtype || type !== actualType) return false;
  if (subtype === '*') return true;
  if (subtype.startsWith('*+')) return actualSubtype.endsWith(subtype.slice(1));
  return subtype === 'json' && actualSubtype.endsWith('+json');
}

/** Whether a media type is JSON: application/json or any type with a +json suffix. */
export function isJson(mediaType: string): boolean {
  return /^[a-z0-9!#$&^_.+-]+\/([a-z0-9!#$&^_.-]+\+)?json$/.test(mediaType);
}

function validatorFor(schema: AnySchema): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

/** The value at a JSON pointer (RFC 6901), or undefined when a part is missing. */
export function pointerGet(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  if (!pointer.startsWith('/')) return undefined;
  let current = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      current = /^(0|[1-9][0-9]*)$/.test(key) ? current[Number(key)] : undefined;
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, key)) {
      current = (current as Record<string, unknown>)[key];
    } else {
      return undefined;
    }
  }
  return current;
}

/** Deep equality of JSON values (own keys in any order; arrays in order). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every(
    (key) =>
      Object.hasOwn(b, key) &&
      deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

function snippet(body: string): string {
  if (body === '') return '(empty)';
  return body.length > 500 ? `${body.slice(0, 500)}…` : body;
}

/**
 * Checks a response against the step and the contract: no server error, a declared and expected status, a
 * declared content type, a body matching the declared schema, the expected values; then stores captures in
 * `vars`. Throws an error starting with `label` and ending with what came back.
 */
export function checkResponse(label: string, spec: StepSpec, response: Incoming, vars: Vars): void {
  const status = response.status;
  const type = mediaTypeOf(response.contentType);
  const seen = `\n  got: HTTP ${status} ${type || '(no content type)'}\n  body: ${snippet(response.text)}`;
  const failure = (message: string): Error => new Error(`${label}: ${message}${seen}`);
  if (status >= 500) throw failure(`server error ${status}`);
  const operation = Object.hasOwn(operations, spec.operationId) ? operations[spec.operationId] : undefined;
  if (!operation) throw failure(`operation ${spec.operationId} is not in schemas`);
  const declared = declaredResponse(operation, status);
  if (!declared) {
    const list = operation.responses.map((r) => r.status).join(', ');
    throw failure(`status ${status} not declared by ${spec.operationId} (declared: ${list})`);
  }
  if (!spec.expect.some((pattern) => statusMatches(pattern, status))) {
    throw failure(`expected status ${spec.expect.join(' or ')}, got ${status}`);
  }
  let parsed = false;
  let json: unknown;
  const body = (): unknown => {
    if (!parsed) {
      try {
        json = JSON.parse(response.text);
      } catch {
        throw failure('response body is not valid JSON');
      }
      parsed = true;
    }
    return json;
  };
  if (spec.validateBody !== false && declared.contents.length > 0) {
    const media = declared.contents.find((content) => mediaMatches(content.mediaType, type));
    if (!media) {
      const list = declared.contents.map((content) => content.mediaType).join(', ');
      throw failure(
        `content type ${type || '(none)'} not declared for ${declared.status} (declared: ${list})`,
      );
    }
    if (media.schema !== undefined && isJson(type)) {
      const validate = validatorFor(media.schema);
      if (!validate(body())) {
        const errors = ajv.errorsText(validate.errors, { dataVar: 'body', separator: '; ' });
        throw failure(
          `body does not match the ${declared.status} response schema of ${spec.operationId}: ${errors}`,
        );
      }
    }
  }
  for (const [name, pointer] of Object.entries(spec.capture ?? {})) {
    const value = pointerGet(body(), pointer);
    if (value === undefined) {
      throw failure(`cannot capture "${name}": nothing at ${pointer} in the response body`);
    }
    vars.set(name, value);
  }
  for (const [pointer, expected] of spec.bodyEquals ?? []) {
    const actual = pointerGet(body(), pointer);
    const wanted = substitute(expected, vars);
    if (!deepEqual(actual, wanted)) {
      throw failure(
        `expected body ${pointer} to be ${JSON.stringify(wanted)}, got ${JSON.stringify(actual)}`,
      );
    }
  }
}
