/**
 * The runtime every JS-family suite ships (`specmint.runtime.ts` / `.js`): builds requests, sends them
 * (global fetch, or Playwright's APIRequestContext), and checks responses against the declared contract.
 * One template for all three formats (see template.ts for the markers) so they behave identically.
 *
 * Written without template literals on purpose: the template itself lives in a String.raw literal.
 */
export const RUNTIME_TEMPLATE = String.raw`
//#if cjs
'use strict';

//#endif
//#if ts
import type { AnySchema, ValidateFunction } from 'ajv/dist/2020.js';
import { setFlagsFromString } from 'node:v8';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
//#if playwright
import type { APIRequestContext } from '@playwright/test';
//#endif
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

interface OutgoingBody {
  kind: 'json' | 'form' | 'multipart' | 'text';
  contentType: string;
  text: string;
  fields: Array<[string, string]>;
}

interface Outgoing {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: OutgoingBody;
}

interface Incoming {
  status: number;
  contentType: string;
  text: string;
}

type Exchange = (request: Outgoing) => Promise<Incoming>;
type Vars = Map<string, unknown>;
//#endif
//#if cjs
const { setFlagsFromString } = require('node:v8');
const { Ajv2020 } = require('ajv/dist/2020.js');
const addFormats = require('ajv-formats');
const { components, operations, securitySchemes } = require('./schemas.js');

/**
 * @typedef {{ $var: string }} VarRef
 * @typedef {string | VarRef} Value
 * @typedef {{ kind: 'json' | 'form' | 'multipart' | 'text', mediaType: string, value: unknown }} BodySpec
 * @typedef {{ mode: 'valid' | 'none' | 'invalid', schemes: string[] }} AuthSpec
 * @typedef {object} StepSpec
 * @property {string} operationId
 * @property {string} method
 * @property {Value[]} path Literal parts (already percent-encoded) and captured variables.
 * @property {Array<[string, Value]>} [query]
 * @property {Record<string, string>} [headers]
 * @property {Record<string, string>} [cookies]
 * @property {BodySpec} [body]
 * @property {AuthSpec} [auth]
 * @property {string[]} expect Acceptable statuses: exact ('201') or a class ('4XX').
 * @property {boolean} [validateBody] Check the body against the declared schema (default true).
 * @property {Array<[string, unknown]>} [bodyEquals] JSON pointer → value the JSON body must hold.
 * @property {Record<string, string>} [capture] Variables to capture: name → JSON pointer.
 */
//#endif

/**
 * Compiles a schema's 'pattern' with Ajv's 'u' flag or, for patterns only valid without it (common in real
 * specs, e.g. '[\-\.\_0-9A-Za-z]'), without it, as SpecMint read them when it generated the test data.
 * A pattern that means the same without the flag is tested without it on values with no surrogates: V8
 * can then finish a runaway match (a nested quantifier such as '([\w.-]*)*$' against a long value it does
 * not match) in linear time, so a wrong response fails its test instead of hanging the run.
 */
function patternRegExp(pattern/*: string*/, flags/*: string*/)/*: { test(value: string): boolean; toString(): string }*/ {
  const plainFlags = flags.replace('u', '');
  let unicode/*: RegExp*/;
  try {
    unicode = new RegExp(pattern, flags);
  } catch {
    return new RegExp(pattern, plainFlags);
  }
  // '\u{41}', '\p{L}' and astral characters mean something else without the flag.
  if (plainFlags === flags || /\\[pP]|\\u\{|\\u[dD][89a-fA-F]|[\ud800-\udfff]/.test(pattern)) return unicode;
  const plain = new RegExp(pattern, plainFlags);
  return {
    test: (value/*: string*/) => (/[\ud800-\udfff]/.test(value) ? unicode : plain).test(value),
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
const validators = new Map/*<unknown, ValidateFunction>*/();

/** A captured variable, for request values: path: ['/pets/', v('petId')]. */
export function v(name/*: string*/)/*: VarRef*/ {
  return { $var: name };
}

//#if fetch
/**
 * Starts a test case against BASE_URL. Each 'step' sends one request and checks its response; a failed
 * check throws an error naming the case, the step, what was expected and what came back.
 */
export function apiCase(caseId/*: string*/)/*: ApiCase*/ {
  return createCase(caseId, () => requireBase(process.env.BASE_URL), sendWithFetch);
}

async function sendWithFetch(request/*: Outgoing*/)/*: Promise<Incoming>*/ {
  const headers = { ...request.headers };
  const init/*: RequestInit*/ = { method: request.method, headers, redirect: 'manual' };
  const body = request.body;
  if (body && body.kind === 'multipart') {
    const form = new FormData();
    for (const [name, value] of body.fields) form.append(name, value);
    init.body = form;
  } else if (body) {
    headers['Content-Type'] = body.contentType;
    init.body = body.text;
  }
  const response = await fetch(request.url, init);
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text };
}
//#endif
//#if playwright
/**
 * Starts a test case with Playwright's request fixture against 'baseURL' (from BASE_URL in
 * playwright.config.ts). Each 'step' sends one request and checks its response.
 */
export function apiCase(
  caseId: string,
  fixtures: { request: APIRequestContext; baseURL: string | undefined },
): ApiCase {
  const send: Exchange = async (request) => {
    const body = request.body;
    const headers = { ...request.headers };
    if (body && body.kind !== 'multipart') headers['Content-Type'] = body.contentType;
    const response = await fixtures.request.fetch(request.url, {
      method: request.method,
      headers,
      maxRedirects: 0,
      failOnStatusCode: false,
      ...(body && body.kind === 'multipart' ? { multipart: Object.fromEntries(body.fields) } : {}),
      ...(body && body.kind !== 'multipart' ? { data: body.text } : {}),
    });
    const text = await response.text();
    return { status: response.status(), contentType: response.headers()['content-type'] ?? '', text };
  };
  return createCase(caseId, () => requireBase(fixtures.baseURL), send);
}
//#endif

function requireBase(value/*: string | undefined*/)/*: string*/ {
  if (!value) {
    throw new Error('BASE_URL is not set: export BASE_URL=<root URL of the API under test>');
  }
  return value.replace(/\/+$/, '');
}

function createCase(caseId/*: string*/, base/*: () => string*/, send/*: Exchange*/)/*: ApiCase*/ {
  const vars/*: Vars*/ = new Map();
  let index = 0;
  return {
    async step(spec) {
      index += 1;
      const label = '[' + caseId + '] step ' + index + ' (' + spec.method + ' ' + describePath(spec.path) + ')';
      let request/*: Outgoing*/;
      try {
        request = buildRequest(base(), spec, vars);
      } catch (error) {
        throw new Error(label + ': ' + errorMessage(error));
      }
      let response/*: Incoming*/;
      try {
        response = await send(request);
      } catch (error) {
        throw new Error(label + ': request to ' + request.url + ' failed: ' + errorMessage(error));
      }
      checkResponse(label, spec, response, vars);
    },
  };
}

function errorMessage(error/*: unknown*/)/*: string*/ {
  return error instanceof Error ? error.message : String(error);
}

function describePath(parts/*: Value[]*/)/*: string*/ {
  return parts.map((part) => (typeof part === 'string' ? part : '{' + part.$var + '}')).join('');
}

function isVarRef(value/*: unknown*/)/*: value is VarRef*/ {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === '$var' && typeof (value/*as VarRef*/).$var === 'string';
}

function lookup(vars/*: Vars*/, name/*: string*/)/*: unknown*/ {
  if (!vars.has(name)) throw new Error('variable "' + name + '" was not captured by an earlier step');
  return vars.get(name);
}

function valueText(value/*: Value*/, vars/*: Vars*/)/*: string*/ {
  if (typeof value === 'string') return value;
  const captured = lookup(vars, value.$var);
  return typeof captured === 'string' ? captured : JSON.stringify(captured);
}

function substitute(value/*: unknown*/, vars/*: Vars*/)/*: unknown*/ {
  if (isVarRef(value)) return lookup(vars, value.$var);
  if (Array.isArray(value)) return value.map((item) => substitute(item, vars));
  if (value !== null && typeof value === 'object') {
    // fromEntries keeps a "__proto__" key as data (an assignment would set the prototype).
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, vars)]));
  }
  return value;
}

function fieldText(value/*: unknown*/)/*: string*/ {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function buildRequest(base/*: string*/, spec/*: StepSpec*/, vars/*: Vars*/)/*: Outgoing*/ {
  const path = spec.path
    .map((part) => (typeof part === 'string' ? part : encodeURIComponent(valueText(part, vars))))
    .join('');
  const query/*: Array<[string, string]>*/ = (spec.query ?? []).map(([name, value]) => [name, valueText(value, vars)]);
  const headers/*: Record<string, string>*/ = { ...spec.headers };
  const cookies/*: Record<string, string>*/ = { ...spec.cookies };
  applyAuth(spec.auth, { headers, query, cookies });
  const cookieList = Object.entries(cookies).map(([name, value]) => name + '=' + value);
  if (cookieList.length > 0) headers.Cookie = cookieList.join('; ');
  const search = query.map(([name, value]) => encodeURIComponent(name) + '=' + encodeURIComponent(value));
  const url = base + path + (search.length > 0 ? '?' + search.join('&') : '');
  const request/*: Outgoing*/ = { method: spec.method, url, headers };
  if (spec.body) request.body = encodeBody(spec.body, vars);
  return request;
}

function encodeBody(body/*: BodySpec*/, vars/*: Vars*/)/*: OutgoingBody*/ {
  const value = substitute(body.value, vars);
  const out/*: OutgoingBody*/ = { kind: body.kind, contentType: body.mediaType, text: '', fields: [] };
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

function credential(name/*: string*/, valid/*: boolean*/, invalid/*: string*/)/*: string*/ {
  if (!valid) return invalid;
  const value = process.env[name];
  if (!value) throw new Error(name + ' is not set (see README.md: the credentials this test sends)');
  return value;
}

function applyAuth(
  auth/*: AuthSpec | undefined*/,
  target/*: { headers: Record<string, string>; query: Array<[string, string]>; cookies: Record<string, string> }*/,
)/*: void*/ {
  if (!auth || auth.mode === 'none') return;
  const valid = auth.mode === 'valid';
  for (const key of auth.schemes) {
    const scheme = Object.hasOwn(securitySchemes, key) ? securitySchemes[key] : undefined;
    if (!scheme) throw new Error('unknown security scheme "' + key + '"');
    if (scheme.kind === 'basic') {
      const user = credential(scheme.usernameEnv, valid, 'invalid-specmint-user');
      const password = credential(scheme.passwordEnv, valid, 'invalid-specmint-password');
      target.headers.Authorization = 'Basic ' + Buffer.from(user + ':' + password).toString('base64');
    } else if (scheme.kind === 'bearer') {
      target.headers.Authorization = 'Bearer ' + credential(scheme.tokenEnv, valid, 'invalid-specmint-token');
    } else {
      const value = credential(scheme.tokenEnv, valid, 'invalid-specmint-key');
      if (scheme.in === 'query') target.query.push([scheme.name, value]);
      else if (scheme.in === 'cookie') target.cookies[scheme.name] = value;
      else target.headers[scheme.name] = value;
    }
  }
}

function mediaTypeOf(contentType/*: string*/)/*: string*/ {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

function statusMatches(pattern/*: string*/, status/*: number*/)/*: boolean*/ {
  const upper = pattern.toUpperCase();
  if (/^[1-5]XX$/.test(upper)) return String(status).charAt(0) === upper.charAt(0);
  return upper === String(status);
}

function declaredResponse(operation/*: OperationSpec*/, status/*: number*/)/*: ResponseSpec | undefined*/ {
  const exact = operation.responses.find((r) => r.status === String(status));
  const range = operation.responses.find((r) => /^[1-5]XX$/i.test(r.status) && statusMatches(r.status, status));
  return exact ?? range ?? operation.responses.find((r) => r.status === 'default');
}

// Whether a declared media type or range (any, image/any, application/any+json) covers the actual one.
function mediaMatches(declared/*: string*/, actual/*: string*/)/*: boolean*/ {
  const range = mediaTypeOf(declared);
  if (range === '*/*' || range === actual) return true;
  const [type, subtype] = range.split('/');
  const [actualType, actualSubtype] = actual.split('/');
  if (!type || !subtype || !actualType || !actualSubtype || type !== actualType) return false;
  if (subtype === '*') return true;
  if (subtype.startsWith('*+')) return actualSubtype.endsWith(subtype.slice(1));
  return subtype === 'json' && actualSubtype.endsWith('+json');
}

function isJson(mediaType/*: string*/)/*: boolean*/ {
  return /^[a-z0-9!#$&^_.+-]+\/([a-z0-9!#$&^_.-]+\+)?json$/.test(mediaType);
}

function validatorFor(schema/*: AnySchema*/)/*: ValidateFunction*/ {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

function pointerGet(doc/*: unknown*/, pointer/*: string*/)/*: unknown*/ {
  if (pointer === '') return doc;
  if (!pointer.startsWith('/')) return undefined;
  let current = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      current = /^(0|[1-9][0-9]*)$/.test(key) ? current[Number(key)] : undefined;
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, key)) {
      current = (current/*as Record<string, unknown>*/)[key];
    } else {
      return undefined;
    }
  }
  return current;
}

function deepEqual(a/*: unknown*/, b/*: unknown*/)/*: boolean*/ {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every(
    (key) =>
      Object.hasOwn(b, key) &&
      deepEqual((a/*as Record<string, unknown>*/)[key], (b/*as Record<string, unknown>*/)[key]),
  );
}

function snippet(body/*: string*/)/*: string*/ {
  if (body === '') return '(empty)';
  return body.length > 500 ? body.slice(0, 500) + '…' : body;
}

function checkResponse(label/*: string*/, spec/*: StepSpec*/, response/*: Incoming*/, vars/*: Vars*/)/*: void*/ {
  const status = response.status;
  const type = mediaTypeOf(response.contentType);
  const seen = '\n  got: HTTP ' + status + ' ' + (type || '(no content type)') + '\n  body: ' + snippet(response.text);
  const fail = (message/*: string*/)/*: never*/ => {
    throw new Error(label + ': ' + message + seen);
  };
  if (status >= 500) fail('server error ' + status);
  const operation = Object.hasOwn(operations, spec.operationId) ? operations[spec.operationId] : undefined;
  if (!operation) return fail('operation ' + spec.operationId + ' is not in schemas');
  const declared = declaredResponse(operation, status);
  if (!declared) {
    const list = operation.responses.map((r) => r.status).join(', ');
    return fail('status ' + status + ' not declared by ' + spec.operationId + ' (declared: ' + list + ')');
  }
  if (!spec.expect.some((pattern) => statusMatches(pattern, status))) {
    fail('expected status ' + spec.expect.join(' or ') + ', got ' + status);
  }
  let parsed = false;
  let json/*: unknown*/;
  const body = ()/*: unknown*/ => {
    if (!parsed) {
      try {
        json = JSON.parse(response.text);
      } catch {
        fail('response body is not valid JSON');
      }
      parsed = true;
    }
    return json;
  };
  if (spec.validateBody !== false && declared.contents.length > 0) {
    const media = declared.contents.find((content) => mediaMatches(content.mediaType, type));
    if (!media) {
      const list = declared.contents.map((content) => content.mediaType).join(', ');
      fail('content type ' + (type || '(none)') + ' not declared for ' + declared.status + ' (declared: ' + list + ')');
    } else if (media.schema !== undefined && isJson(type)) {
      const validate = validatorFor(media.schema);
      if (!validate(body())) {
        const errors = ajv.errorsText(validate.errors, { dataVar: 'body', separator: '; ' });
        fail('body does not match the ' + declared.status + ' response schema of ' + spec.operationId + ': ' + errors);
      }
    }
  }
  for (const [name, pointer] of Object.entries(spec.capture ?? {})) {
    const value = pointerGet(body(), pointer);
    if (value === undefined) fail('cannot capture "' + name + '": nothing at ' + pointer + ' in the response body');
    vars.set(name, value);
  }
  for (const [pointer, expected] of spec.bodyEquals ?? []) {
    const actual = pointerGet(body(), pointer);
    const wanted = substitute(expected, vars);
    if (!deepEqual(actual, wanted)) {
      fail('expected body ' + pointer + ' to be ' + JSON.stringify(wanted) + ', got ' + JSON.stringify(actual));
    }
  }
}
`;
