/**
 * The runtime every JS-family suite ships as `specmint.runtime.ts` (vitest, playwright) or `specmint.runtime.js`
 * (jest): sends each step's request through the suite's transport, runs the named checks of docs/checks.md on
 * the response against the contract in `schemas.ts`, and fails the test with every check that failed (request,
 * response and a curl line). Then come its helpers: values (statuses, comparisons, which checks run), report
 * (a failure's text, the run's record, the end-of-run summary and reports/coverage.json), and `apiCase`, which
 * starts a test case with the suite's HTTP client (global fetch, or Playwright's request fixture). In SpecMint's
 * sources they are the modules values.ts, report.ts, fetch.ts and playwright.ts.
 */

import { setFlagsFromString } from 'node:v8';
import type { AnySchema, ValidateFunction } from 'ajv/dist/2020.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import * as userHooks from './hooks.ts';
import type { Failure, FailureContext, Secret } from './report.ts';
import { failureText, recordStep, redact } from './report.ts';
import { components, operations, securitySchemes } from './schemas.ts';
import type { Vars } from './values.ts';
import {
  coerceHeader,
  differences,
  expectedText,
  holds,
  isJson,
  jsonText,
  mediaMatches,
  mediaTypeOf,
  pointerGet,
  sameValue,
  scalarText,
  selectedChecks,
  statusMatches,
  substitute,
} from './values.ts';

/** A request value: literal text or a captured variable. */
export type Value = string | { $var: string };

/** A request body as planned; 'value' may hold captured variables. */
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
  /** The check the expected statuses stand for. @default 'positive_data_acceptance' */
  check?: string;
  /** Statuses that only warn when the operation does not declare them (the spec is silent). */
  lenient?: string[];
  /** Check the body against the declared schema. @default true */
  validateBody?: boolean;
  /** read_after_write: [JSON pointer, value sent (may hold captured variables), format?]. */
  bodyEquals?: Array<[string, unknown] | [string, unknown, string]>;
  /** filter_consistency: [pointer to the list, property, the value filtered by]. */
  itemsMatch?: [string, string, unknown];
  /** idempotence: [the snapshot to compare with, JSON pointers left out]. */
  sameAs?: [string, string[]];
  /** Variables to capture from the JSON body: name → JSON pointer. */
  capture?: Record<string, string>;
  /** Keep the whole JSON body under this name, for a later step's sameAs. */
  snapshot?: string;
}

/** A declared response: status ('200', '2XX', 'default'), its media types and headers. */
export interface ResponseSpec {
  status: string;
  contents: Array<{ mediaType: string; schema?: AnySchema }>;
  headers?: Array<{ name: string; required: boolean; schema?: AnySchema }>;
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

/** What a test case is: its title and how many steps it has (for its failure text). */
export interface CaseOptions {
  title?: string;
  steps?: number;
}

/** A body as sent: its text, or its fields for multipart. */
export interface OutgoingBody {
  kind: 'json' | 'form' | 'multipart' | 'text';
  contentType: string;
  text: string;
  fields: Array<[string, string]>;
}

/** A request as sent; a beforeRequest hook may change any of it. */
export interface Outgoing {
  method: string;
  url: string;
  /** Content-Type included (for multipart the transport sets it, with the boundary). */
  headers: Record<string, string>;
  body?: OutgoingBody;
}

/** A response as received. */
export interface Incoming {
  status: number;
  contentType: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  text: string;
}

/** Sends a request and reads the whole response: the suite's transport. */
export type Exchange = (request: Outgoing) => Promise<Incoming>;

/** The functions hooks.ts (hooks.js) may export, each optional; each may be async. */
export interface Hooks {
  beforeRun?: () => unknown;
  beforeRequest?: (request: Outgoing) => unknown;
  afterResponse?: (request: Outgoing, response: Incoming) => unknown;
  afterFailure?: (testId: string, error: Error) => unknown;
  afterRun?: () => unknown;
}

/** Wrong credentials an auth case sends. */
export const INVALID_TOKEN = 'invalid-specmint-token';
export const INVALID_KEY = 'invalid-specmint-key';
export const INVALID_USERNAME = 'invalid-specmint-user';
export const INVALID_PASSWORD = 'invalid-specmint-password';

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
export function v(name: string): { $var: string } {
  return { $var: name };
}

/** BASE_URL (or Playwright's baseURL) without a trailing slash; throws when it is not set. */
export function requireBase(value: string | undefined): string {
  if (!value) {
    throw new Error('BASE_URL is not set: export BASE_URL=<root URL of the API under test>');
  }
  return value.replace(/\/+$/, '');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A function of hooks.ts threw; the message names it. */
export class HookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HookError';
  }
}

