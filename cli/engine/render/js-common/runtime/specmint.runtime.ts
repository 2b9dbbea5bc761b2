/**
 * The runtime every JS-family suite ships as `specmint.runtime.ts` (vitest, playwright) or `specmint.runtime.js`
 * (jest): sends each step's request through the suite's transport, runs the named checks of docs/checks.md on
 * the response against the contract in `schemas.ts`, and fails the test with every check that failed (request,
 * response and a curl line). Then come its helpers: values (statuses, comparisons, which checks run), report
 * (a failure's text, the run's record, the end-of-run summary and reports/coverage.json), and `apiCase`, which
 * starts a test case with the suite's HTTP client (global fetch, or Playwright's request fixture). In SpecMint's
 * sources they are the modules values.ts, checks.ts, failure.ts, report.ts, fetch.ts and playwright.ts.
 */

import type { AnySchema } from 'ajv/dist/2020.js';
import type { Evaluation } from './checks.ts';
import { evaluate, NO_JSON } from './checks.ts';
import type { Failure, FailureContext, Secret } from './failure.ts';
import { failureText, redact } from './failure.ts';
import * as userHooks from './hooks.ts';
import type { StepEvent } from './report.ts';
import { recordStep } from './report.ts';
import { securitySchemes } from './schemas.ts';
import type { Renames, UniqueSpec, Vars } from './values.ts';
import { renamedText, renameValue, runSalt, scalarText, selectedChecks, substitute } from './values.ts';

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
  /** Made-up texts the server may keep unique: renamed in each run, here and in the later steps of the case. */
  unique?: UniqueSpec[];
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
 * Sends a request between the beforeRequest and afterResponse hooks: the response, and the failure when a hook
 * threw (naming it) or no response came.
 */
async function exchange(
  request: Outgoing,
  send: Exchange,
): Promise<{ response?: Incoming; failure?: Failure }> {
  // The check's name already says it: `✗ hook: beforeRequest() of the hooks file threw …`.
  const hookFailure = (error: unknown): Failure => ({
    check: 'hook',
    message: errorMessage(error).replace(/^hook /, ''),
  });
  try {
    await callHook('beforeRequest', [request]);
  } catch (error) {
    return { failure: hookFailure(error) };
  }
  let response: Incoming;
  try {
    response = await send(request);
  } catch (error) {
    const message = `it got no response: ${errorMessage(error)}`;
    return { failure: { check: 'request', message, summary: 'it got no response' } };
  }
  try {
    await callHook('afterResponse', [request, response]);
  } catch (error) {
    return { response, failure: hookFailure(error) };
  }
  return { response };
}

/** What the run's record keeps of a step (its failures by their value-free summary). */
function stepEvent(
  caseId: string,
  spec: StepSpec,
  built: Built,
  status: number | undefined,
  outcome: Pick<Evaluation, 'ran' | 'failures' | 'warnings'>,
): StepEvent {
  return {
    case: caseId,
    operation: spec.operationId,
    check: spec.check ?? 'positive_data_acceptance',
    ...(status === undefined ? {} : { status }),
    ran: outcome.ran,
    failures: outcome.failures.map((f) => ({ check: f.check, key: f.summary ?? f.message })),
    warnings: outcome.warnings,
    credentials: built.credentials,
    missing: built.missing,
  };
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
  const renames: Renames = [];
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

  const step = async (planned: StepSpec): Promise<void> => {
    const site: { stack?: string } = {};
    Error.captureStackTrace(site, step);
    index += 1;
    for (const [text, shape] of planned.unique ?? [])
      renames.push([text, renamedText(text, shape, runSalt())]);
    const spec = renamedStep(planned, renames);
    let built: Built;
    try {
      built = buildRequest(base(), spec, vars);
    } catch (error) {
      throw await fail(site, `${caseId} — ${title}\n  at step ${index}: ${errorMessage(error)}`);
    }
    const { request, secrets, missing } = built;
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
    const record = (status: number | undefined, outcome: Pick<Evaluation, 'ran' | 'failures' | 'warnings'>) =>
      recordStep(stepEvent(caseId, spec, built, status, outcome));
    const sent = await exchange(request, send);
    if (sent.failure) {
      record(sent.response?.status, { ran: [], failures: [sent.failure], warnings: [] });
      throw await fail(site, failureText(context, request, sent.response, [sent.failure]));
    }
    const response = sent.response as Incoming;
    const outcome = evaluate(spec, request.method, response, { vars, snapshots, checks: enabledChecks() });
    if (spec.snapshot) {
      const body = outcome.json();
      snapshots.set(spec.snapshot, body.ok ? body.value : NO_JSON);
    }
    if (spec.capture && outcome.failures.length === 0) outcome.capture(spec.capture, vars);
    record(response.status, outcome);
    if (outcome.failures.length > 0) {
      throw await fail(site, failureText(context, request, response, outcome.failures));
    }
    history.push(`${request.method} ${redact(request.url, secrets)} → ${response.status}`);
  };
  return { step };
}

/**
 * A step with the made-up texts of its case renamed for this run (values.ts `renameValue`) wherever it sends or
 * compares them: path, query, headers, cookies, body, and the values read_after_write and filter_consistency
 * expect.
 */
export function renamedStep(spec: StepSpec, renames: Renames): StepSpec {
  if (renames.length === 0) return spec;
  const text = (value: string) => renameValue(value, renames) as string;
  const textsOf = (record: Record<string, string> | undefined) =>
    record && Object.fromEntries(Object.entries(record).map(([name, value]) => [name, text(value)]));
  const out: StepSpec = {
    ...spec,
    path: spec.path.map((part) => (typeof part === 'string' ? text(part) : part)),
  };
  if (spec.query) out.query = spec.query.map(([name, value]) => [name, renameValue(value, renames) as Value]);
  if (spec.headers) out.headers = textsOf(spec.headers);
  if (spec.cookies) out.cookies = textsOf(spec.cookies);
  if (spec.body) out.body = { ...spec.body, value: renameValue(spec.body.value, renames) };
  if (spec.bodyEquals) {
    out.bodyEquals = spec.bodyEquals.map(
      (check) => [check[0], renameValue(check[1], renames), ...check.slice(2)] as [string, unknown],
    );
  }
  if (spec.itemsMatch) {
    const [pointer, property, equals] = spec.itemsMatch;
    out.itemsMatch = [pointer, property, renameValue(equals, renames)];
  }
  return out;
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
    // An array is one field per item under the same name (form style, exploded).
    out.fields = Object.entries(record).flatMap(([name, item]) =>
      (Array.isArray(item) ? item : [item]).map((one): [string, string] => [name, scalarText(one)]),
    );
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
