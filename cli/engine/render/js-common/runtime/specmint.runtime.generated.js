/**
 * The runtime every JS-family suite ships as `specmint.runtime.ts` (vitest, playwright) or `specmint.runtime.js`
 * (jest): sends each step's request through the suite's transport, runs the named checks of docs/checks.md on
 * the response against the contract in `schemas.ts`, and fails the test with every check that failed (request,
 * response and a curl line). Then come its helpers: values (statuses, comparisons, which checks run), report
 * (a failure's text, the run's record, the end-of-run summary and reports/coverage.json), and `apiCase`, which
 * starts a test case with the suite's HTTP client (global fetch, or Playwright's request fixture). In SpecMint's
 * sources they are the modules values.ts, checks.ts, failure.ts, report.ts, fetch.ts and playwright.ts.
 */

'use strict';

const userHooks = require('./hooks.js');
const { securitySchemes, components, operations, api } = require('./schemas.js');
const { setFlagsFromString } = require('node:v8');
const { Ajv2020 } = require('ajv/dist/2020.js');
const addFormats = require('ajv-formats');
const { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, relative } = require('node:path');
const { threadId } = require('node:worker_threads');

/**
 * A request value: literal text or a captured variable.
 * @typedef {string | { $var: string }} Value
 */

/**
 * A request body as planned; 'value' may hold captured variables.
 * @typedef {object} BodySpec
 * @property {'json' | 'form' | 'multipart' | 'text'} kind
 * @property {string} mediaType
 * @property {unknown} value
 */

/**
 * Which credentials a step sends.
 * @typedef {object} AuthSpec
 * @property {'valid' | 'none' | 'invalid'} mode
 * @property {string[]} schemes
 */

/**
 * One HTTP exchange of a test case, and what its response must look like.
 * @typedef {object} StepSpec
 * @property {string} operationId
 * @property {string} method
 * @property {Value[]} path Literal parts (already percent-encoded) and captured variables (encoded when substituted).
 * @property {Array<[string, Value]>} [query]
 * @property {Record<string, string>} [headers]
 * @property {Record<string, string>} [cookies]
 * @property {BodySpec} [body]
 * @property {AuthSpec} [auth]
 * @property {string[]} expect Acceptable statuses: exact ('201') or a class ('4XX').
 * @property {string} [check] The check the expected statuses stand for. (default 'positive_data_acceptance')
 * @property {string[]} [lenient] Statuses that only warn when the operation does not declare them (the spec is silent).
 * @property {boolean} [validateBody] Check the body against the declared schema. (default true)
 * @property {Array<[string, unknown] | [string, unknown, string]>} [bodyEquals] read_after_write: [JSON pointer, value sent (may hold captured variables), format?].
 * @property {[string, string, unknown]} [itemsMatch] filter_consistency: [pointer to the list, property, the value filtered by].
 * @property {[string, string[]]} [sameAs] idempotence: [the snapshot to compare with, JSON pointers left out].
 * @property {Record<string, string>} [capture] Variables to capture from the JSON body: name → JSON pointer.
 * @property {string} [snapshot] Keep the whole JSON body under this name, for a later step's sameAs.
 * @property {UniqueSpec[]} [unique] Made-up texts the server may keep unique: renamed in each run, here and in the later steps of the case.
 */

/**
 * A declared response: status ('200', '2XX', 'default'), its media types and headers.
 * @typedef {object} ResponseSpec
 * @property {string} status
 * @property {Array<{ mediaType: string; schema?: import('ajv/dist/2020.js').AnySchema }>} contents
 * @property {Array<{ name: string; required: boolean; schema?: import('ajv/dist/2020.js').AnySchema }>} [headers]
 */

/**
 * What an operation may answer.
 * @typedef {object} OperationSpec
 * @property {string} method
 * @property {string} path
 * @property {ResponseSpec[]} responses
 */

/**
 * How a security scheme's credentials are sent, and the env vars holding them.
 * @typedef {{ kind: 'bearer'; tokenEnv: string } | { kind: 'basic'; usernameEnv: string; passwordEnv: string } | { kind: 'apiKey'; in: 'header' | 'query' | 'cookie'; name: string; tokenEnv: string }} SchemeSpec
 */

/**
 * A test case in progress: steps run in order and share captured variables.
 * @typedef {object} ApiCase
 * @property {(spec: StepSpec) => Promise<void>} step
 */

/**
 * What a test case is: its title and how many steps it has (for its failure text).
 * @typedef {object} CaseOptions
 * @property {string} [title]
 * @property {number} [steps]
 */

/**
 * A body as sent: its text, or its fields for multipart.
 * @typedef {object} OutgoingBody
 * @property {'json' | 'form' | 'multipart' | 'text'} kind
 * @property {string} contentType
 * @property {string} text
 * @property {Array<[string, string]>} fields
 */

/**
 * A request as sent; a beforeRequest hook may change any of it.
 * @typedef {object} Outgoing
 * @property {string} method
 * @property {string} url
 * @property {Record<string, string>} headers Content-Type included (for multipart the transport sets it, with the boundary).
 * @property {OutgoingBody} [body]
 */

/**
 * A response as received.
 * @typedef {object} Incoming
 * @property {number} status
 * @property {string} contentType
 * @property {Record<string, string>} headers Header names in lower case.
 * @property {string} text
 */

/**
 * Sends a request and reads the whole response: the suite's transport.
 * @typedef {(request: Outgoing) => Promise<Incoming>} Exchange
 */

/**
 * The functions hooks.ts (hooks.js) may export, each optional; each may be async.
 * @typedef {object} Hooks
 * @property {() => unknown} [beforeRun]
 * @property {(request: Outgoing) => unknown} [beforeRequest]
 * @property {(request: Outgoing, response: Incoming) => unknown} [afterResponse]
 * @property {(testId: string, error: Error) => unknown} [afterFailure]
 * @property {() => unknown} [afterRun]
 */

/** Wrong credentials an auth case sends. */
const INVALID_TOKEN = 'invalid-specmint-token';
const INVALID_KEY = 'invalid-specmint-key';
const INVALID_USERNAME = 'invalid-specmint-user';
const INVALID_PASSWORD = 'invalid-specmint-password';

/** A captured variable, for request values: path: ['/pets/', v('petId')]. */
function v(name) {
  return { $var: name };
}

/** BASE_URL (or Playwright's baseURL) without a trailing slash; throws when it is not set. */
function requireBase(value) {
  if (!value) {
    throw new Error('BASE_URL is not set: export BASE_URL=<root URL of the API under test>');
  }
  return value.replace(/\/+$/, '');
}

function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}

/** A function of hooks.ts threw; the message names it. */
class HookError extends Error {
  constructor(message) {
    super(message);
    this.name = 'HookError';
  }
}

/** Calls a hook of hooks.ts when it exports one; a hook that throws becomes a {@link HookError} naming it. */
async function callHook(name, args) {
  const hook = (userHooks)[name];
  if (typeof hook !== 'function') return;
  try {
    await hook(...args);
  } catch (error) {
    const kind = error instanceof Error ? error.name : typeof error;
    throw new HookError(`hook ${name}() of the hooks file threw ${kind}: ${errorMessage(error)}`);
  }
}

/** A step failed one or more checks; the message says which, with the request, response and a curl line. */
class CheckFailure extends Error {
  constructor(message) {
    super(message);
    this.name = 'CheckFailure';
  }
}

/** The error a step throws, its stack starting at the test's own line (`site`), not in the runtime. */
function stepError(site, text) {
  const error = new CheckFailure(text);
  const frames = (site.stack ?? '').split('\n').slice(1);
  error.stack = [`${error.name}: ${text}`, ...frames].join('\n');
  return error;
}

let checks;

/** The checks this run performs (SPECMINT_CHECKS, SPECMINT_EXCLUDE_CHECKS), read once. */
function enabledChecks() {
  checks ??= selectedChecks(process.env);
  return checks;
}

/**
 * A request as built, with what its failure text needs: the credentials in it and the ones not set.
 * @typedef {object} Built
 * @property {Outgoing} request
 * @property {Secret[]} secrets
 * @property {string[]} missing
 * @property {string[]} credentials The env vars valid credentials were read from.
 */