/** Calls a hook of hooks.ts when it exports one; a hook that throws becomes a {@link HookError} naming it. */
export async function callHook(name: keyof Hooks, args: unknown[]): Promise<void> {
  const hook = (userHooks as unknown as Record<string, unknown>)[name];
  if (typeof hook !== 'function') return;
  try {
    await hook(...args);
  } catch (error) {
    const kind = error instanceof Error ? error.name : typeof error;
    throw new HookError(`hook ${name}() of the hooks file threw ${kind}: ${errorMessage(error)}`);
  }
}

/** A step failed one or more checks; the message says which, with the request, response and a curl line. */
export class CheckFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailure';
  }
}

/** The error a step throws, its stack starting at the test's own line (`site`), not in the runtime. */
function stepError(site: { stack?: string }, text: string): CheckFailure {
  const error = new CheckFailure(text);
  const frames = (site.stack ?? '').split('\n').slice(1);
  error.stack = [`${error.name}: ${text}`, ...frames].join('\n');
  return error;
}

let checks: Set<string> | undefined;

/** The checks this run performs (SPECMINT_CHECKS, SPECMINT_EXCLUDE_CHECKS), read once. */
export function enabledChecks(): Set<string> {
  checks ??= selectedChecks(process.env);
  return checks;
}

/** A request as built, with what its failure text needs: the credentials in it and the ones not set. */
export interface Built {
  request: Outgoing;
  secrets: Secret[];
  missing: string[];
  /** The env vars valid credentials were read from. */
  credentials: string[];
}

/**
 * A test case whose steps go through `send` (the suite's transport) to `base()`. A step that fails a check
 * throws a {@link CheckFailure} with every check that failed, from the test's own line.
 */
export function createCase(
  caseId: string,
  options: CaseOptions,
  base: () => string,
  send: Exchange,
): ApiCase {
  const vars: Vars = new Map();
  const snapshots = new Map<string, unknown>();
  const history: string[] = [];
  const title = options.title ?? caseId;
  let index = 0;

  const fail = async (site: { stack?: string }, text: string): Promise<CheckFailure> => {
    const error = stepError(site, text);
    try {
      await callHook('afterFailure', [caseId, error]);
    } catch (hookError) {
      error.message += `\n  ${errorMessage(hookError)}`;
      error.stack = [`${error.name}: ${error.message}`, ...(site.stack ?? '').split('\n').slice(1)].join(
        '\n',
      );
    }
    return error;
  };

  const step = async (spec: StepSpec): Promise<void> => {
    const site: { stack?: string } = {};
    Error.captureStackTrace(site, step);
    index += 1;
    const check = spec.check ?? 'positive_data_acceptance';
    let built: Built;
    try {
      built = buildRequest(base(), spec, vars);
    } catch (error) {
      throw await fail(site, `${caseId} — ${title}\n  at step ${index}: ${errorMessage(error)}`);
    }
    const { request, secrets, missing, credentials } = built;
    const context: FailureContext = {
      caseId,
      title,
      step: index,
      steps: options.steps ?? 1,
      operation: spec.operationId,
      history: [...history],
      secrets,
      missing,
    };
    const record = (
      status: number | undefined,
      ran: string[],
      failures: Failure[],
      warnings: Array<[string, string]>,
    ) =>
      recordStep({
        case: caseId,
        operation: spec.operationId,
        check,
        ...(status === undefined ? {} : { status }),
        ran,
        failures: failures.map((f) => ({ check: f.check, key: f.summary ?? f.message })),
        warnings,
        credentials,
        missing,
      });
    let response: Incoming;
    try {
      await callHook('beforeRequest', [request]);
      response = await send(request);
      await callHook('afterResponse', [request, response]);
    } catch (error) {
      const hook = error instanceof HookError;
      const failure: Failure = hook
        ? { check: 'hook', message: error.message }
        : {
            check: 'request',
            message: `it got no response: ${errorMessage(error)}`,
            summary: 'it got no response',
          };
      record(undefined, [], [failure], []);
      throw await fail(site, failureText(context, request, undefined, [failure]));
    }
    const outcome = evaluate(spec, request.method, response, { vars, snapshots, checks: enabledChecks() });
    if (spec.snapshot) {
      const body = outcome.json();
      snapshots.set(spec.snapshot, body.ok ? body.value : NO_JSON);
    }
    if (spec.capture && outcome.failures.length === 0) outcome.capture(spec.capture, vars);
    record(response.status, outcome.ran, outcome.failures, outcome.warnings);
    if (outcome.failures.length > 0) {
      throw await fail(site, failureText(context, request, response, outcome.failures));
    }
    history.push(`${request.method} ${redact(request.url, secrets)} → ${response.status}`);
  };
  return { step };
}

