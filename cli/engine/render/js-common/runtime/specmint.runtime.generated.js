/**
 * The runtime every JS-family suite ships as `specmint.runtime.ts` (vitest, playwright) or `specmint.runtime.js`
 * (jest): builds requests, sends them through the suite's transport, and checks responses against the contract
 * in `schemas.ts`. `apiCase`, which starts a test case with the suite's HTTP client (global fetch, or
 * Playwright's request fixture), comes last: in SpecMint's sources it lives in fetch.ts and playwright.ts.
 */

'use strict';

const { setFlagsFromString } = require('node:v8');
const { Ajv2020 } = require('ajv/dist/2020.js');
const addFormats = require('ajv-formats');
const { components, operations, securitySchemes } = require('./schemas.js');

/**
 * A value captured by an earlier step of the same case.
 * @typedef {object} VarRef
 * @property {string} $var
 */

/**
 * A request value: literal text or a captured variable.
 * @typedef {string | VarRef} Value
 */

/**
 * A request body as planned; 'value' may hold VarRefs.
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
 * @property {boolean} [validateBody] Check the body against the declared schema. (default true)
 * @property {Array<[string, unknown]>} [bodyEquals] JSON pointer → value the JSON body must hold (may be a captured variable).
 * @property {Record<string, string>} [capture] Variables to capture from the JSON body: name → JSON pointer.
 */

/**
 * A declared response: status ('200', '2XX', 'default') and its media types.
 * @typedef {object} ResponseSpec
 * @property {string} status
 * @property {Array<{ mediaType: string; schema?: import('ajv/dist/2020.js').AnySchema }>} contents
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
 * A body as sent: its text, or its fields for multipart.
 * @typedef {object} OutgoingBody
 * @property {'json' | 'form' | 'multipart' | 'text'} kind
 * @property {string} contentType
 * @property {string} text
 * @property {Array<[string, string]>} fields
 */

/**
 * A request as sent.
 * @typedef {object} Outgoing
 * @property {string} method
 * @property {string} url
 * @property {Record<string, string>} headers
 * @property {OutgoingBody} [body]
 */

/**
 * A response as received.
 * @typedef {object} Incoming
 * @property {number} status
 * @property {string} contentType
 * @property {string} text
 */

/**
 * Sends a request and reads the whole response: the suite's transport.
 * @typedef {(request: Outgoing) => Promise<Incoming>} Exchange
 */

/**
 * Values captured by the steps of one case, by name.
 * @typedef {Map<string, unknown>} Vars
 */

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

const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false, code: { regExp: patternRegExp } });
addFormats(ajv);
ajv.addSchema(components);
const validators = new Map();

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

/**
 * A test case whose steps go through `send` (the suite's transport) to `base()`. A failed step throws an
 * error naming the case, the step, what was expected and what came back.
 */
function createCase(caseId, base, send) {
  const vars = new Map();
  let index = 0;
  return {
    async step(spec) {
      index += 1;
      const label = `[${caseId}] step ${index} (${spec.method} ${describePath(spec.path)})`;
      let request;
      try {
        request = buildRequest(base(), spec, vars);
      } catch (error) {
        throw new Error(`${label}: ${errorMessage(error)}`);
      }
      let response;
      try {
        response = await send(request);
      } catch (error) {
        throw new Error(`${label}: request to ${request.url} failed: ${errorMessage(error)}`);
      }
      checkResponse(label, spec, response, vars);
    },
  };
}

function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}

function describePath(parts) {
  return parts.map((part) => (typeof part === 'string' ? part : `{${part.$var}}`)).join('');
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

function valueText(value, vars) {
  if (typeof value === 'string') return value;
  const captured = lookup(vars, value.$var);
  return typeof captured === 'string' ? captured : JSON.stringify(captured);
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

function fieldText(value) {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The request a step sends: URL with encoded path variables and query, headers, cookies, credentials, body. */
function buildRequest(base, spec, vars) {
  const path = spec.path
    .map((part) => (typeof part === 'string' ? part : encodeURIComponent(valueText(part, vars))))
    .join('');
  const query = (spec.query ?? []).map(([name, value]) => [name, valueText(value, vars)]);
  const headers = { ...spec.headers };
  const cookies = { ...spec.cookies };
  applyAuth(spec.auth, { headers, query, cookies });
  const cookieList = Object.entries(cookies).map(([name, value]) => `${name}=${value}`);
  if (cookieList.length > 0) headers.Cookie = cookieList.join('; ');
  const search = query.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  const url = base + path + (search.length > 0 ? `?${search.join('&')}` : '');
  const request = { method: spec.method, url, headers };
  if (spec.body) request.body = encodeBody(spec.body, vars);
  return request;
}

/** A planned body as sent: JSON text, form or multipart fields (and their urlencoded text), or plain text. */
function encodeBody(body, vars) {
  const value = substitute(body.value, vars);
  const out = { kind: body.kind, contentType: body.mediaType, text: '', fields: [] };
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

function credential(name, valid, invalid) {
  if (!valid) return invalid;
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (see README.md: the credentials this test sends)`);
  return value;
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
 * vars named in `securitySchemes`, or deliberately invalid ones for `mode: 'invalid'`.
 */
function applyAuth(auth, target) {
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
function mediaTypeOf(contentType) {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/** Whether a status matches an expected one: exact ('201') or a class ('4XX'). */
function statusMatches(pattern, status) {
  const upper = pattern.toUpperCase();
  if (/^[1-5]XX$/.test(upper)) return String(status).charAt(0) === upper.charAt(0);
  return upper === String(status);
}

/** The response an operation declares for a status: exact, else its class ('2XX'), else 'default'. */
function declaredResponse(operation, status) {
  const exact = operation.responses.find((r) => r.status === String(status));
  const range = operation.responses.find(
    (r) => /^[1-5]XX$/i.test(r.status) && statusMatches(r.status, status),
  );
  return exact ?? range ?? operation.responses.find((r) => r.status === 'default');
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

function validatorFor(schema) {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
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

function snippet(body) {
  if (body === '') return '(empty)';
  return body.length > 500 ? `${body.slice(0, 500)}…` : body;
}

/**
 * Checks a response against the step and the contract: no server error, a declared and expected status, a
 * declared content type, a body matching the declared schema, the expected values; then stores captures in
 * `vars`. Throws an error starting with `label` and ending with what came back.
 */
function checkResponse(label, spec, response, vars) {
  const status = response.status;
  const type = mediaTypeOf(response.contentType);
  const seen = `\n  got: HTTP ${status} ${type || '(no content type)'}\n  body: ${snippet(response.text)}`;
  const failure = (message) => new Error(`${label}: ${message}${seen}`);
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
  let json;
  const body = () => {
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

/**
 * Starts a test case against BASE_URL. Each 'step' sends one request and checks its response; a failed
 * check throws an error naming the case, the step, what was expected and what came back.
 */
function apiCase(caseId) {
  return createCase(caseId, () => requireBase(process.env.BASE_URL), sendWithFetch);
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
    headers['Content-Type'] = body.contentType;
    init.body = body.text;
  }
  const response = await fetch(request.url, init);
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text };
}

module.exports = {
  patternRegExp,
  v,
  requireBase,
  createCase,
  substitute,
  buildRequest,
  encodeBody,
  applyAuth,
  mediaTypeOf,
  statusMatches,
  declaredResponse,
  mediaMatches,
  isJson,
  pointerGet,
  deepEqual,
  checkResponse,
  apiCase,
};