/**
 * Sends a request between the beforeRequest and afterResponse hooks: the response, and the failure when a hook
 * threw (naming it) or no response came.
 */
async function exchange(
  request,
  send,
) {
  // The check's name already says it: `✗ hook: beforeRequest() of the hooks file threw …`.
  const hookFailure = (error) => ({
    check: 'hook',
    message: errorMessage(error).replace(/^hook /, ''),
  });
  try {
    await callHook('beforeRequest', [request]);
  } catch (error) {
    return { failure: hookFailure(error) };
  }
  let response;
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
  caseId,
  spec,
  built,
  status,
  outcome,
) {
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
function createCase(
  caseId,
  options,
  base,
  send,
) {
  const vars = new Map();
  const renames = [];
  const snapshots = new Map();
  const history = [];
  const title = options.title ?? caseId;
  let index = 0;

  const fail = async (site, text) => {
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

  const step = async (planned) => {
    const site = {};
    Error.captureStackTrace(site, step);
    index += 1;
    for (const [text, shape] of planned.unique ?? [])
      renames.push([text, renamedText(text, shape, runSalt())]);
    const spec = renamedStep(planned, renames);
    let built;
    try {
      built = buildRequest(base(), spec, vars);
    } catch (error) {
      throw await fail(site, `${caseId} — ${title}\n  at step ${index}: ${errorMessage(error)}`);
    }
    const { request, secrets, missing } = built;
    const context = {
      caseId,
      title,
      step: index,
      steps: options.steps ?? 1,
      operation: spec.operationId,
      history: [...history],
      secrets,
      missing,
    };
    const record = (status, outcome) =>
      recordStep(stepEvent(caseId, spec, built, status, outcome));
    const sent = await exchange(request, send);
    if (sent.failure) {
      record(sent.response?.status, { ran: [], failures: [sent.failure], warnings: [] });
      throw await fail(site, failureText(context, request, sent.response, [sent.failure]));
    }
    const response = sent.response;
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
function renamedStep(spec, renames) {
  if (renames.length === 0) return spec;
  const text = (value) => renameValue(value, renames);
  const textsOf = (record) =>
    record && Object.fromEntries(Object.entries(record).map(([name, value]) => [name, text(value)]));
  const out = {
    ...spec,
    path: spec.path.map((part) => (typeof part === 'string' ? text(part) : part)),
  };
  if (spec.query) out.query = spec.query.map(([name, value]) => [name, renameValue(value, renames)]);
  if (spec.headers) out.headers = textsOf(spec.headers);
  if (spec.cookies) out.cookies = textsOf(spec.cookies);
  if (spec.body) out.body = { ...spec.body, value: renameValue(spec.body.value, renames) };
  if (spec.bodyEquals) {
    out.bodyEquals = spec.bodyEquals.map(
      (check) => [check[0], renameValue(check[1], renames), ...check.slice(2)],
    );
  }
  if (spec.itemsMatch) {
    const [pointer, property, equals] = spec.itemsMatch;
    out.itemsMatch = [pointer, property, renameValue(equals, renames)];
  }
  return out;
}

/** The request a step sends: URL with encoded path variables and query, headers, cookies, credentials, body. */
function buildRequest(base, spec, vars) {
  const valueText = (value) =>
    typeof value === 'string' ? value : scalarText(substitute(value, vars));
  const path = spec.path
    .map((part) => (typeof part === 'string' ? part : encodeURIComponent(valueText(part))))
    .join('');
  const query = (spec.query ?? []).map(([name, value]) => [name, valueText(value)]);
  const headers = { ...spec.headers };
  const cookies = { ...spec.cookies };
  const auth = applyAuth(spec.auth, { headers, query, cookies });
  const cookieList = Object.entries(cookies).map(([name, value]) => `${name}=${value}`);
  if (cookieList.length > 0) headers.Cookie = cookieList.join('; ');
  const search = query.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  const url = base + path + (search.length > 0 ? `?${search.join('&')}` : '');
  const request = { method: spec.method, url, headers };
  // HTTP clients refuse a body on GET and HEAD; the plan's note says why a spec's body is left out.
  if (spec.body && spec.method !== 'GET' && spec.method !== 'HEAD') {
    request.body = encodeBody(spec.body, vars);
    if (request.body.kind !== 'multipart') headers['Content-Type'] = request.body.contentType;
  }
  return { request, ...auth };
}

/** A planned body as sent: JSON text, form or multipart fields (and their urlencoded text), or plain text. */
function encodeBody(body, vars) {
  const value = substitute(body.value, vars);
  const out = { kind: body.kind, contentType: body.mediaType, text: '', fields: [] };
  if (body.kind === 'json') {
    out.text = JSON.stringify(value);
  } else if (body.kind === 'text') {
    out.text = scalarText(value);
  } else {
    const record = value !== null && typeof value === 'object' ? value : {};
    // An array is one field per item under the same name (form style, exploded).
    out.fields = Object.entries(record).flatMap(([name, item]) =>
      (Array.isArray(item) ? item : [item]).map((one) => [name, scalarText(one)]),
    );
    out.text = new URLSearchParams(out.fields).toString();
  }
  return out;
}

/**
 * Where applyAuth puts credentials.
 * @typedef {object} AuthTarget
 * @property {Record<string, string>} headers
 * @property {Array<[string, string]>} query
 * @property {Record<string, string>} cookies
 */

/**
 * Adds the credentials of every scheme in `auth.schemes` (all of them: an AND set): valid ones from the env
 * vars named in `securitySchemes`, or deliberately invalid ones for `mode: 'invalid'`. A variable that is not
 * set leaves its scheme out (the request goes without it; the failure and the summary name the variable).
 */
function applyAuth(
  auth,
  target,
) {
  const out = { secrets: [], missing: [], credentials: [] };
  if (!auth || auth.mode === 'none') return out;
  const valid = auth.mode === 'valid';
  const read = (name) => {
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

/**
 * @typedef {Map<string, unknown>} Vars
 */ /**
 * A value captured by an earlier step of the same case.
 * @typedef {object} VarRef
 * @property {string} $var
 */

/** Every check, by the name its failures carry (docs/checks.md; the planner's CHECK_NAMES). */
const CHECK_NAMES = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'response_headers_conformance',
  'positive_data_acceptance',
  'negative_data_rejection',
  'negative_format_rejection',
  'auth_enforced',
  'use_after_delete',
  'unsupported_method',
  'read_after_write',
  'filter_consistency',
  'idempotence',
];

/**
 * A check's name.
 * @typedef {(typeof CHECK_NAMES)[number]} CheckName
 */

/** Checks that run only when SPECMINT_CHECKS names them. */
const CHECKS_OFF_BY_DEFAULT = ['negative_format_rejection'];

/** How many characters of a body a failure shows. */
const BODY_LIMIT = 2000;

/** `text` cut after `limit` characters, saying how many were left out. */
function cut(text, limit = BODY_LIMIT) {
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length - limit} more characters)` : text;
}

/** A value as JSON text (`undefined` for a missing one). */
function jsonText(value) {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

/** The media type of a Content-Type header, without parameters, in lower case. */
function mediaTypeOf(contentType) {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/** Whether a status matches an expected one: exact ('201') or a class ('4XX'). */
function statusMatches(pattern, status) {
  const upper = pattern.toUpperCase();
  if (/^[1-5]XX$/.test(upper)) return String(status).charAt(0) === upper.charAt(0);
  return upper === String(status);
}

/** 'a 2xx status or 404' for ['2XX', '404']. */
function expectedText(patterns) {
  const shown = patterns.map((p) => (/^[1-5]XX$/i.test(p) ? `a ${p.toLowerCase()} status` : p));
  return shown.length > 0 ? shown.join(' or ') : 'no status';
}

/** Whether a declared media type or range (any, image/any, application/any+json) covers the actual one. */
function mediaMatches(declared, actual) {
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
function isJson(mediaType) {
  return /^[a-z0-9!#$&^_.+-]+\/([a-z0-9!#$&^_.-]+\+)?json$/.test(mediaType);
}

/** The value at a JSON pointer (RFC 6901), or undefined when a part is missing. */
function pointerGet(doc, pointer) {
  if (pointer === '') return doc;
  if (!pointer.startsWith('/')) return undefined;
  let current = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      current = /^(0|[1-9][0-9]*)$/.test(key) ? current[Number(key)] : undefined;
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, key)) {
      current = (current)[key];
    } else {
      return undefined;
    }
  }
  return current;
}

/** Deep equality of JSON values (own keys in any order; arrays in order). */
function deepEqual(a, b) {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every(
    (key) =>
      Object.hasOwn(b, key) &&
      deepEqual((a)[key], (b)[key]),
  );
}

function isVarRef(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === '$var' && typeof (value).$var === 'string';
}

function lookup(vars, name) {
  if (!vars.has(name)) throw new Error(`variable "${name}" was not captured by an earlier step`);
  return vars.get(name);
}

/** `value` with every {@link VarRef} replaced by the captured value; throws for one not captured yet. */
function substitute(value, vars) {
  if (isVarRef(value)) return lookup(vars, value.$var);
  if (Array.isArray(value)) return value.map((item) => substitute(item, vars));
  if (value !== null && typeof value === 'object') {
    // fromEntries keeps a "__proto__" key as data (an assignment would set the prototype).
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, vars)]));
  }
  return value;
}

/** How a captured value is written into a path, query or form field. */
function scalarText(value) {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A URL without a default port, with lower-case scheme and host, and '/' for an empty path. */
function normalisedUrl(text) {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(.*)$/i.exec(text);
  if (!match) return text;
  const scheme = (match[1] ?? '').toLowerCase();
  let host = (match[2] ?? '').toLowerCase();
  if ((scheme === 'http' && host.endsWith(':80')) || (scheme === 'https' && host.endsWith(':443'))) {
    host = host.slice(0, host.lastIndexOf(':'));
  }
  return `${scheme}://${host}${match[3] || '/'}${match[4] ?? ''}`;
}

/** Base64 text in the standard alphabet without padding: the same bytes in either RFC 4648 alphabet compare equal. */
function base64Digits(text) {
  return text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
}

/** A value in the form two equal values of a `format` share (read_after_write compares these). */
function normalise(value, format) {
  if (typeof value !== 'string' || !format) return value;
  const text = value.trim();
  if (format === 'date-time') {
    const time = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
    return Number.isNaN(time) ? value : `instant:${time}`;
  }
  if (format === 'date') return /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : value;
  if (format === 'email' || format === 'idn-email') {
    const at = text.lastIndexOf('@');
    return at < 0 ? text : `${text.slice(0, at)}@${text.slice(at + 1).toLowerCase()}`;
  }
  if (['uri', 'url', 'iri', 'uri-reference', 'iri-reference'].includes(format)) return normalisedUrl(text);
  if (format === 'hostname' || format === 'idn-hostname') return text.toLowerCase().replace(/\.$/, '');
  if (format === 'uuid') return text.toLowerCase();
  if (format === 'byte') return base64Digits(text);
  return value;
}

/**
 * Whether `actual` holds what was sent (`expected`): objects by the properties sent, arrays the same items in
 * any order, values of a `format` after normalising.
 */
function holds(actual, expected, format) {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return false;
    const left = [...actual];
    return expected.every((item) => {
      const at = left.findIndex((candidate) => holds(candidate, item, format));
      if (at < 0) return false;
      left.splice(at, 1);
      return true;
    });
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const have = actual;
    return Object.entries(expected).every(
      ([key, item]) => Object.hasOwn(have, key) && holds(have[key], item, format),
    );
  }
  if (format && typeof actual === 'string' && typeof expected === 'string') {
    return normalise(actual, format) === normalise(expected, format);
  }
  return actual === expected;
}

/**
 * filter_consistency: strings compared exactly, numbers and booleans by value; a query's text form of a number
 * or boolean ('3', 'true') equals that number or boolean.
 */
function sameValue(actual, expected) {
  if (typeof expected === 'string' && typeof actual === 'boolean') return String(actual) === expected;
  if (typeof expected === 'string' && typeof actual === 'number') {
    return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(expected) && Number(expected) === actual;
  }
  return deepEqual(actual, expected);
}

function pointerPart(key) {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** JSON pointers where two documents differ (none at or under an ignored pointer). */
function differences(left, right, ignore, at = '') {
  if (ignore.includes(at)) return [];
  const isObject = (value) =>
    value !== null && typeof value === 'object' && !Array.isArray(value);
  if (isObject(left) && isObject(right)) {
    const found = [];
    for (const key of [...new Set([...Object.keys(left), ...Object.keys(right)])].sort()) {
      const child = `${at}/${pointerPart(key)}`;
      if (!Object.hasOwn(left, key) || !Object.hasOwn(right, key)) {
        if (!ignore.includes(child)) found.push(child);
      } else {
        found.push(...differences(left[key], right[key], ignore, child));
      }
    }
    return found;
  }
  if (Array.isArray(left) && Array.isArray(right) && left.length === right.length) {
    return left.flatMap((item, index) => differences(item, right[index], ignore, `${at}/${index}`));
  }
  return deepEqual(left, right) ? [] : [at || '(the whole body)'];
}

/** A header's text as its schema's type ('3' → 3 for an integer; 'a,b' → ['a', 'b'] for an array). */
function coerceHeader(value, schema, resolve) {
  const resolved = resolve(schema);
  if (resolved === null || typeof resolved !== 'object') return value;
  const shape = resolved;
  const types = Array.isArray(shape.type) ? shape.type : shape.type === undefined ? [] : [shape.type];
  const text = value.trim();
  for (const type of types) {
    if (type === 'integer' && /^[-+]?\d+$/.test(text)) return Number(text);
    if (type === 'number' && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
    if (type === 'boolean' && /^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
    if (type === 'array') {
      return text === ''
        ? []
        : text.split(',').map((part) => coerceHeader(part.trim(), shape.items, resolve));
    }
    if (type === 'object') {
      const parts = text === '' ? [] : text.split(',').map((part) => part.trim());
      const pairs = parts.every((part) => part.includes('='))
        ? parts.map((part) => [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)])
        : parts.flatMap((part, index) => (index % 2 === 0 ? [[part, parts[index + 1] ?? '']] : []));
      return Object.fromEntries(
        pairs.map(([key = '', item = '']) => [key, coerceHeader(item, shape.properties?.[key], resolve)]),
      );
    }
    if (type === 'null' && text === '') return null;
  }
  return value;
}

/** SPECMINT_CHECKS or SPECMINT_EXCLUDE_CHECKS names a check that does not exist. */
class ChecksError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ChecksError';
  }
}

function checkList(env, variable) {
  const names = (env[variable] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const known = CHECK_NAMES;
  const unknown = names.filter((name) => name !== 'all' && !known.includes(name));
  if (unknown.length > 0) {
    throw new ChecksError(
      `${variable} names unknown check${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')};` +
        ` known checks: ${CHECK_NAMES.join(', ')} (or all)`,
    );
  }
  return names.includes('all') ? [...CHECK_NAMES] : names;
}

/**
 * The checks a run performs: SPECMINT_CHECKS (default: all but the off-by-default ones) less
 * SPECMINT_EXCLUDE_CHECKS. Throws {@link ChecksError} for an unknown name.
 */
function selectedChecks(env) {
  const chosen = checkList(env, 'SPECMINT_CHECKS');
  const excluded = checkList(env, 'SPECMINT_EXCLUDE_CHECKS');
  const base =
    chosen.length > 0 ? chosen : CHECK_NAMES.filter((name) => !CHECKS_OFF_BY_DEFAULT.includes(name));
  return new Set(base.filter((name) => !excluded.includes(name)));
}

/** SPECMINT_REPORTS=1 asks for reports, SPECMINT_REPORTS=0 never; otherwise CI decides. */
function reportsEnabled(env) {
  const off = ['', '0', 'false', 'no', 'off'];
  const flag = (env.SPECMINT_REPORTS ?? '').trim().toLowerCase();
  if (flag !== '') return !off.includes(flag);
  return !off.includes((env.CI ?? '').trim().toLowerCase());
}

/**
 * A text a step made up for the server to keep unique, with its shape (`classes` or `uuid`): sent renamed in each run, in that step and the later steps of its case (the plan's `UniqueText`).
 * @typedef {[text: string, shape: string]} UniqueSpec
 */

const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The characters a character of `text` may become, or undefined for one kept. */
function renameClass(char, shape, index) {
  const hex = shape === 'uuid';
  if (hex && (index === 14 || index === 19)) return undefined;
  if (DIGITS.includes(char)) return DIGITS;
  const lower = hex ? LOWER.slice(0, 6) : LOWER;
  const upper = hex ? UPPER.slice(0, 6) : UPPER;
  if (lower.includes(char)) return lower;
  if (upper.includes(char)) return upper;
  return undefined;
}

/** `text` as a run with `salt` sends it: each digit or letter another of its kind (see the plan's UniqueText). */
function renamedText(text, shape, salt) {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    const members = renameClass(char, shape, i);
    if (members === undefined) {
      out += char;
      continue;
    }
    let k = 0;
    for (let j = 0; j < salt.length; j++) k += salt.charCodeAt(j) * (i + j + 1);
    out += members.charAt((members.indexOf(char) + 1 + (k % (members.length - 1))) % members.length);
  }
  return out;
}

let salt;

/** This run's salt: SPECMINT_RUN_ID when set (to send the values of a run again), else random. */
function runSalt() {
  salt ??= process.env.SPECMINT_RUN_ID || Math.random().toString(36).slice(2, 10) || 'run';
  return salt;
}

/**
 * Made-up texts and what this run sends instead: `[text, renamed]`.
 * @typedef {Array<[string, string]>} Renames
 */

/**
 * `value` with every renamed text replaced in its strings (a text of six characters or more wherever it
 * occurs, a shorter one only as a whole string); captured variables are left alone.
 */
function renameValue(value, renames) {
  if (renames.length === 0) return value;
  if (typeof value === 'string') {
    let out = value;
    for (const [from, to] of renames) {
      if (from.length >= 6) out = out.split(from).join(to);
      else if (out === from) out = to;
    }
    return out;
  }
  if (Array.isArray(value)) return value.map((item) => renameValue(item, renames));
  if (value !== null && typeof value === 'object' && !isVarRef(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renameValue(item, renames)]));
  }
  return value;
}