/** The request a step sends: URL with encoded path variables and query, headers, cookies, credentials, body. */
export function buildRequest(base: string, spec: StepSpec, vars: Vars): Built {
  const valueText = (value: Value): string =>
    typeof value === 'string' ? value : scalarText(substitute(value, vars));
  const path = spec.path
    .map((part) => (typeof part === 'string' ? part : encodeURIComponent(valueText(part))))
    .join('');
  const query = (spec.query ?? []).map(([name, value]): [string, string] => [name, valueText(value)]);
  const headers: Record<string, string> = { ...spec.headers };
  const cookies: Record<string, string> = { ...spec.cookies };
  const auth = applyAuth(spec.auth, { headers, query, cookies });
  const cookieList = Object.entries(cookies).map(([name, value]) => `${name}=${value}`);
  if (cookieList.length > 0) headers.Cookie = cookieList.join('; ');
  const search = query.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  const url = base + path + (search.length > 0 ? `?${search.join('&')}` : '');
  const request: Outgoing = { method: spec.method, url, headers };
  // HTTP clients refuse a body on GET and HEAD; the plan's note says why a spec's body is left out.
  if (spec.body && spec.method !== 'GET' && spec.method !== 'HEAD') {
    request.body = encodeBody(spec.body, vars);
    if (request.body.kind !== 'multipart') headers['Content-Type'] = request.body.contentType;
  }
  return { request, ...auth };
}

/** A planned body as sent: JSON text, form or multipart fields (and their urlencoded text), or plain text. */
export function encodeBody(body: BodySpec, vars: Vars): OutgoingBody {
  const value = substitute(body.value, vars);
  const out: OutgoingBody = { kind: body.kind, contentType: body.mediaType, text: '', fields: [] };
  if (body.kind === 'json') {
    out.text = JSON.stringify(value);
  } else if (body.kind === 'text') {
    out.text = scalarText(value);
  } else {
    const record = value !== null && typeof value === 'object' ? value : {};
    out.fields = Object.entries(record).map(([name, item]) => [name, scalarText(item)]);
    out.text = new URLSearchParams(out.fields).toString();
  }
  return out;
}

/** Where {@link applyAuth} puts credentials. */
export interface AuthTarget {
  headers: Record<string, string>;
  query: Array<[string, string]>;
  cookies: Record<string, string>;
}

/**
 * Adds the credentials of every scheme in `auth.schemes` (all of them: an AND set): valid ones from the env
 * vars named in `securitySchemes`, or deliberately invalid ones for `mode: 'invalid'`. A variable that is not
 * set leaves its scheme out (the request goes without it; the failure and the summary name the variable).
 */
export function applyAuth(
  auth: AuthSpec | undefined,
  target: AuthTarget,
): { secrets: Secret[]; missing: string[]; credentials: string[] } {
  const out = { secrets: [] as Secret[], missing: [] as string[], credentials: [] as string[] };
  if (!auth || auth.mode === 'none') return out;
  const valid = auth.mode === 'valid';
  const read = (name: string): string | undefined => {
    out.credentials.push(name);
    const value = process.env[name];
    if (!value) out.missing.push(name);
    return value || undefined;
  };
  for (const key of auth.schemes) {
    const scheme = Object.hasOwn(securitySchemes, key) ? securitySchemes[key] : undefined;
    if (!scheme) throw new Error(`unknown security scheme "${key}"`);
    if (scheme.kind === 'basic') {
      const user = valid ? read(scheme.usernameEnv) : INVALID_USERNAME;
      const password = valid ? read(scheme.passwordEnv) : INVALID_PASSWORD;
      if (user === undefined || password === undefined) continue;
      const token = Buffer.from(`${user}:${password}`).toString('base64');
      target.headers.Authorization = `Basic ${token}`;
      if (valid) {
        out.secrets.push({ text: token, shell: `basic:${scheme.usernameEnv}:${scheme.passwordEnv}` });
        out.secrets.push({ text: password, shell: `$${scheme.passwordEnv}` });
      }
      continue;
    }
    const value = valid ? read(scheme.tokenEnv) : scheme.kind === 'bearer' ? INVALID_TOKEN : INVALID_KEY;
    if (value === undefined) continue;
    if (valid) out.secrets.push({ text: value, shell: `$${scheme.tokenEnv}` });
    if (scheme.kind === 'bearer') target.headers.Authorization = `Bearer ${value}`;
    else if (scheme.in === 'query') target.query.push([scheme.name, value]);
    else if (scheme.in === 'cookie') target.cookies[scheme.name] = value;
    else target.headers[scheme.name] = value;
  }
  return out;
}

/** The response an operation declares for a status: exact, else its class ('2XX'), else 'default'. */
export function declaredResponse(operation: OperationSpec, status: number): ResponseSpec | undefined {
  const exact = operation.responses.find((r) => r.status === String(status));
  const range = operation.responses.find(
    (r) => /^[1-5]XX$/i.test(r.status) && statusMatches(r.status, status),
  );
  return exact ?? range ?? operation.responses.find((r) => r.status === 'default');
}

function validatorFor(schema: AnySchema): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

/** The schema a '#/components/schemas/X' reference (as the contract writes it) points at. */
function resolveSchema(schema: unknown): unknown {
  let current = schema;
  for (let depth = 0; depth < 10; depth += 1) {
    const ref =
      current !== null && typeof current === 'object' ? (current as { $ref?: unknown }).$ref : undefined;
    const at = typeof ref === 'string' ? ref.indexOf('#/components/schemas/') : -1;
    if (typeof ref !== 'string' || at < 0) return current;
    const name = decodeURIComponent(ref.slice(at + '#/components/schemas/'.length));
    const named = (components.components.schemas as Record<string, unknown>)[name];
    current = named ?? {};
  }
  return current;
}

/** What a snapshot holds for a response without a JSON body. */
const NO_JSON = Symbol('no JSON body');

/** A response body parsed as JSON: the value, or why there is none. */
export type Parsed = { ok: true; value: unknown } | { ok: false; why: string };

/** The checks of one step, run: what ran, what failed, what only warns, and the body as JSON. */
export interface Evaluation {
  ran: string[];
  failures: Failure[];
  /** [key once per operation and status, text]. */
  warnings: Array<[string, string]>;
  json(): Parsed;
  /** Stores the captured values in `vars`, or adds a `capture` failure. */
  capture(capture: Record<string, string>, vars: Vars): void;
}

/** What the checks across steps read: captured values, kept bodies, and the checks that are on. */
export interface EvaluationContext {
  vars: Vars;
  snapshots: Map<string, unknown>;
  checks: Set<string>;
}

/**
 * Runs every enabled check that applies to a step's response (docs/checks.md): the five on every response, the
 * step's status check, and, when the status is one the step expects, the checks across steps. Collects every
 * failure (not only the first) and the lenient statuses that only warn.
 */