/**
 * What Ajv needs of a compiled 'pattern': a test, and a text to share compiled patterns by.
 * @typedef {object} PatternTest
 * @property {(value: string) => boolean} test
 * @property {() => string} toString
 */

/**
 * Compiles a schema's 'pattern' with Ajv's 'u' flag or, for patterns only valid without it (common in real
 * specs, e.g. '[\-\.\_0-9A-Za-z]'), without it, as SpecMint read them when it generated the test data.
 * A pattern that means the same without the flag is tested without it on values with no surrogates: V8
 * can then finish a runaway match (a nested quantifier such as '([\w.-]*)*$' against a long value it does
 * not match) in linear time, so a wrong response fails its test instead of hanging the run.
 */
function patternRegExp(pattern, flags) {
  const plainFlags = flags.replace('u', '');
  let unicode;
  try {
    unicode = new RegExp(pattern, flags);
  } catch {
    return new RegExp(pattern, plainFlags);
  }
  // '\u{41}', '\p{L}' and astral characters mean something else without the flag.
  if (plainFlags === flags || /\\[pP]|\\u\{|\\u[dD][89a-fA-F]|[\ud800-\udfff]/.test(pattern)) return unicode;
  const plain = new RegExp(pattern, plainFlags);
  return {
    test: (value) => (/[\ud800-\udfff]/.test(value) ? unicode : plain).test(value),
    // Ajv shares compiled patterns by this text.
    toString: () => String(unicode),
  };
}
patternRegExp.code = 'patternRegExp';

// A match past 50,000 backtracks is finished by V8's linear-time engine (same answer; patterns with
// backreferences or lookarounds, and 'u'-flag ones, keep the backtracking engine).
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

// multipleOfPrecision: 0.3 is a multiple of 0.1 (whose quotient is 2.9999999999999996 in floating point), and so
// is 1e38 (whose quotient parseInt, Ajv's test without it, reads as 1); the pytest and k6 runtimes use the same
// tolerance.
const ajv = new Ajv2020({
  strict: false,
  allErrors: true,
  logger: false,
  multipleOfPrecision: 9,
  code: { regExp: patternRegExp },
});
addFormats(ajv);
// byte: RFC 4648 base64 in either of its alphabets (section 4, or section 5's URL-safe one, which Google's APIs
// declare as byte too), padded as the RFC requires; one alphabet per value. ajv-formats knows only the first.
ajv.addFormat(
  'byte',
  /^(?:(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?|(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?)$/,
);
ajv.addSchema(components);
const validators = new Map();

/** The response an operation declares for a status: exact, else its class ('2XX'), else 'default'. */
function declaredResponse(operation, status) {
  const exact = operation.responses.find((r) => r.status === String(status));
  const range = operation.responses.find(
    (r) => /^[1-5]XX$/i.test(r.status) && statusMatches(r.status, status),
  );
  return exact ?? range ?? operation.responses.find((r) => r.status === 'default');
}

function validatorFor(schema) {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

/** Ajv's errors as '<where><pointer> <what the schema asks for>', each once. */
function schemaErrors(validate, where) {
  return [...new Set((validate.errors ?? []).map((error) => ajv.errorsText([error], { dataVar: where })))];
}

/** The schema a '#/components/schemas/X' reference (as the contract writes it) points at. */
function resolveSchema(schema) {
  let current = schema;
  for (let depth = 0; depth < 10; depth += 1) {
    const ref =
      current !== null && typeof current === 'object' ? (current).$ref : undefined;
    const at = typeof ref === 'string' ? ref.indexOf('#/components/schemas/') : -1;
    if (typeof ref !== 'string' || at < 0) return current;
    const name = decodeURIComponent(ref.slice(at + '#/components/schemas/'.length));
    const named = (components.components.schemas)[name];
    current = named ?? {};
  }
  return current;
}

/** A JSON pointer with array indexes as '*', so equal findings at different items read the same. */
function anyIndex(text) {
  return text.replace(/\/\d+(?=\/| |$)/g, '/*');
}

/** The first five items joined by '; ', and how many more there are. */
function listed5(items) {
  const more = items.length > 5 ? `; … and ${items.length - 5} more` : '';
  return items.slice(0, 5).join('; ') + more;
}

function shortJson(value, limit = 200) {
  const text = jsonText(value);
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length - limit} more characters)` : text;
}

/** What a snapshot holds for a response without a JSON body. */
const NO_JSON = Symbol('no JSON body');

/**
 * A response body parsed as JSON: the value, or why there is none.
 * @typedef {{ ok: true; value: unknown } | { ok: false; why: string }} Parsed
 */

/**
 * The checks of one step, run: what ran, what failed, what only warns, and the body as JSON.
 * @typedef {object} Evaluation
 * @property {string[]} ran
 * @property {Failure[]} failures
 * @property {Array<[string, string]>} warnings [key once per operation and status, text].
 * @property {() => Parsed} json
 * @property {(capture: Record<string, string>, vars: Vars) => void} capture Stores the captured values in `vars`, or adds a `capture` failure.
 */

/**
 * What the checks across steps read: captured values, kept bodies, and the checks that are on.
 * @typedef {object} EvaluationContext
 * @property {Vars} vars
 * @property {Map<string, unknown>} snapshots
 * @property {Set<string>} checks
 */

/**
 * One step's checks in progress: what the step is, what came back, and what was found so far.
 * @typedef {object} Run
 * @property {StepSpec} spec
 * @property {Incoming} response
 * @property {EvaluationContext} context
 * @property {string} check The step's status check.
 * @property {boolean} unsupported An unsupported-method step belongs to no operation: no conformance checks.
 * @property {OperationSpec | undefined} operation
 * @property {ResponseSpec | undefined} declared
 * @property {boolean} hasContent
 * @property {string[]} ran
 * @property {Failure[]} failures
 * @property {Array<[string, string]>} warnings
 * @property {(name: string) => boolean} runs Whether a check is on (and counts it as run).
 * @property {(name: string, message: string, summary?: string) => void} fail
 * @property {() => Parsed} json
 */

function beginChecks(spec, method, response, context) {
  const status = response.status;
  const check = spec.check ?? 'positive_data_acceptance';
  const unsupported = check === 'unsupported_method';
  const operation = Object.hasOwn(operations, spec.operationId) ? operations[spec.operationId] : undefined;
  const declared = unsupported || !operation ? undefined : declaredResponse(operation, status);
  const hasContent = !(
    method === 'HEAD' ||
    [204, 205, 304].includes(status) ||
    status < 200 ||
    (response.text === '' && !(declared && declared.contents.length > 0))
  );
  const run = {
    spec,
    response,
    context,
    check,
    unsupported,
    operation,
    declared,
    hasContent,
    ran: [],
    failures: [],
    warnings: [],
    runs(name) {
      if (!context.checks.has(name)) return false;
      run.ran.push(name);
      return true;
    },
    fail(name, message, summary) {
      run.failures.push(summary === undefined ? { check: name, message } : { check: name, message, summary });
    },
    json: () => parsed(),
  };
  let body;
  const parsed = () => {
    if (body) return body;
    if (!hasContent) body = { ok: false, why: 'the response has no content' };
    else {
      try {
        body = { ok: true, value: JSON.parse(response.text) };
      } catch (error) {
        body = { ok: false, why: `the body is not JSON (${error instanceof Error ? error.message : error})` };
      }
    }
    return body;
  };
  return run;
}

/** not_a_server_error and the step's status check; whether the status is one the step expects. */
function statusChecks(run) {
  const status = run.response.status;
  if (run.runs('not_a_server_error') && status >= 500 && !(run.unsupported && status === 501)) {
    run.fail('not_a_server_error', `the server answered ${status}`);
  }
  const ok = run.unsupported
    ? !((status >= 200 && status < 300) || (status >= 500 && status !== 501))
    : run.spec.expect.some((pattern) => statusMatches(pattern, status));
  if (run.runs(run.check) && !ok) {
    const wanted = run.unsupported ? '404, 405, 501 or another 4xx' : expectedText(run.spec.expect);
    run.fail(run.check, `expected ${wanted}, got ${status}`);
  }
  return ok;
}

/** status_code_conformance: a status the operation does not declare fails, or warns where the spec is silent. */
function declaredStatus(run, operation) {
  if (!run.runs('status_code_conformance') || run.declared) return;
  const status = run.response.status;
  const list = operation.responses.map((r) => r.status).join(', ') || 'none';
  if ((run.spec.lenient ?? []).some((pattern) => statusMatches(pattern, status))) {
    run.warnings.push([
      `${run.spec.operationId} ${status}`,
      `${operation.method} ${operation.path} answered ${status}, which it does not declare (declared: ${list});` +
        ' the spec declares no response for this kind of rejection, so this is a warning, not a failure',
    ]);
    return;
  }
  run.fail('status_code_conformance', `status ${status} not declared (declared: ${list})`);
}

/** content_type_conformance and response_schema_conformance of a response with content. */
function contentChecks(run, declared) {
  if (!run.hasContent || declared.contents.length === 0) return;
  const actual = mediaTypeOf(run.response.contentType);
  const listed = declared.contents.map((content) => content.mediaType).join(', ');
  const matching = declared.contents.filter((c) => actual !== '' && mediaMatches(c.mediaType, actual));
  if (run.runs('content_type_conformance') && matching.length === 0) {
    run.fail(
      'content_type_conformance',
      actual
        ? `Content-Type ${actual} is not declared for ${declared.status} (declared: ${listed})`
        : `the Content-Type header is missing, but ${declared.status} declares ${listed}`,
    );
  }
  const content = matching.find((c) => mediaTypeOf(c.mediaType) === actual) ?? matching[0];
  if (run.spec.validateBody === false || content?.schema === undefined || !isJson(actual)) return;
  if (!run.runs('response_schema_conformance')) return;
  const what = `the ${declared.status} response schema of ${run.spec.operationId}`;
  const body = run.json();
  if (!body.ok) {
    run.fail('response_schema_conformance', `body does not match ${what}: ${body.why}`, 'body is not JSON');
    return;
  }
  const validate = validatorFor(content.schema);
  if (validate(body.value)) return;
  const errors = schemaErrors(validate, 'body');
  run.fail(
    'response_schema_conformance',
    `body does not match ${what}: ${listed5(errors)}`,
    `body does not match ${what}: ${listed5([...new Set(errors.map(anyIndex))])}`,
  );
}

/** response_headers_conformance: required headers present, declared ones valid (coerced to their type). */
function headerChecks(run, declared) {
  if (!declared.headers || declared.headers.length === 0 || !run.runs('response_headers_conformance')) return;
  for (const header of declared.headers) {
    if (header.name.toLowerCase() === 'content-type') continue;
    const value = run.response.headers[header.name.toLowerCase()];
    if (value === undefined) {
      if (header.required) {
        run.fail(
          'response_headers_conformance',
          `required header ${header.name} of the ${declared.status} response is missing`,
        );
      }
      continue;
    }
    if (header.schema === undefined) continue;
    const validate = validatorFor(header.schema);
    if (!validate(coerceHeader(value, header.schema, resolveSchema))) {
      run.fail('response_headers_conformance', listed5(schemaErrors(validate, `header ${header.name}`)));
    }
  }
}

/** The body as JSON for a check that compares values; a failure of that check when there is none. */
function jsonFor(run, name) {
  const body = run.json();
  if (!body.ok) run.fail(name, `cannot compare values: ${body.why}`);
  return body;
}

/** read_after_write: the body holds each value sent (with what this step captures, too). */
function readAfterWrite(run, checks) {
  const body = jsonFor(run, 'read_after_write');
  if (!body.ok) return;
  const vars = new Map(run.context.vars);
  for (const [name, pointer] of Object.entries(run.spec.capture ?? {})) {
    const value = pointerGet(body.value, pointer);
    if (value !== undefined) vars.set(name, value);
  }
  for (const [pointer, expected, format] of checks) {
    const sent = substitute(expected, vars);
    const actual = pointerGet(body.value, pointer);
    const where = pointer || 'the body';
    if (actual === undefined) {
      run.fail(
        'read_after_write',
        `${where}: sent ${shortJson(sent)}, missing in the body read back`,
        `${where} is missing in the body read back`,
      );
    } else if (!holds(actual, sent, format)) {
      run.fail(
        'read_after_write',
        `${where}: sent ${shortJson(sent)}, read back ${shortJson(actual)}`,
        `${where} read back is not what was sent`,
      );
    }
  }
}

/** filter_consistency: no item of the filtered list has another value of the filtered property. */
function filterConsistency(run, [pointer, property, filtered]) {
  const wanted = substitute(filtered, run.context.vars);
  const body = jsonFor(run, 'filter_consistency');
  if (!body.ok) return;
  const items = pointerGet(body.value, pointer);
  if (!Array.isArray(items)) {
    run.fail('filter_consistency', `no list of items at ${pointer || 'the body'}`);
    return;
  }
  const index = items.findIndex(
    (item) =>
      item !== null &&
      typeof item === 'object' &&
      Object.hasOwn(item, property) &&
      !sameValue((item)[property], wanted),
  );
  if (index < 0) return;
  const value = (items[index])[property];
  run.fail(
    'filter_consistency',
    `${pointer}/${index} has ${property} = ${shortJson(value, 100)},` +
      ` but the list was filtered by ${property} = ${shortJson(wanted, 100)}`,
    `the list filtered by ${property} holds items with another ${property}`,
  );
}

/** idempotence: the body equals the one an earlier step kept, but for the pointers left out. */
function idempotence(run, [name, ignore]) {
  if (!run.context.snapshots.has(name)) {
    run.fail('idempotence', `no earlier step kept a body as "${name}" to compare with`);
    return;
  }
  const before = run.context.snapshots.get(name);
  const body = run.json();
  const after = body.ok ? body.value : NO_JSON;
  // Two responses without a JSON body (a 404 after a delete) are alike; one with and one without differ.
  const changed =
    before === NO_JSON || after === NO_JSON
      ? before === after
        ? []
        : ['(the whole body)']
      : differences(before, after, ignore);
  if (changed.length === 0) return;
  const more = changed.length > 10 ? ` and ${changed.length - 10} more` : '';
  run.fail(
    'idempotence',
    `repeating the request changed the resource at ${changed.slice(0, 10).join(', ')}${more}`,
  );
}

/**
 * Why a step that answered `status` (one it accepts) made nothing to capture: a 409 means the server already
 * holds a resource with the values the step sends, most often one an earlier run of the suite created.
 */
function nothingCreated(status) {
  const conflict =
    status === 409
      ? ': it already holds a resource with the values this step sends (left by an earlier run?); run the' +
        ' suite against a fresh server or clear its data'
      : '';
  return `the server answered ${status}, so nothing was created${conflict}`;
}

/**
 * Stores what a step captures in `vars`; a `capture` failure for the first value that is missing. Only a 2xx
 * body made something: a 409's problem body may well hold a `code` or an `id`, of the error, not of a resource.
 */
function capture(run, wanted, vars) {
  const status = run.response.status;
  const made = status >= 200 && status < 300;
  const body = run.json();
  for (const [name, pointer] of Object.entries(wanted)) {
    const value = made && body.ok ? pointerGet(body.value, pointer) : undefined;
    if (value === undefined || value === null) {
      const why =
        status < 200 || status >= 300
          ? nothingCreated(status)
          : body.ok
            ? `${pointer} is missing in the response body`
            : body.why;
      run.fail('capture', `cannot capture "${name}" for the next steps: ${why}`);
      return;
    }
    vars.set(name, value);
  }
}

/**
 * Runs every enabled check that applies to a step's response (docs/checks.md): the five on every response, the
 * step's status check, and, when the status is one the step expects, the checks across steps. Collects every
 * failure (not only the first) and the lenient statuses that only warn.
 */
function evaluate(
  spec,
  method,
  response,
  context,
) {
  const run = beginChecks(spec, method, response, context);
  const statusOk = statusChecks(run);
  if (!run.unsupported && !run.operation) {
    run.fail('status_code_conformance', `operation ${spec.operationId} is not in schemas`);
  } else if (!run.unsupported && run.operation) {
    declaredStatus(run, run.operation);
    if (run.declared) {
      contentChecks(run, run.declared);
      headerChecks(run, run.declared);
    }
  }
  // The checks across steps compare only a response whose status the step expects.
  if (statusOk) {
    if (spec.bodyEquals && spec.bodyEquals.length > 0 && run.runs('read_after_write')) {
      readAfterWrite(run, spec.bodyEquals);
    }
    if (spec.itemsMatch && run.runs('filter_consistency')) filterConsistency(run, spec.itemsMatch);
    if (spec.sameAs && run.runs('idempotence')) idempotence(run, spec.sameAs);
  }
  return {
    ran: run.ran,
    failures: run.failures,
    warnings: run.warnings,
    json: run.json,
    capture: (wanted, vars) => capture(run, wanted, vars),
  };
}

/**
 * A credential in a request: shown as *** in a failure, and as $ENV (or -u for basic) in its curl line.
 * @typedef {object} Secret
 * @property {string} text
 * @property {string} shell `$BEARER_AUTH`, or `basic:USER_ENV:PASSWORD_ENV` for a basic token.
 */

/**
 * One failed check of a step: its name, the message, and the message without values for the summary.
 * @typedef {object} Failure
 * @property {string} check
 * @property {string} message
 * @property {string} [summary]
 */

/**
 * What the failure text of a step needs besides the request and response.
 * @typedef {object} FailureContext
 * @property {string} caseId
 * @property {string} title
 * @property {number} step The step's number (from 1) and how many the case has.
 * @property {number} steps
 * @property {string} operation
 * @property {string[]} history The requests before this one: 'POST http://…/pets → 201'.
 * @property {Secret[]} secrets
 * @property {string[]} missing Credential variables the step needed that are not set.
 */

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `text` with every credential (and its URL-encoded form) replaced by ***. */
function redact(text, secrets) {
  let out = text;
  for (const secret of secrets) {
    for (const form of new Set([secret.text, encodeURIComponent(secret.text)])) {
      if (form) out = out.replace(new RegExp(escapeRegExp(form), 'g'), '***');
    }
  }
  return out;
}

function isInvalidBasic(token) {
  return Buffer.from(token, 'base64').toString('utf8') === `${INVALID_USERNAME}:${INVALID_PASSWORD}`;
}

/** A request header as a failure shows it: credentials as ***, deliberately invalid ones as sent. */
function shownHeader(name, value, secrets) {
  const shown = redact(value, secrets);
  if (shown !== value || !['authorization', 'proxy-authorization'].includes(name.toLowerCase())) return shown;
  // Not one of the suite's credentials: its own invalid ones are shown as sent, any other (a hook's) keeps only
  // its scheme word.
  const space = value.indexOf(' ');
  const scheme = space < 0 ? value : value.slice(0, space);
  const token = space < 0 ? '' : value.slice(space + 1);
  if (value.includes('invalid-specmint-') || (scheme.toLowerCase() === 'basic' && isInvalidBasic(token))) {
    return value;
  }
  return token ? `${scheme} ***` : '***';
}

/**
 * @typedef {['text' | 'var', string]} ShellPart
 */

/** One shell word from literal and $VAR parts: single quotes when there is no variable, else double. */
function shellWord(parts) {
  if (parts.every(([kind]) => kind === 'text')) {
    return `'${parts
      .map(([, text]) => text)
      .join('')
      .replace(/'/g, "'\\''")}'`;
  }
  const out = parts.map(([kind, text], index) => {
    if (kind === 'text') return text.replace(/([\\"$`])/g, '\\$1');
    const following = parts[index + 1]?.[1].charAt(0) ?? '';
    return /\w/.test(following) ? `\${${text}}` : `$${text}`;
  });
  return `"${out.join('')}"`;
}

/** `text` split into literal parts and $VAR parts where a credential stood. */
function withVars(text, secrets) {
  let parts = [['text', text]];
  for (const secret of secrets) {
    if (!secret.shell.startsWith('$')) continue;
    const split = [];
    for (const part of parts) {
      const form =
        part[0] === 'text'
          ? [secret.text, encodeURIComponent(secret.text)].find((f) => f && part[1].includes(f))
          : undefined;
      if (form === undefined) {
        split.push(part);
        continue;
      }
      part[1].split(form).forEach((piece, index) => {
        if (index > 0) split.push(['var', secret.shell.slice(1)]);
        split.push(['text', piece]);
      });
    }
    parts = split.filter(([kind, value]) => kind !== 'text' || value !== '');
  }
  return parts.length > 0 ? parts : [['text', '']];
}

/** Words joined by spaces, a new line (after `separator`) before one that would pass `width`. */
function wrapped(words, separator, width = 100) {
  const lines = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines.join(separator);
}

/** The body a failure shows for a request: its text, or its multipart fields. */
function requestBodyText(request) {
  const body = request.body;
  if (!body) return undefined;
  if (body.kind === 'multipart') {
    return `multipart fields: ${body.fields.map(([name, value]) => `${name}=${value}`).join(', ')}`;
  }
  return body.text;
}

/** A curl command that sends the same request, each credential as the variable that holds it. */
function curlCommand(request, secrets) {
  const method = request.method === 'HEAD' ? '--head' : `-X ${request.method}`;
  const words = [`curl ${method} ${shellWord(withVars(request.url, secrets))}`];
  const basic = new Map(secrets.filter((s) => s.shell.startsWith('basic:')).map((s) => [s.text, s.shell]));
  for (const [name, value] of Object.entries(request.headers)) {
    const token = value.slice(value.indexOf(' ') + 1);
    const shell = basic.get(token);
    if (name.toLowerCase() === 'authorization' && /^basic /i.test(value) && shell) {
      const [, user = '', password = ''] = shell.split(':');
      words.push(
        `-u ${shellWord([
          ['var', user],
          ['text', ':'],
          ['var', password],
        ])}`,
      );
      continue;
    }
    if (request.body?.kind === 'multipart' && name.toLowerCase() === 'content-type') continue;
    let parts = withVars(`${name}: ${value}`, secrets);
    if (parts.every(([kind]) => kind === 'text'))
      parts = [['text', `${name}: ${shownHeader(name, value, secrets)}`]];
    words.push(`-H ${shellWord(parts)}`);
  }
  if (request.body?.kind === 'multipart') {
    for (const [name, value] of request.body.fields)
      words.push(`-F ${shellWord([['text', `${name}=${value}`]])}`);
  } else if (request.body) {
    words.push(`--data-raw ${shellWord(withVars(request.body.text, secrets))}`);
  }
  return wrapped(words, ' \\\n      ');
}

function indented(text, prefix) {
  return text.split(/\r?\n/).join(`\n${prefix}`);
}

/** The text of a failed step, in the shape of docs/checks.md ("A failure"). */
function failureText(
  context,
  request,
  response,
  failures,
) {
  const pad = ' '.repeat(12);
  const { secrets } = context;
  const lines = [`${context.caseId} — ${context.title}`];
  const steps = Math.max(context.step, context.steps);
  if (steps > 1) {
    const after = context.history.length > 0 ? `, after ${context.history.join('; ')}` : '';
    lines.push(`  at step ${context.step} of ${steps} (${context.operation})${after}`);
  }
  const known = CHECK_NAMES;
  for (const failure of failures) {
    const label = known.includes(failure.check) ? failure.check : failure.check.replace(/_/g, ' ');
    lines.push(`  ✗ ${label}: ${indented(failure.message, '    ')}`);
  }
  if (context.missing.length > 0) {
    const names = [...new Set(context.missing)];
    lines.push(
      `  note: ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} not set, so the request went without ${
        names.length === 1 ? 'that credential' : 'those credentials'
      }`,
    );
  }
  lines.push(`  request:  ${request.method} ${redact(request.url, secrets)}`);
  for (const [name, value] of Object.entries(request.headers)) {
    lines.push(`${pad}${name}: ${shownHeader(name, value, secrets)}`);
  }
  const body = requestBodyText(request);
  if (body !== undefined) lines.push(pad + indented(cut(redact(body, secrets)), pad));
  if (response) {
    lines.push(`  response: ${response.status} ${response.contentType || '(no Content-Type)'}`.trimEnd());
    if (request.method === 'HEAD' || [204, 205, 304].includes(response.status)) {
      lines.push(`${pad}(no content)`);
    } else {
      const text = redact(response.text, secrets);
      lines.push(pad + indented(text ? cut(text) : '(empty body)', pad));
    }
  }
  lines.push('  reproduce:', `    ${curlCommand(request, secrets)}`);
  return lines.join('\n');
}

/**
 * What one step did, as each test worker writes it for the end-of-run summary (one JSON line).
 * @typedef {object} StepEvent
 * @property {string} case
 * @property {string} operation
 * @property {string} check
 * @property {number} [status] Undefined when no response came.
 * @property {string[]} ran
 * @property {Array<{ check: string; key: string }>} failures
 * @property {Array<[string, string]>} warnings Lenient statuses: [key, text], reported once per key.
 * @property {string[]} credentials The variables a step with valid credentials read.
 * @property {string[]} missing
 */

const RUN_DIR = 'SPECMINT_RUN_DIR';

/** Appends a step's event to this worker's file, when a run started (the suite's global setup). */
function recordStep(event) {
  const dir = process.env[RUN_DIR];
  if (!dir) return;
  appendFileSync(join(dir, `events-${process.pid}-${threadId}.jsonl`), `${JSON.stringify(event)}\n`);
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function counter() {
  return new Map();
}

function bump(map, key, by = 1) {
  map.set(key, (map.get(key) ?? 0) + by);
}

/**
 * The coverage report's shape (docs/checks.md).
 * @typedef {object} Coverage
 * @property {1} specmint
 * @property {string} format
 * @property {{ title: string; version: string }} api
 * @property {Array<{ id: string; method: string; path: string; requests: number; declared: string[]; seen: Record<string, number>; notSeen: string[]; }>} operations
 * @property {Array<{ name: string; run: number; failed: number }>} checks
 * @property {Array<{ operation: string; check: string; message: string; tests: number }>} failures
 * @property {string[]} warnings
 */

/**
 * What a run did, from its step events (see createRecord).
 * @typedef {object} RunRecord
 * @property {(event: StepEvent) => void} add
 * @property {(id: string) => string[]} notSeen The statuses an operation declares that no response had.
 * @property {() => string[]} warnings Schemathesis-style advice: credentials, ids, constraints, and statuses the spec leaves open.
 * @property {() => Coverage} coverage reports/coverage.json (docs/checks.md gives the shape).
 * @property {() => string[]} summaryLines The summary printed at the end of every run.
 */

/**
 * The record of a run: requests and statuses per operation, checks run and failed, failures grouped by
 * operation and check, and warnings. Feeds the end-of-run summary and reports/coverage.json.
 */
function createRecord(format, checks) {
  const requests = counter();
  const seenBy = new Map();
  const authRejected = counter();
  const notFound = counter();
  const rejectedValid = counter();
  const credentialVars = new Map();
  const missing = new Set();
  const checksRun = counter();
  const checksFailed = counter();
  // `operation\tcheck\tmessage` → the ids of the tests it failed in.
  const failures = new Map();
  // Lenient statuses, once each.
  const lenient = new Map();

  function add(event) {
    const operation = event.operation;
    for (const name of event.ran) bump(checksRun, name);
    for (const name of new Set(event.failures.map((f) => f.check))) {
      if (event.ran.includes(name)) bump(checksFailed, name);
    }
    for (const name of event.missing) missing.add(name);
    for (const failure of event.failures) {
      const key = `${operation}\t${failure.check}\t${failure.key.replace(/\/\d+(?=\/| |$)/g, '/*')}`;
      let tests = failures.get(key);
      if (!tests) {
        tests = new Set();
        failures.set(key, tests);
      }
      tests.add(event.case);
    }
    for (const [key, text] of event.warnings) if (!lenient.has(key)) lenient.set(key, text);
    if (event.credentials.length > 0) {
      let names = credentialVars.get(operation);
      if (!names) {
        names = new Set();
        credentialVars.set(operation, names);
      }
      for (const name of event.credentials) names.add(name);
    }
    if (event.status === undefined || !Object.hasOwn(operations, operation)) return;
    if (event.check === 'unsupported_method') return;
    const status = event.status;
    bump(requests, operation);
    let seen = seenBy.get(operation);
    if (!seen) {
      seen = counter();
      seenBy.set(operation, seen);
    }
    bump(seen, String(status));
    if (status === 401 || status === 403) bump(authRejected, operation);
    if (status === 404) bump(notFound, operation);
    if (
      event.check === 'positive_data_acceptance' &&
      status >= 400 &&
      status < 500 &&
      ![401, 403, 404, 409, 429].includes(status)
    ) {
      bump(rejectedValid, operation);
    }
  }

  function notSeen(id) {
    const seen = [...(seenBy.get(id)?.keys() ?? [])].map(Number);
    const declared = (operations[id]?.responses ?? []).map((response) => response.status);
    return declared.filter((status) => {
      if (status === 'default') {
        const covered = seen.filter((s) => declared.some((d) => d !== 'default' && statusMatches(d, s)));
        return covered.length >= seen.length;
      }
      return !seen.some((s) => statusMatches(status, s));
    });
  }

  function warnings() {
    const out = [];
    for (const [id, operation] of Object.entries(operations)) {
      const sent = requests.get(id) ?? 0;
      if (sent === 0) continue;
      const where = `${operation.method} ${operation.path}`;
      if ((authRejected.get(id) ?? 0) * 2 > sent) {
        const names = [...(credentialVars.get(id) ?? [])].sort();
        const unset = names.filter((name) => missing.has(name));
        let advice = names.length > 0 ? `set ${names.join(', ')}` : 'check the credentials the API expects';
        if (unset.length > 0) advice += ` (${unset.join(', ')} ${unset.length === 1 ? 'is' : 'are'} not set)`;
        out.push(`most requests to ${where} answered 401/403: ${advice}`);
      }
      const parameters = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      if (parameters.length > 0 && (notFound.get(id) ?? 0) * 2 > sent) {
        const ids = parameters.map((name) => `--path-param ${name}=<id>`).join(' ');
        out.push(`most requests to ${where} answered 404: give real ids with ${ids}`);
      }
      const rejected = rejectedValid.get(id) ?? 0;
      if (rejected > 0) {
        out.push(
          `the server rejected ${plural(rejected, 'valid input')} to ${where} with 4xx:` +
            " the spec's constraints may differ from the server's",
        );
      }
    }
    out.push(...lenient.values());
    return out;
  }

  function coverage() {
    return {
      specmint: 1,
      format,
      api: { title: api.title, version: api.version },
      operations: Object.entries(operations).map(([id, operation]) => {
        const seen = seenBy.get(id) ?? counter();
        return {
          id,
          method: operation.method,
          path: operation.path,
          requests: requests.get(id) ?? 0,
          declared: operation.responses.map((response) => response.status),
          seen: Object.fromEntries([...seen.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
          notSeen: notSeen(id),
        };
      }),
      checks: CHECK_NAMES.filter((name) => checks.has(name)).map((name) => ({
        name,
        run: checksRun.get(name) ?? 0,
        failed: checksFailed.get(name) ?? 0,
      })),
      failures: [...failures.entries()].map(([key, tests]) => {
        const [operation = '', check = '', message = ''] = key.split('\t');
        return { operation, check, message, tests: tests.size };
      }),
      warnings: warnings(),
    };
  }

  function summaryLines() {
    const report = coverage();
    const called = report.operations.filter((op) => op.requests > 0);
    const total = report.operations.reduce((sum, op) => sum + op.requests, 0);
    const lines = [
      `operations: ${called.length} of ${report.operations.length} called, ${plural(total, 'request')}`,
    ];
    const uncalled = report.operations.filter((op) => op.requests === 0).map((op) => op.id);
    if (uncalled.length > 0) lines.push(`  not called: ${uncalled.join(', ')}`);
    const unseen = called
      .filter((op) => op.notSeen.length > 0)
      .map((op) => `${op.id} ${op.notSeen.join(' ')}`);
    if (unseen.length > 0) lines.push(`  declared statuses not seen: ${unseen.join('; ')}`);
    const ran = report.checks.map(
      (check, index) =>
        `${check.name} ${check.run}${check.failed > 0 ? ` (${check.failed} failed)` : ''}${
          index < report.checks.length - 1 ? ',' : ''
        }`,
    );
    if (ran.length > 0) lines.push(...wrapped(['checks run:', ...ran], '\n  ').split('\n'));
    const skipped = CHECK_NAMES.filter((name) => !checks.has(name));
    if (skipped.length > 0) {
      lines.push(`  not run (SPECMINT_CHECKS / SPECMINT_EXCLUDE_CHECKS): ${skipped.join(', ')}`);
    }
    if (report.failures.length > 0) {
      lines.push('failures by operation and check:');
      for (const failure of report.failures) {
        lines.push(
          `  ${failure.operation} · ${failure.check}: ${failure.message} — ${plural(failure.tests, 'test')}`,
        );
      }
    }
    if (report.warnings.length > 0) lines.push('warnings:', ...report.warnings.map((w) => `  ${w}`));
    return lines;
  }

  return { add, notSeen, warnings, coverage, summaryLines };
}

// --- the run (the suite's global setup and teardown call these) ---------------------------------------------

/**
 * Starts a run of the suite in `root`: checks SPECMINT_CHECKS and SPECMINT_EXCLUDE_CHECKS (an unknown name
 * stops the run, listing the known ones), makes the folder the test workers record their steps in (its path
 * reaches them in SPECMINT_RUN_DIR), and calls the beforeRun hook.
 */
async function startRun(root, format) {
  selectedChecks(process.env);
  const dir = mkdtempSync(join(tmpdir(), 'specmint-run-'));
  process.env[RUN_DIR] = dir;
  process.env.SPECMINT_ROOT = root;
  process.env.SPECMINT_FORMAT = format;
  await callHook('beforeRun', []);
}

/**
 * Ends the run: calls the afterRun hook, prints the summary (coverage, failures by operation and check,
 * warnings) and, when reports are on, writes reports/coverage.json beside the format's reports/junit.xml.
 */
async function finishRun() {
  const dir = process.env[RUN_DIR];
  const root = process.env.SPECMINT_ROOT ?? process.cwd();
  const record = createRecord(process.env.SPECMINT_FORMAT ?? 'vitest', selectedChecks(process.env));
  if (dir) {
    for (const name of readdirSync(dir).sort()) {
      for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
        if (line.trim() !== '') record.add(JSON.parse(line));
      }
    }
    rmSync(dir, { recursive: true, force: true });
    delete process.env[RUN_DIR];
  }
  let hookError;
  try {
    await callHook('afterRun', []);
  } catch (error) {
    hookError = error;
  }
  const lines = ['', '==================== SpecMint summary ====================', ...record.summaryLines()];
  if (reportsEnabled(process.env)) {
    const folder = join(root, 'reports');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, 'coverage.json');
    writeFileSync(file, `${JSON.stringify(record.coverage(), null, 2)}\n`);
    lines.push(
      `reports: ${relative(process.cwd(), join(folder, 'junit.xml'))}, ${relative(process.cwd(), file)}`,
    );
  }
  console.log(lines.join('\n'));
  if (hookError !== undefined) throw hookError;
}

/**
 * Starts a test case against BASE_URL. Each 'step' sends one request and runs its checks; a step that fails
 * throws with every check that failed, the request, the response and a curl line.
 */
function apiCase(caseId, options = {}) {
  return createCase(caseId, options, () => requireBase(process.env.BASE_URL), sendWithFetch);
}

async function sendWithFetch(request) {
  const headers = { ...request.headers };
  const init = { method: request.method, headers, redirect: 'manual' };
  const body = request.body;
  if (body && body.kind === 'multipart') {
    const form = new FormData();
    for (const [name, value] of body.fields) form.append(name, value);
    init.body = form;
  } else if (body) {
    init.body = body.text;
  }
  const response = await fetch(request.url, init);
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    headers: Object.fromEntries(response.headers),
    text,
  };
}

module.exports = {
  INVALID_TOKEN,
  INVALID_KEY,
  INVALID_USERNAME,
  INVALID_PASSWORD,
  v,
  requireBase,
  HookError,
  callHook,
  CheckFailure,
  enabledChecks,
  createCase,
  renamedStep,
  buildRequest,
  encodeBody,
  applyAuth,
  CHECK_NAMES,
  CHECKS_OFF_BY_DEFAULT,
  BODY_LIMIT,
  cut,
  jsonText,
  mediaTypeOf,
  statusMatches,
  expectedText,
  mediaMatches,
  isJson,
  pointerGet,
  deepEqual,
  substitute,
  scalarText,
  normalise,
  holds,
  sameValue,
  differences,
  coerceHeader,
  ChecksError,
  selectedChecks,
  reportsEnabled,
  renamedText,
  runSalt,
  renameValue,
  patternRegExp,
  declaredResponse,
  NO_JSON,
  evaluate,
  redact,
  shownHeader,
  wrapped,
  curlCommand,
  failureText,
  recordStep,
  createRecord,
  startRun,
  finishRun,
  apiCase,
};