export function evaluate(
  spec: StepSpec,
  method: string,
  response: Incoming,
  context: EvaluationContext,
): Evaluation {
  const status = response.status;
  const check = spec.check ?? 'positive_data_acceptance';
  const unsupported = check === 'unsupported_method';
  const operation = Object.hasOwn(operations, spec.operationId) ? operations[spec.operationId] : undefined;
  const declared = unsupported || !operation ? undefined : declaredResponse(operation, status);
  const ran: string[] = [];
  const failures: Failure[] = [];
  const warnings: Array<[string, string]> = [];
  const runs = (name: string): boolean => {
    if (!context.checks.has(name)) return false;
    ran.push(name);
    return true;
  };
  const fail = (name: string, message: string, summary?: string): void => {
    failures.push(summary === undefined ? { check: name, message } : { check: name, message, summary });
  };
  const hasContent = !(
    method === 'HEAD' ||
    [204, 205, 304].includes(status) ||
    status < 200 ||
    (response.text === '' && !(declared && declared.contents.length > 0))
  );
  let parsed: Parsed | undefined;
  const json = (): Parsed => {
    if (parsed) return parsed;
    if (!hasContent) parsed = { ok: false, why: 'the response has no content' };
    else {
      try {
        parsed = { ok: true, value: JSON.parse(response.text) };
      } catch (error) {
        parsed = { ok: false, why: `the body is not JSON (${errorMessage(error)})` };
      }
    }
    return parsed;
  };

  if (runs('not_a_server_error') && status >= 500 && !(unsupported && status === 501)) {
    fail('not_a_server_error', `the server answered ${status}`);
  }
  const statusOk = unsupported
    ? !((status >= 200 && status < 300) || (status >= 500 && status !== 501))
    : spec.expect.some((pattern) => statusMatches(pattern, status));
  if (runs(check) && !statusOk) {
    const wanted = unsupported ? '404, 405, 501 or another 4xx' : expectedText(spec.expect);
    fail(check, `expected ${wanted}, got ${status}`);
  }
  if (!unsupported && !operation) {
    fail('status_code_conformance', `operation ${spec.operationId} is not in schemas`);
  } else if (!unsupported && operation) {
    if (runs('status_code_conformance') && !declared) {
      const list = operation.responses.map((r) => r.status).join(', ') || 'none';
      if ((spec.lenient ?? []).some((pattern) => statusMatches(pattern, status))) {
        warnings.push([
          `${spec.operationId} ${status}`,
          `${operation.method} ${operation.path} answered ${status}, which it does not declare (declared: ${list});` +
            ' the spec declares no response for this kind of rejection, so this is a warning, not a failure',
        ]);
      } else {
        fail('status_code_conformance', `status ${status} not declared (declared: ${list})`);
      }
    }
    if (declared && hasContent && declared.contents.length > 0) {
      const actual = mediaTypeOf(response.contentType);
      const listed = declared.contents.map((content) => content.mediaType).join(', ');
      const matching = declared.contents.filter(
        (content) => actual !== '' && mediaMatches(content.mediaType, actual),
      );
      if (runs('content_type_conformance') && matching.length === 0) {
        fail(
          'content_type_conformance',
          actual
            ? `Content-Type ${actual} is not declared for ${declared.status} (declared: ${listed})`
            : `the Content-Type header is missing, but ${declared.status} declares ${listed}`,
        );
      }
      const content = matching.find((c) => mediaTypeOf(c.mediaType) === actual) ?? matching[0];
      if (
        spec.validateBody !== false &&
        content?.schema !== undefined &&
        isJson(actual) &&
        runs('response_schema_conformance')
      ) {
        const what = `the ${declared.status} response schema of ${spec.operationId}`;
        const body = json();
        if (!body.ok) {
          fail('response_schema_conformance', `body does not match ${what}: ${body.why}`, 'body is not JSON');
        } else {
          const validate = validatorFor(content.schema);
          if (!validate(body.value)) {
            const errors = schemaErrors(validate, 'body');
            fail(
              'response_schema_conformance',
              `body does not match ${what}: ${listed5(errors)}`,
              `body does not match ${what}: ${listed5([...new Set(errors.map(anyIndex))])}`,
            );
          }
        }
      }
    }
    if (declared?.headers && declared.headers.length > 0 && runs('response_headers_conformance')) {
      for (const header of declared.headers) {
        if (header.name.toLowerCase() === 'content-type') continue;
        const value = response.headers[header.name.toLowerCase()];
        if (value === undefined) {
          if (header.required) {
            fail(
              'response_headers_conformance',
              `required header ${header.name} of the ${declared.status} response is missing`,
            );
          }
          continue;
        }
        if (header.schema === undefined) continue;
        const validate = validatorFor(header.schema);
        if (!validate(coerceHeader(value, header.schema, resolveSchema))) {
          fail('response_headers_conformance', listed5(schemaErrors(validate, `header ${header.name}`)));
        }
      }
    }
  }
  if (statusOk) {
    const jsonFor = (name: string): Parsed => {
      const body = json();
      if (!body.ok) fail(name, `cannot compare values: ${body.why}`);
      return body;
    };
    if (spec.bodyEquals && spec.bodyEquals.length > 0 && runs('read_after_write')) {
      const body = jsonFor('read_after_write');
      if (body.ok) {
        // What this step captures counts too: a check may compare with it.
        const vars = new Map(context.vars);
        for (const [name, pointer] of Object.entries(spec.capture ?? {})) {
          const value = pointerGet(body.value, pointer);
          if (value !== undefined) vars.set(name, value);
        }
        for (const [pointer, expected, format] of spec.bodyEquals) {
          const sent = substitute(expected, vars);
          const actual = pointerGet(body.value, pointer);
          const where = pointer || 'the body';
          if (actual === undefined) {
            fail(
              'read_after_write',
              `${where}: sent ${cutText(jsonText(sent))}, missing in the body read back`,
              `${where} is missing in the body read back`,
            );
          } else if (!holds(actual, sent, format)) {
            fail(
              'read_after_write',
              `${where}: sent ${cutText(jsonText(sent))}, read back ${cutText(jsonText(actual))}`,
              `${where} read back is not what was sent`,
            );
          }
        }
      }
    }
    if (spec.itemsMatch && runs('filter_consistency')) {
      const [pointer, property, filtered] = spec.itemsMatch;
      const wanted = substitute(filtered, context.vars);
      const body = jsonFor('filter_consistency');
      const items = body.ok ? pointerGet(body.value, pointer) : undefined;
      if (body.ok && !Array.isArray(items)) {
        fail('filter_consistency', `no list of items at ${pointer || 'the body'}`);
      } else if (Array.isArray(items)) {
        const index = items.findIndex(
          (item) =>
            item !== null &&
            typeof item === 'object' &&
            Object.hasOwn(item, property) &&
            !sameValue((item as Record<string, unknown>)[property], wanted),
        );
        if (index >= 0) {
          const value = (items[index] as Record<string, unknown>)[property];
          fail(
            'filter_consistency',
            `${pointer}/${index} has ${property} = ${cutText(jsonText(value), 100)},` +
              ` but the list was filtered by ${property} = ${cutText(jsonText(wanted), 100)}`,
            `the list filtered by ${property} holds items with another ${property}`,
          );
        }
      }
    }
    if (spec.sameAs && runs('idempotence')) {
      const [name, ignore] = spec.sameAs;
      if (!context.snapshots.has(name)) {
        fail('idempotence', `no earlier step kept a body as "${name}" to compare with`);
      } else {
        const before = context.snapshots.get(name);
        const body = json();
        const after = body.ok ? body.value : NO_JSON;
        const changed =
          before === NO_JSON || after === NO_JSON
            ? before === after
              ? []
              : ['(the whole body)']
            : differences(before, after, ignore);
        if (changed.length > 0) {
          const listed =
            changed.slice(0, 10).join(', ') + (changed.length > 10 ? ` and ${changed.length - 10} more` : '');
          fail('idempotence', `repeating the request changed the resource at ${listed}`);
        }
      }
    }
  }
  const capture = (wanted: Record<string, string>, vars: Vars): void => {
    const body = json();
    for (const [name, pointer] of Object.entries(wanted)) {
      const value = body.ok ? pointerGet(body.value, pointer) : undefined;
      if (value === undefined || value === null) {
        const why = body.ok ? `${pointer} is missing in the response body` : body.why;
        fail('capture', `cannot capture "${name}" for the next steps: ${why}`);
        return;
      }
      vars.set(name, value);
    }
  };
  return { ran, failures, warnings, json, capture };
}

/** Ajv's errors as '<where><pointer> <what the schema asks for>', each once. */
function schemaErrors(validate: ValidateFunction, where: string): string[] {
  return [...new Set((validate.errors ?? []).map((error) => ajv.errorsText([error], { dataVar: where })))];
}

/** A JSON pointer with array indexes as '*', so equal findings at different items read the same. */
function anyIndex(text: string): string {
  return text.replace(/\/\d+(?=\/| |$)/g, '/*');
}

/** The first five items joined by '; ', and how many more there are. */
function listed5(items: string[]): string {
  const more = items.length > 5 ? `; … and ${items.length - 5} more` : '';
  return items.slice(0, 5).join('; ') + more;
}

function cutText(text: string, limit = 200): string {
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length - limit} more characters)` : text;
}
