// SpecMint's k6 runtime: builds each case's requests, runs the named checks of docs/checks.md on every response
// (and records them as k6 checks), prints a failure's text once, and turns k6's end-of-test data into the summary,
// reports/junit.xml and reports/coverage.json (handleSummary). load-test.js holds what is specific to the API.
import { check, group } from 'k6';
import encoding from 'k6/encoding';
import http from 'k6/http';
import { Rate } from 'k6/metrics';

/**
 * What load-test.js tells the runtime about the API.
 * @typedef {object} Tables
 * @property {{ title: string, version: string }} api
 * @property {Record<string, SecurityScheme>} security Security schemes by key.
 * @property {Record<string, any>} schemas Named schemas (`#/components/schemas/X` resolves here).
 * @property {Record<string, Operation>} operations Operations by id.
 */

/**
 * @typedef {object} Operation
 * @property {string} method
 * @property {string} path
 * @property {string[]} credentials The env vars its valid requests' credentials come from.
 * @property {DeclaredResponse[]} responses
 */

/**
 * @typedef {object} DeclaredResponse
 * @property {string} status
 * @property {Array<{ mediaType: string, schema?: any }>} contents
 * @property {Array<{ name: string, required: boolean, schema?: any }>} [headers]
 */

/**
 * @typedef {{ type: string, scheme?: string, in?: string, name: string, env: Record<string, string> }} SecurityScheme
 */

/**
 * A case to run: its id and title and its steps; or a table of cases (`rows`), each sending its own request in
 * the last step.
 * @typedef {object} CaseGroup
 * @property {string} id
 * @property {string} title
 * @property {Step[]} steps
 * @property {Array<{ id: string, title: string, request: RowRequest }>} [rows]
 * @property {string} [ai] Set when an AI model proposed the case (and SpecMint validated it).
 */

/**
 * @typedef {{ path: Array<string | VarRef>, query: Array<[string, string | VarRef]>, headers: Record<string, string>,
 *   cookies: Record<string, string>, body?: Body }} RowRequest
 */

/**
 * One request of a case and its checks (check name → parameters, `true` when none).
 * @typedef {RowRequest & { operation: string, method: string,
 *   auth: { mode: 'valid' | 'invalid' | 'none', schemes: string[] }, checks: Record<string, any>,
 *   capture?: Record<string, string>, snapshot?: string, note?: string }} Step
 */

/** @typedef {{ $var: string }} VarRef */

/**
 * @typedef {{ kind: 'json' | 'text' | 'form' | 'multipart', mediaType: string, value: any }} Body
 */

/**
 * A request as sent, for the checks and a failure's text.
 * @typedef {{ method: string, url: string, headers: Record<string, string>, body: string | null }} SentRequest
 */

/**
 * The hooks the user keeps in hooks.js (each optional).
 * @typedef {object} Hooks
 * @property {() => unknown} [beforeRun] k6 `setup`: its return value reaches every call as `data`.
 * @property {(request: SentRequest) => void} [beforeRequest] May change the request's method, URL, headers, body.
 * @property {(request: SentRequest, response: import('k6/http').RefinedResponse<any>) => void} [afterResponse]
 * @property {(data: unknown) => void} [afterRun] k6 `teardown`.
 */

/** Settings read from the environment (k6 run -e NAME=value, or the process environment). */
export const settings = {
  vus: Number(__ENV.VUS || 5),
  duration: __ENV.DURATION || '30s',
  maxErrorRate: Number(__ENV.MAX_ERROR_RATE || 0.01),
  p95Ms: Number(__ENV.P95_MS || 500),
  minCheckRate: Number(__ENV.MIN_CHECK_RATE || 0.99),
};

/** Every check's name (the plan's CHECK_NAMES; k6-runtime.test.ts keeps them equal). */
export const CHECK_NAMES = [
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

/** Checks that run only when SPECMINT_CHECKS names them (the plan's CHECKS_OFF_BY_DEFAULT). */
export const CHECKS_OFF_BY_DEFAULT = ['negative_format_rejection'];

const INVALID_CREDENTIAL = 'invalid-specmint-credential';
const MULTIPART_BOUNDARY = 'specmint-k6-boundary-7MA4YWxkTrZu0gW';
const BODY_LIMIT = 2000;
const NO_CONTENT_STATUSES = [204, 205, 304];
/** The check names of the markers that carry coverage to handleSummary (k6 keeps nothing else per run). */
const MARKERS = 'specmint markers';
const STATUS_CHECKS = [
  'positive_data_acceptance',
  'negative_data_rejection',
  'negative_format_rejection',
  'auth_enforced',
  'use_after_delete',
  'unsupported_method',
];

/** Passed and failed SpecMint checks (k6's own `checks` also counts the coverage markers). */
const specmintChecks = new Rate('specmint_checks');

/** @param {unknown} value */
function jsonText(value) {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

/** @param {string} text */
function cut(text) {
  return text.length > BODY_LIMIT
    ? text.slice(0, BODY_LIMIT) + '… (' + (text.length - BODY_LIMIT) + ' more characters)'
    : text;
}

/** @param {string | undefined} value */
function mediaTypeOf(value) {
  return String(value || '')
    .split(';')[0]
    .trim()
    .toLowerCase();
}

/**
 * @param {string} declared
 * @param {string} actual
 */
function mediaMatches(declared, actual) {
  const d = mediaTypeOf(declared);
  if (d === '*/*' || d === actual) return true;
  const [dType, dSub] = d.split('/');
  const [aType, aSub] = actual.split('/');
  if (dType !== aType || aSub === undefined) return false;
  if (dSub === '*') return true;
  return dSub.indexOf('*+') === 0 && aSub.slice(-(dSub.length - 1)) === dSub.slice(1);
}

/** @param {string} mediaType */
function isJson(mediaType) {
  return mediaType === 'application/json' || /\+json$/.test(mediaType);
}

/**
 * @param {string} pattern Exact ('201') or a class ('4XX').
 * @param {number} status
 */
function statusMatches(pattern, status) {
  return /^[1-5]XX$/i.test(pattern) ? String(status)[0] === pattern[0] : pattern === String(status);
}

/** @param {string[]} patterns */
function describeStatuses(patterns) {
  return patterns.map((p) => (/^[1-5]XX$/i.test(p) ? 'a ' + p[0] + 'xx status' : p)).join(' or ');
}

/**
 * @param {DeclaredResponse[]} responses
 * @param {number} status
 */
function declaredFor(responses, status) {
  for (const candidate of [String(status), String(status)[0] + 'XX', 'DEFAULT']) {
    const found = responses.filter((response) => response.status.toUpperCase() === candidate)[0];
    if (found) return found;
  }
  return undefined;
}

/**
 * @param {unknown} document
 * @param {string} pointer
 * @returns {{ found: boolean, value?: unknown }}
 */
function readPointer(document, pointer) {
  if (pointer === '') return { found: true, value: document };
  let current = document;
  for (const part of pointer.slice(1).split('/')) {
    const token = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object') return { found: false };
    if (!Object.prototype.hasOwnProperty.call(current, token)) return { found: false };
    current = /** @type {Record<string, unknown>} */ (current)[token];
  }
  return { found: true, value: current };
}

/**
 * The value with every VarRef replaced by what an earlier step captured.
 * @param {any} value
 * @param {Record<string, unknown>} vars
 * @returns {any}
 */
function resolve(value, vars) {
  if (Array.isArray(value)) return value.map((item) => resolve(item, vars));
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && typeof value.$var === 'string') {
      if (!(value.$var in vars)) throw new Error(value.$var + ' was not captured by an earlier step');
      return vars[value.$var];
    }
    /** @type {Record<string, unknown>} */
    const out = {};
    for (const key of keys) out[key] = resolve(value[key], vars);
    return out;
  }
  return value;
}

/** @param {unknown} value */
function asText(value) {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The checks this run evaluates (SPECMINT_CHECKS / SPECMINT_EXCLUDE_CHECKS, comma lists, `all`). An unknown
 * name stops the run with the known ones listed.
 * @param {string[]} known
 * @param {string[]} offByDefault
 * @returns {(name: string) => boolean}
 */
export function checkSelection(known, offByDefault) {
  /** @param {string} variable */
  const names = (variable) =>
    String(__ENV[variable] || '')
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '');
  const only = names('SPECMINT_CHECKS');
  const except = names('SPECMINT_EXCLUDE_CHECKS');
  for (const entry of [
    { variable: 'SPECMINT_CHECKS', list: only },
    { variable: 'SPECMINT_EXCLUDE_CHECKS', list: except },
  ]) {
    const unknown = entry.list.filter((name) => name !== 'all' && known.indexOf(name) < 0);
    if (unknown.length > 0) {
      throw new Error(
        entry.variable +
          ' names unknown checks: ' +
          unknown.join(', ') +
          '. Known checks: ' +
          known.join(', '),
      );
    }
  }
  return (name) => {
    if (except.indexOf(name) >= 0 || except.indexOf('all') >= 0) return false;
    if (only.length > 0) return only.indexOf(name) >= 0 || only.indexOf('all') >= 0;
    return offByDefault.indexOf(name) < 0;
  };
}

/**
 * A value the way read_after_write compares it: with a `format`, both sides are normalised first.
 * @param {unknown} value
 * @param {string | undefined} format
 * @returns {unknown}
 */
function normalised(value, format) {
  if (typeof value !== 'string' || !format) return value;
  if (format === 'date-time') {
    const time = Date.parse(value);
    return Number.isNaN(time) ? value : 'instant:' + time;
  }
  if (format === 'date') return value.slice(0, 10);
  if (format === 'email' || format === 'idn-email') {
    const at = value.lastIndexOf('@');
    return at < 0 ? value : value.slice(0, at) + '@' + value.slice(at + 1).toLowerCase();
  }
  if (format === 'uri' || format === 'url' || format === 'iri') {
    const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/i.exec(value);
    return match ? match[1].toLowerCase() + match[2].toLowerCase() + (match[3] || '/') : value;
  }
  if (format === 'uuid' || format === 'hostname' || format === 'idn-hostname') return value.toLowerCase();
  return value;
}

/**
 * Whether `actual` holds what `expected` holds: objects by the expected properties, arrays with the same items
 * in any order, the rest exactly (after `format` normalisation).
 * @param {unknown} expected
 * @param {unknown} actual
 * @param {string} [format]
 * @returns {boolean}
 */
export function holds(expected, actual, format) {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return false;
    const left = actual.slice();
    return expected.every((item) => {
      const at = left.findIndex((candidate) => holds(item, candidate, format));
      if (at < 0) return false;
      left.splice(at, 1);
      return true;
    });
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const object = /** @type {Record<string, unknown>} */ (expected);
    const other = /** @type {Record<string, unknown>} */ (actual);
    return Object.keys(object).every(
      (key) => Object.prototype.hasOwnProperty.call(other, key) && holds(object[key], other[key], format),
    );
  }
  return normalised(expected, format) === normalised(actual, format);
}

/**
 * The first JSON pointer where two documents differ (ignoring `ignore` and what lies under it), or undefined.
 * @param {unknown} a
 * @param {unknown} b
 * @param {string[]} ignore
 * @param {string} [at]
 * @returns {string | undefined}
 */
export function firstDifference(a, b, ignore, at) {
  const here = at || '';
  if (ignore.indexOf(here) >= 0) return undefined;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object')
    return a === b ? undefined : here;
  if (Array.isArray(a) !== Array.isArray(b)) return here;
  const left = /** @type {Record<string, unknown>} */ (a);
  const right = /** @type {Record<string, unknown>} */ (b);
  const keys = Object.keys(left).concat(Object.keys(right).filter((key) => !(key in left)));
  for (const key of keys) {
    const pointer = here + '/' + key.replace(/~/g, '~0').replace(/\//g, '~1');
    if (ignore.indexOf(pointer) >= 0) continue;
    if (!(key in left) || !(key in right)) return pointer;
    const found = firstDifference(left[key], right[key], ignore, pointer);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Filters compare strings exactly and numbers and booleans by value ('3' holds 3).
 * @param {unknown} expected
 * @param {unknown} actual
 */
function sameFilterValue(expected, actual) {
  return typeof expected === typeof actual ? expected === actual : String(expected) === String(actual);
}

// ---------------------------------------------------------------------------------------------------------------
// JSON Schema (2020-12, the plan's dialect): the keywords a response body's shape depends on. k6 runs no npm
// package, so this is a small validator of its own; keywords it does not know are ignored (lenient, never a false
// alarm).

const FORMATS = /** @type {Record<string, RegExp>} */ ({
  date: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  'date-time':
    /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):?[0-5]\d)$/,
  email: /^[^\s@]+@[^\s@]+$/,
  uuid: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
  uri: /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*$/,
  ipv4: /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/,
});

/** @type {Record<string, RegExp | null>} */
const patternCache = {};

/** @param {string} source */
function compiledPattern(source) {
  if (!(source in patternCache)) {
    try {
      patternCache[source] = new RegExp(source, 'u');
    } catch (error) {
      try {
        patternCache[source] = new RegExp(source);
      } catch (again) {
        patternCache[source] = null;
      }
    }
  }
  return patternCache[source];
}

/** @param {unknown} value */
function jsonType(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * @param {string} type
 * @param {unknown} value
 */
function hasType(type, value) {
  if (type === 'integer')
    return typeof value === 'number' && Math.floor(value) === value && Number.isFinite(value);
  if (type === 'number') return typeof value === 'number' && Number.isFinite(value);
  return jsonType(value) === type;
}

/**
 * @param {unknown} a
 * @param {unknown} b
 */
function sameJson(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The problems of `value` against `schema`, as '<where> must …'.
 * @param {any} schema
 * @param {unknown} value
 * @param {string} where
 * @param {Record<string, any>} schemas
 * @param {number} [depth]
 * @returns {string[]}
 */
export function schemaProblems(schema, value, where, schemas, depth) {
  const level = depth || 0;
  if (schema === true || schema === undefined || schema === null || level > 64) return [];
  if (schema === false) return [where + ' must not be present'];
  /** @type {string[]} */
  const out = [];
  if (typeof schema.$ref === 'string') {
    const prefix = '#/components/schemas/';
    if (schema.$ref.indexOf(prefix) === 0) {
      const target = schemas[decodeURIComponent(schema.$ref.slice(prefix.length))];
      out.push.apply(out, schemaProblems(target, value, where, schemas, level + 1));
    }
  }
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length > 0 && !types.some((/** @type {string} */ type) => hasType(type, value))) {
    return out.concat([where + ' must be ' + types.join(' or ') + ' (is ' + jsonType(value) + ')']);
  }
  if (schema.enum && !schema.enum.some((/** @type {unknown} */ item) => sameJson(item, value)))
    out.push(where + ' must be one of ' + JSON.stringify(schema.enum));
  if ('const' in schema && !sameJson(schema.const, value))
    out.push(where + ' must be ' + JSON.stringify(schema.const));
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum)
      out.push(where + ' must be >= ' + schema.minimum);
    if (typeof schema.maximum === 'number' && value > schema.maximum)
      out.push(where + ' must be <= ' + schema.maximum);
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum)
      out.push(where + ' must be > ' + schema.exclusiveMinimum);
    if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum)
      out.push(where + ' must be < ' + schema.exclusiveMaximum);
    if (typeof schema.multipleOf === 'number' && schema.multipleOf > 0) {
      const ratio = value / schema.multipleOf;
      if (Math.abs(ratio - Math.round(ratio)) > 1e-9)
        out.push(where + ' must be a multiple of ' + schema.multipleOf);
    }
  }
  if (typeof value === 'string') {
    const length = Array.from(value).length;
    if (typeof schema.minLength === 'number' && length < schema.minLength)
      out.push(where + ' must have at least ' + schema.minLength + ' characters');
    if (typeof schema.maxLength === 'number' && length > schema.maxLength)
      out.push(where + ' must have at most ' + schema.maxLength + ' characters');
    const pattern = typeof schema.pattern === 'string' ? compiledPattern(schema.pattern) : null;
    if (pattern && !pattern.test(value)) out.push(where + ' must match ' + schema.pattern);
    const format = FORMATS[schema.format];
    if (format && !format.test(value)) out.push(where + ' must be a valid ' + schema.format);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      out.push(where + ' must have at least ' + schema.minItems + ' items');
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems)
      out.push(where + ' must have at most ' + schema.maxItems + ' items');
    const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
    value.forEach((item, index) => {
      const itemSchema = index < prefix.length ? prefix[index] : schema.items;
      out.push.apply(out, schemaProblems(itemSchema, item, where + '/' + index, schemas, level + 1));
    });
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const object = /** @type {Record<string, unknown>} */ (value);
    for (const name of schema.required || []) {
      if (!Object.prototype.hasOwnProperty.call(object, name))
        out.push(where + ' must have required property ' + name);
    }
    const properties = schema.properties || {};
    for (const name of Object.keys(object)) {
      const path = where + '/' + name.replace(/~/g, '~0').replace(/\//g, '~1');
      if (Object.prototype.hasOwnProperty.call(properties, name)) {
        out.push.apply(out, schemaProblems(properties[name], object[name], path, schemas, level + 1));
      } else if (schema.additionalProperties === false) {
        out.push(where + ' must not have additional property ' + name);
      } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        out.push.apply(
          out,
          schemaProblems(schema.additionalProperties, object[name], path, schemas, level + 1),
        );
      }
    }
  }
  for (const member of schema.allOf || [])
    out.push.apply(out, schemaProblems(member, value, where, schemas, level + 1));
  if (
    Array.isArray(schema.anyOf) &&
    !schema.anyOf.some(
      (/** @type {any} */ member) => schemaProblems(member, value, where, schemas, level + 1).length === 0,
    )
  )
    out.push(where + ' must match one of anyOf');
  if (Array.isArray(schema.oneOf)) {
    const matching = schema.oneOf.filter(
      (/** @type {any} */ member) => schemaProblems(member, value, where, schemas, level + 1).length === 0,
    ).length;
    if (matching !== 1) out.push(where + ' must match exactly one of oneOf (matches ' + matching + ')');
  }
  if (schema.not !== undefined && schemaProblems(schema.not, value, where, schemas, level + 1).length === 0)
    out.push(where + ' must not match the schema in not');
  return out;
}

/**
 * @param {string[]} problems
 * @param {number} max
 */
function someOf(problems, max) {
  return (
    problems.slice(0, max).join('; ') +
    (problems.length > max ? ' (and ' + (problems.length - max) + ' more)' : '')
  );
}

/**
 * A header value coerced to the type its schema declares ('3' → 3, 'true' → true, 'a,b' → ['a', 'b']).
 * @param {string} value
 * @param {any} schema
 * @returns {unknown}
 */
function coerceHeader(value, schema) {
  const type = schema && (Array.isArray(schema.type) ? schema.type[0] : schema.type);
  if ((type === 'integer' || type === 'number') && value.trim() !== '' && !Number.isNaN(Number(value)))
    return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  if (type === 'array') return value.split(',').map((item) => coerceHeader(item.trim(), schema.items));
  return value;
}

/**
 * @param {Record<string, string>} headers
 * @param {string} name
 */
function headerValue(headers, name) {
  const lower = name.toLowerCase();
  for (const key of Object.keys(headers)) if (key.toLowerCase() === lower) return headers[key];
  return undefined;
}

/**
 * The suite: runs cases and turns k6's end-of-test data into the summary and reports.
 * @param {Tables} tables
 * @param {Hooks} hooks
 */
export function createSuite(tables, hooks) {
  const baseUrl = String(__ENV.BASE_URL || '').replace(/\/+$/, '');
  if (!baseUrl)
    throw new Error('BASE_URL is not set: k6 run -e BASE_URL=https://api.example.com load-test.js');
  const selected = checkSelection(CHECK_NAMES, CHECKS_OFF_BY_DEFAULT);
  /** @type {Record<string, boolean>} failure texts printed by this VU, by case and check */
  const printed = {};
  /** @type {Record<string, boolean>} */
  const warned = {};
  /** @type {string[]} warnings not yet recorded as markers */
  const pendingWarnings = [];

  /**
   * A credential from the environment; when it is not set the request goes without it (the summary then says
   * which variable to set, as most requests answer 401 or 403).
   * @param {string} name
   */
  function credential(name) {
    const value = __ENV[name];
    if (!value) {
      if (!warned['unset ' + name]) {
        warned['unset ' + name] = true;
        console.warn(
          'SpecMint: ' + name + ' is not set (pass -e ' + name + '=...): requests are sent without it',
        );
      }
      return undefined;
    }
    return value;
  }

  /**
   * @param {Step} step
   * @param {Record<string, string>} headers
   * @param {Array<[string, string]>} query
   * @param {string[]} cookies
   */
  function applyAuth(step, headers, query, cookies) {
    if (step.auth.mode === 'none') return;
    const invalid = step.auth.mode === 'invalid';
    for (const key of step.auth.schemes) {
      const scheme = tables.security[key];
      const kind = String(scheme.scheme || '').toLowerCase();
      if (scheme.type === 'http' && kind === 'basic') {
        const user = invalid ? 'invalid-specmint-user' : credential(scheme.env.username);
        const password = invalid ? 'invalid-specmint-password' : credential(scheme.env.password);
        if (user !== undefined && password !== undefined)
          headers.Authorization = 'Basic ' + encoding.b64encode(user + ':' + password);
        continue;
      }
      const value = invalid ? INVALID_CREDENTIAL : credential(scheme.env.token);
      if (value === undefined) continue;
      if (scheme.type === 'apiKey') {
        if (scheme.in === 'query') query.push([scheme.name, value]);
        else if (scheme.in === 'cookie') cookies.push(scheme.name + '=' + value);
        else headers[scheme.name] = value;
      } else if (scheme.type === 'http' && kind !== '' && kind !== 'bearer') {
        headers.Authorization = kind.charAt(0).toUpperCase() + kind.slice(1) + ' ' + value;
      } else {
        headers.Authorization = 'Bearer ' + value;
      }
    }
  }

  /**
   * @param {Step} step
   * @param {Record<string, string>} headers
   * @param {Record<string, unknown>} vars
   * @returns {string | null}
   */
  function encodeBody(step, headers, vars) {
    const body = step.body;
    // HTTP clients refuse a body on GET and HEAD (the plan's note says why a spec's body is left out).
    if (!body || step.method === 'GET' || step.method === 'HEAD') return null;
    if (body.kind === 'json') {
      headers['Content-Type'] = body.mediaType;
      return JSON.stringify(resolve(body.value, vars));
    }
    if (body.kind === 'text') {
      headers['Content-Type'] = body.mediaType;
      return String(body.value);
    }
    /** @type {Record<string, string>} */
    const fields = {};
    for (const name of Object.keys(body.value || {})) fields[name] = asText(resolve(body.value[name], vars));
    if (body.kind === 'form') {
      headers['Content-Type'] = body.mediaType;
      return Object.keys(fields)
        .map((name) => encodeURIComponent(name) + '=' + encodeURIComponent(fields[name]))
        .join('&');
    }
    // Built by hand: k6 only sends an object body as multipart when a field is a file.
    headers['Content-Type'] = 'multipart/form-data; boundary=' + MULTIPART_BOUNDARY;
    const parts = Object.keys(fields).map(
      (name) =>
        '--' +
        MULTIPART_BOUNDARY +
        '\r\nContent-Disposition: form-data; name="' +
        name.replace(/"/g, '%22') +
        '"\r\n\r\n' +
        fields[name] +
        '\r\n',
    );
    return parts.join('') + '--' + MULTIPART_BOUNDARY + '--\r\n';
  }

  /**
   * The request of a step, credentials included.
   * @param {Step} step
   * @param {Record<string, unknown>} vars
   * @returns {SentRequest}
   */
  function buildRequest(step, vars) {
    const headers = Object.assign({}, step.headers);
    /** @type {Array<[string, string]>} */
    const query = step.query.map((pair) => [pair[0], asText(resolve(pair[1], vars))]);
    const cookies = Object.keys(step.cookies).map((name) => name + '=' + step.cookies[name]);
    applyAuth(step, headers, query, cookies);
    if (cookies.length > 0) headers.Cookie = cookies.join('; ');
    const path = step.path
      .map((part) => (typeof part === 'string' ? part : encodeURIComponent(asText(resolve(part, vars)))))
      .join('');
    const search = query
      .map((pair) => encodeURIComponent(pair[0]) + '=' + encodeURIComponent(pair[1]))
      .join('&');
    const body = encodeBody(step, headers, vars);
    return { method: step.method, url: baseUrl + path + (search ? '?' + search : ''), headers, body };
  }

  /**
   * Method, URL, headers and body as the failure shows them (valid credentials as ***), and a curl command
   * with each credential as the environment variable that holds it.
   * @param {Step} step
   * @param {SentRequest} request
   */
  function describeRequest(step, request) {
    /** @type {Record<string, string>} */
    const headerVars = {};
    /** @type {Record<string, string>} */
    const queryVars = {};
    /** @type {Record<string, string>} */
    const cookieVars = {};
    /** @type {{ username: string, password: string } | undefined} */
    let basic;
    for (const key of step.auth.mode === 'valid' ? step.auth.schemes : []) {
      const scheme = tables.security[key];
      if (scheme.type === 'http' && String(scheme.scheme || '').toLowerCase() === 'basic')
        basic = { username: scheme.env.username, password: scheme.env.password };
      else if (scheme.type === 'apiKey' && scheme.in === 'query') queryVars[scheme.name] = scheme.env.token;
      else if (scheme.type === 'apiKey' && scheme.in === 'cookie') cookieVars[scheme.name] = scheme.env.token;
      else if (scheme.type === 'apiKey') headerVars[scheme.name.toLowerCase()] = scheme.env.token;
      else headerVars.authorization = scheme.env.token;
    }
    /** @param {string} text */
    const single = (text) => "'" + text.replace(/'/g, "'\\''") + "'";
    /** @param {Array<string | { env: string }>} parts */
    const double = (parts) =>
      '"' +
      parts.map((p) => (typeof p === 'string' ? p.replace(/(["\\$`])/g, '\\$1') : '$' + p.env)).join('') +
      '"';
    /** @type {string[]} */
    const shown = [];
    /** @type {string[]} */
    const curl = [];
    for (const name of Object.keys(request.headers)) {
      const lower = name.toLowerCase();
      const value = String(request.headers[name]);
      if (lower === 'authorization' && basic) {
        shown.push(name + ': Basic ***');
      } else if (headerVars[lower]) {
        const prefix = lower === 'authorization' && value.indexOf(' ') > 0 ? value.split(' ')[0] + ' ' : '';
        shown.push(name + ': ' + prefix + '***');
        curl.push('-H ' + double([name + ': ' + prefix, { env: headerVars[lower] }]));
      } else if (lower === 'cookie' && Object.keys(cookieVars).length > 0) {
        /** @type {Array<string | { env: string }>} */
        const words = [name + ': '];
        const parts = value.split(/;\s*/).map((part, index) => {
          const cookie = part.split('=')[0];
          if (index > 0) words.push('; ');
          if (!cookieVars[cookie]) {
            words.push(part);
            return part;
          }
          words.push(cookie + '=', { env: cookieVars[cookie] });
          return cookie + '=***';
        });
        shown.push(name + ': ' + parts.join('; '));
        curl.push('-H ' + double(words));
      } else {
        shown.push(name + ': ' + value);
        curl.push('-H ' + single(name + ': ' + value));
      }
    }
    const [base, search] = request.url.split('?');
    /** @type {Array<string | { env: string }>} */
    const urlWords = [base];
    let shownUrl = base;
    (search ? search.split('&') : []).forEach((pair, index) => {
      const key = pair.split('=')[0];
      const envVar = queryVars[decodeURIComponent(key)];
      const separator = index === 0 ? '?' : '&';
      shownUrl += separator + (envVar ? key + '=***' : pair);
      if (envVar) urlWords.push(separator + key + '=', { env: envVar });
      else urlWords.push(separator + pair);
    });
    const hasVars = urlWords.some((word) => typeof word !== 'string');
    const method = request.method === 'HEAD' ? '--head' : '-X ' + request.method;
    const words = ['curl ' + method + ' ' + (hasVars ? double(urlWords) : single(shownUrl))];
    if (basic) words.push('-u ' + double([{ env: basic.username }, ':', { env: basic.password }]));
    words.push.apply(words, curl);
    const lines = ['  request:  ' + request.method + ' ' + shownUrl];
    for (const header of shown) lines.push('            ' + header);
    if (request.body) {
      lines.push('            ' + cut(request.body).split('\n').join('\n            '));
      words.push('--data-raw ' + single(request.body));
    }
    return { lines, curl: '    ' + words.join(' \\\n      ') };
  }

  /**
   * @param {string} key
   * @param {string} message
   */
  function warnOnce(key, message) {
    if (warned[key]) return;
    warned[key] = true;
    console.warn('SpecMint warning: ' + message);
    pendingWarnings.push('warning\t' + message);
  }

  /**
   * The message of each check of the step that fails on this response (in the step's order), undefined for a pass.
   * @param {Step} step
   * @param {import('k6/http').RefinedResponse<any>} res
   * @param {Record<string, unknown>} vars Values earlier steps captured or kept.
   * @returns {Array<[string, string | undefined]>}
   */
  function evaluate(step, res, vars) {
    const operation = tables.operations[step.operation];
    const status = res.status;
    const text = typeof res.body === 'string' ? res.body : '';
    const declared = status ? declaredFor(operation.responses, status) : undefined;
    const contentType = String(headerValue(res.headers, 'Content-Type') || '');
    const mediaType = mediaTypeOf(contentType);
    const hasContent =
      step.method !== 'HEAD' &&
      NO_CONTENT_STATUSES.indexOf(status) < 0 &&
      !(text === '' && (!declared || declared.contents.length === 0));
    /** @type {{ value?: unknown, error?: string }} */
    const parsed = {};
    const json = () => {
      if (!hasContent) throw new Error('the response has no content (status ' + status + ')');
      if (!('value' in parsed) && parsed.error === undefined) {
        try {
          parsed.value = JSON.parse(text);
        } catch (error) {
          parsed.error = String(error);
        }
      }
      if (parsed.error !== undefined) throw new Error('the body is not valid JSON (' + parsed.error + ')');
      return parsed.value;
    };
    /** @type {Record<string, (params: any) => string | undefined>} */
    const checks = {
      not_a_server_error: () => (status >= 500 ? 'status ' + status + ' is a server error' : undefined),
      status_code_conformance: (params) => {
        if (declared) return undefined;
        const list = operation.responses.map((response) => response.status).join(', ') || 'none';
        const lenient = params && params.lenient ? params.lenient : [];
        if (lenient.some((/** @type {string} */ p) => statusMatches(p, status))) {
          warnOnce(
            step.operation + ' ' + status,
            step.operation +
              ': status ' +
              status +
              ' is not declared (declared: ' +
              list +
              '); the spec declares ' +
              'no response for this kind of rejection, so this is only a warning',
          );
          return undefined;
        }
        return 'status ' + status + ' not declared (declared: ' + list + ')';
      },
      content_type_conformance: () => {
        if (!hasContent || !declared || declared.contents.length === 0) return undefined;
        const allowed = declared.contents.map((c) => c.mediaType).join(', ');
        if (!contentType) return 'the response has content but no Content-Type (declared: ' + allowed + ')';
        if (declared.contents.some((c) => mediaMatches(c.mediaType, mediaType))) return undefined;
        return (
          'Content-Type ' +
          contentType +
          ' not declared for ' +
          declared.status +
          ' (declared: ' +
          allowed +
          ')'
        );
      },
      response_schema_conformance: () => {
        if (!hasContent || !declared || !isJson(mediaType)) return undefined;
        const matching = declared.contents.filter((c) => mediaMatches(c.mediaType, mediaType));
        const content = matching.filter((c) => mediaTypeOf(c.mediaType) === mediaType)[0] || matching[0];
        if (!content || content.schema === undefined) return undefined;
        const problems = schemaProblems(content.schema, json(), 'body', tables.schemas);
        if (problems.length === 0) return undefined;
        return (
          'body does not match the ' +
          declared.status +
          ' response schema of ' +
          step.operation +
          ': ' +
          someOf(problems, 5)
        );
      },
      response_headers_conformance: () => {
        if (!declared || !declared.headers) return undefined;
        /** @type {string[]} */
        const problems = [];
        for (const header of declared.headers) {
          const value = headerValue(res.headers, header.name);
          if (value === undefined) {
            if (header.required) problems.push('required header ' + header.name + ' is missing');
            continue;
          }
          if (header.schema === undefined) continue;
          const found = schemaProblems(
            header.schema,
            coerceHeader(String(value), header.schema),
            header.name,
            tables.schemas,
          );
          if (found.length > 0) problems.push(someOf(found, 3) + ' (value ' + jsonText(String(value)) + ')');
        }
        return problems.length === 0 ? undefined : problems.join('; ');
      },
    };
    checks.read_after_write = (params) => {
      /** @type {string[]} */
      const problems = [];
      for (const expectation of /** @type {Array<{ pointer: string, equals: unknown, format?: string }>} */ (
        params
      )) {
        const wanted = resolve(expectation.equals, vars);
        const found = readPointer(json(), expectation.pointer);
        if (!found.found) problems.push(expectation.pointer + ' is missing (sent ' + jsonText(wanted) + ')');
        else if (!holds(wanted, found.value, expectation.format))
          problems.push(expectation.pointer + ' is ' + jsonText(found.value) + ', sent ' + jsonText(wanted));
      }
      return problems.length === 0 ? undefined : problems.join('; ');
    };
    checks.filter_consistency = (params) => {
      const found = readPointer(json(), params.pointer);
      const where = params.pointer === '' ? 'the body' : params.pointer;
      if (!found.found || !Array.isArray(found.value)) return where + ' is not a list';
      const wanted = resolve(params.equals, vars);
      const others = found.value.filter(
        (item) =>
          item !== null &&
          typeof item === 'object' &&
          Object.prototype.hasOwnProperty.call(item, params.property) &&
          !sameFilterValue(wanted, item[params.property]),
      );
      if (others.length === 0) return undefined;
      return (
        others.length +
        ' of ' +
        found.value.length +
        ' items in ' +
        where +
        ' have ' +
        params.property +
        ' ' +
        jsonText(others[0][params.property]) +
        ', not the filtered ' +
        jsonText(wanted)
      );
    };
    checks.idempotence = (params) => {
      const key = 'snapshot:' + params.snapshot;
      if (!(key in vars)) return 'no body was kept as "' + params.snapshot + '" by an earlier step';
      const before = vars[key];
      const difference = firstDifference(before, json(), params.ignore || []);
      if (difference === undefined) return undefined;
      const after = readPointer(json(), difference);
      const earlier = readPointer(before, difference);
      return (
        (difference || 'the body') +
        ' was ' +
        (earlier.found ? jsonText(earlier.value) : 'absent') +
        ' after one call and is ' +
        (after.found ? jsonText(after.value) : 'absent') +
        ' after repeating it'
      );
    };
    for (const name of STATUS_CHECKS) {
      checks[name] = (params) =>
        params.expect.some((/** @type {string} */ p) => statusMatches(p, status))
          ? undefined
          : 'expected ' + describeStatuses(params.expect) + ', got ' + status;
    }
    /** @type {Array<[string, string | undefined]>} */
    const results = [];
    for (const name of Object.keys(step.checks)) {
      if (!selected(name)) continue;
      const run = checks[name];
      let message;
      try {
        message = !status
          ? 'no response: ' + (res.error || 'the request failed')
          : run
            ? run(step.checks[name])
            : 'this k6 runtime has no check named ' + name;
      } catch (error) {
        message = /** @type {Error} */ (error).message;
      }
      results.push([name, message]);
    }
    return results;
  }

  /**
   * Sends one step, checks its response (each check recorded under its name in the case's group) and keeps its
   * captures; false when a capture failed (the case stops there).
   * @param {{ id: string, title: string }} testCase
   * @param {Step} step
   * @param {number} index
   * @param {Record<string, unknown>} vars
   */
  function runStep(testCase, step, index, vars) {
    const operation = tables.operations[step.operation];
    const request = buildRequest(step, vars);
    let hookError = hooks.beforeRequest
      ? callHook('beforeRequest', () => hooks.beforeRequest && hooks.beforeRequest(request))
      : undefined;
    const expected = (
      step.checks[STATUS_CHECKS.filter((name) => step.checks[name])[0]] || { expect: ['2XX'] }
    ).expect;
    // A request whose beforeRequest hook failed is not sent (it may lack what the hook adds).
    const res = hookError
      ? /** @type {import('k6/http').RefinedResponse<any>} */ (
          /** @type {unknown} */ ({ status: 0, headers: {}, body: '', error: hookError })
        )
      : http.request(request.method, request.url, request.body, {
          headers: request.headers,
          redirects: 0,
          tags: { name: step.method + ' ' + operation.path, case: testCase.id },
          responseCallback: http.expectedStatuses.apply(
            http,
            expected.map((/** @type {string} */ pattern) => {
              if (!/^[1-5]XX$/i.test(pattern)) return Number(pattern);
              const low = Number(pattern[0]) * 100;
              return { min: low, max: low + 99 };
            }),
          ),
        });
    if (!hookError && hooks.afterResponse)
      hookError = callHook('afterResponse', () => hooks.afterResponse && hooks.afterResponse(request, res));
    // A hook that throws fails every check of the request it ran for, naming the hook.
    const results = hookError
      ? Object.keys(step.checks)
          .filter(selected)
          .map((name) => /** @type {[string, string | undefined]} */ ([name, hookError]))
      : evaluate(step, res, vars);
    /** @type {Record<string, () => boolean>} */
    const recorded = {};
    for (const result of results) {
      recorded[result[0]] = () => result[1] === undefined;
      specmintChecks.add(result[1] === undefined);
    }
    check(res, recorded);
    const failed = /** @type {Array<[string, string]>} */ (
      results.filter((result) => result[1] !== undefined)
    );
    const positive = Boolean(step.checks.positive_data_acceptance) && step.auth.mode !== 'invalid';
    /** @type {string[]} */
    const seen = ['seen', step.operation, res.status, positive ? 'valid' : '', expected.join(',')];
    // A request that got no answer (or was not sent) is not a response the coverage counts.
    const markers = res.status ? [seen.join('\t')] : [];
    for (const failure of failed)
      markers.push('failed\t' + step.operation + '\t' + failure[0] + '\t' + failure[1] + '\t' + testCase.id);
    if (failed.length > 0) {
      const key = testCase.id + ' ' + failed.map((f) => f[0]).join(',');
      if (!printed[key]) {
        printed[key] = true;
        console.error(failureText(testCase, step, index, request, res, failed));
      }
    }
    const capture = step.capture || {};
    let ok = true;
    for (const name of Object.keys(capture)) {
      let found = { found: false, value: /** @type {unknown} */ (undefined) };
      try {
        found = /** @type {any} */ (readPointer(JSON.parse(String(res.body)), capture[name]));
      } catch (error) {
        // Not JSON: nothing to capture.
      }
      const captured = found.found && found.value !== null && found.value !== undefined;
      check(res, { ['captures ' + name]: () => captured });
      if (captured) vars[name] = found.value;
      else ok = false;
    }
    if (step.snapshot) {
      try {
        vars['snapshot:' + step.snapshot] = JSON.parse(String(res.body));
      } catch (error) {
        delete vars['snapshot:' + step.snapshot];
      }
    }
    return { ok, markers };
  }

  /**
   * @param {{ id: string, title: string }} testCase
   * @param {Step} step
   * @param {number} index
   * @param {SentRequest} request
   * @param {import('k6/http').RefinedResponse<any>} res
   * @param {Array<[string, string]>} failed
   */
  function failureText(testCase, step, index, request, res, failed) {
    const lines = [testCase.id + ' — ' + testCase.title + (index > 0 ? ' (step ' + (index + 1) + ')' : '')];
    for (const failure of failed) lines.push('  ✗ ' + failure[0] + ': ' + failure[1]);
    const described = describeRequest(step, request);
    lines.push.apply(lines, described.lines);
    const contentType = headerValue(res.headers, 'Content-Type') || '(no Content-Type)';
    lines.push('  response: ' + res.status + ' ' + contentType);
    const text = typeof res.body === 'string' ? res.body : '';
    lines.push(
      '            ' + (text === '' ? '(no content)' : cut(text)).split('\n').join('\n            '),
    );
    lines.push('  reproduce:', described.curl);
    return lines.join('\n');
  }

  /**
   * Runs a hook; what went wrong, naming the hook, or undefined.
   * @param {string} name
   * @param {() => void} fn
   * @returns {string | undefined}
   */
  function callHook(name, fn) {
    try {
      fn();
      return undefined;
    } catch (error) {
      return 'the hook ' + name + ' (hooks.js) failed: ' + /** @type {Error} */ (error).message;
    }
  }

  /**
   * Runs one case in a k6 group named by it, its checks recorded under their names.
   * @param {{ id: string, title: string }} testCase
   * @param {Step[]} steps
   */
  function runCase(testCase, steps) {
    /** @type {Record<string, unknown>} */
    const vars = {};
    /** @type {string[]} */
    const markers = [];
    group(groupName(testCase), () => {
      for (let index = 0; index < steps.length; index++) {
        const outcome = runStep(testCase, steps[index], index, vars);
        markers.push.apply(markers, outcome.markers);
        if (!outcome.ok) break;
      }
    });
    markers.push.apply(markers, pendingWarnings.splice(0));
    // One check call per marker: a name repeated in one call would count once.
    group(MARKERS, () => {
      for (const marker of markers) check(null, { [marker]: () => true });
    });
  }

  /**
   * Runs a scenario's cases: each single case, and each row of each table (the table's steps with the row's
   * request in the last one).
   * @param {CaseGroup[]} groups
   */
  function run(groups) {
    for (const caseGroup of groups) {
      if (!caseGroup.rows) {
        runCase(caseGroup, caseGroup.steps);
        continue;
      }
      for (const row of caseGroup.rows) {
        const last = caseGroup.steps[caseGroup.steps.length - 1];
        const steps = caseGroup.steps.slice(0, -1).concat([Object.assign({}, last, row.request)]);
        runCase(row, steps);
      }
    }
  }

  return {
    run,
    setup: () => (hooks.beforeRun ? hooks.beforeRun() : undefined),
    /** @param {unknown} data */
    teardown: (data) => {
      if (hooks.afterRun) hooks.afterRun(data);
    },
    /** @param {any} data */
    handleSummary: (data) => summaryFiles(tables, data),
  };
}

/**
 * A case's k6 group name: its id and title (k6 keeps `::` for nesting).
 * @param {{ id: string, title: string }} testCase
 */
function groupName(testCase) {
  return (testCase.id + ' · ' + testCase.title).replace(/::/g, ': :');
}

// ---------------------------------------------------------------------------------------------------------------
// The end of the run: k6 hands handleSummary its aggregated data (checks by group, metrics); the markers
// recorded above carry what it does not keep (statuses per operation, failure messages, warnings).

/**
 * @typedef {{ name: string, path: string, passes: number, fails: number }} SummaryCheck
 * @typedef {{ name: string, path: string, groups: SummaryGroup[], checks: SummaryCheck[] }} SummaryGroup
 */

/** @param {string} text */
function xml(text) {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;');
}

/**
 * What the run covered, in the shape of docs/checks.md's reports/coverage.json, and the tests for JUnit.
 * @param {Tables} tables
 * @param {{ root_group: SummaryGroup }} data
 */
export function summarise(tables, data) {
  const groups = data.root_group.groups || [];
  const markers = groups
    .filter((g) => g.name === MARKERS)
    .reduce((all, g) => all.concat(g.checks), /** @type {SummaryCheck[]} */ ([]));
  const cases = groups.filter((g) => g.name !== MARKERS);
  const ops =
    /** @type {Record<string, { requests: number, seen: Record<string, number>, valid: number, denied: number, missing: number, rejected: number }>} */ ({});
  for (const id of Object.keys(tables.operations))
    ops[id] = { requests: 0, seen: {}, valid: 0, denied: 0, missing: 0, rejected: 0 };
  /** @type {Record<string, { operation: string, check: string, message: string, cases: Record<string, boolean> }>} */
  const failures = {};
  /** @type {Record<string, string[]>} messages by case group and check */
  const messages = {};
  /** @type {string[]} */
  const warnings = [];
  for (const marker of markers) {
    const parts = marker.name.split('\t');
    if (parts[0] === 'seen' && ops[parts[1]]) {
      const op = ops[parts[1]];
      const status = Number(parts[2]);
      op.requests += marker.passes;
      op.seen[status] = (op.seen[status] || 0) + marker.passes;
      if (parts[3] === 'valid') {
        op.valid += marker.passes;
        if (status === 401 || status === 403) op.denied += marker.passes;
        else if (status === 404) op.missing += marker.passes;
        else if (status >= 400 && status < 500 && !parts[4].split(',').some((p) => statusMatches(p, status)))
          op.rejected += marker.passes;
      }
    } else if (parts[0] === 'failed') {
      const key = parts[1] + '\t' + parts[2] + '\t' + parts[3];
      const entry = failures[key] || { operation: parts[1], check: parts[2], message: parts[3], cases: {} };
      entry.cases[parts[4]] = true;
      failures[key] = entry;
      const byCase = parts[4] + '\t' + parts[2];
      messages[byCase] = (messages[byCase] || []).concat([parts[3]]);
    } else if (parts[0] === 'warning') {
      warnings.push(parts.slice(1).join('\t'));
    }
  }
  /** @type {Record<string, { run: number, failed: number }>} */
  const checks = {};
  for (const caseGroup of cases) {
    for (const c of caseGroup.checks) {
      if (CHECK_NAMES.indexOf(c.name) < 0) continue;
      const entry = checks[c.name] || { run: 0, failed: 0 };
      entry.run += c.passes + c.fails;
      entry.failed += c.fails;
      checks[c.name] = entry;
    }
  }
  for (const id of Object.keys(ops)) {
    const op = ops[id];
    const operation = tables.operations[id];
    const where = operation.method + ' ' + operation.path;
    if (op.valid > 0 && op.denied * 2 > op.valid) {
      const fix =
        operation.credentials.length > 0
          ? 'set ' + operation.credentials.join(' and ')
          : 'check the credentials the API expects';
      warnings.push('most requests to ' + where + ' answered 401/403: ' + fix);
    }
    const params = (operation.path.match(/\{[^}]+\}/g) || []).map((p) => p.slice(1, -1));
    if (params.length > 0 && op.valid > 0 && op.missing * 2 > op.valid) {
      warnings.push(
        'most requests to ' +
          where +
          ' answered 404: give real ids with ' +
          params.map((p) => '--path-param ' + p + '=<id>').join(' '),
      );
    }
    if (op.rejected > 0) {
      warnings.push(
        'the server rejected ' +
          op.rejected +
          ' valid input' +
          (op.rejected === 1 ? '' : 's') +
          ' to ' +
          where +
          " with 4xx: the spec's constraints may differ from the server's",
      );
    }
  }
  const coverage = {
    specmint: 1,
    format: 'k6',
    api: tables.api,
    operations: Object.keys(ops).map((id) => {
      const declared = tables.operations[id].responses.map((r) => r.status);
      const seen = Object.keys(ops[id].seen).map(Number);
      const exact = declared.filter((d) => d.toUpperCase() !== 'DEFAULT');
      const notSeen = declared.filter((d) =>
        d.toUpperCase() === 'DEFAULT'
          ? !seen.some((s) => !exact.some((e) => statusMatches(e, s)))
          : !seen.some((s) => statusMatches(d, s)),
      );
      return {
        id,
        method: tables.operations[id].method,
        path: tables.operations[id].path,
        requests: ops[id].requests,
        declared,
        seen: ops[id].seen,
        notSeen,
      };
    }),
    checks: CHECK_NAMES.filter((name) => checks[name]).map((name) => ({
      name,
      run: checks[name].run,
      failed: checks[name].failed,
    })),
    failures: Object.keys(failures)
      .map((key) => ({
        operation: failures[key].operation,
        check: failures[key].check,
        message: failures[key].message,
        tests: Object.keys(failures[key].cases).length,
      }))
      .sort((a, b) => (a.operation + a.check < b.operation + b.check ? -1 : 1)),
    warnings,
  };
  const tests = cases.map((caseGroup) => ({
    name: caseGroup.name,
    checks: caseGroup.checks.map((c) => ({
      name: c.name,
      passes: c.passes,
      fails: c.fails,
      messages: messages[caseGroup.name.split(' · ')[0] + '\t' + c.name] || [],
    })),
  }));
  return { coverage, tests };
}

/**
 * JUnit XML: a test suite per case (its k6 group), a test per check; a failure says how often and why.
 * @param {Tables} tables
 * @param {ReturnType<typeof summarise>['tests']} tests
 * @param {number} seconds
 */
export function junitXml(tables, tests, seconds) {
  const total = tests.reduce((sum, t) => sum + t.checks.length, 0);
  const failed = tests.reduce((sum, t) => sum + t.checks.filter((c) => c.fails > 0).length, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<testsuites name="' +
      xml(tables.api.title + ' ' + tables.api.version + ' (k6)') +
      '" tests="' +
      total +
      '" failures="' +
      failed +
      '" time="' +
      seconds +
      '">',
  ];
  for (const test of tests) {
    const failures = test.checks.filter((c) => c.fails > 0).length;
    lines.push(
      '  <testsuite name="' +
        xml(test.name) +
        '" tests="' +
        test.checks.length +
        '" failures="' +
        failures +
        '" errors="0">',
    );
    for (const c of test.checks) {
      const head = '    <testcase name="' + xml(c.name) + '" classname="' + xml(test.name) + '"';
      if (c.fails === 0) {
        lines.push(head + '/>');
        continue;
      }
      const distinct = c.messages.filter((m, i) => c.messages.indexOf(m) === i);
      const message =
        'failed ' +
        c.fails +
        ' of ' +
        (c.passes + c.fails) +
        ' times' +
        (distinct.length > 0 ? ': ' + distinct.join('; ') : '');
      lines.push(head + '>', '      <failure message="' + xml(message) + '"/>', '    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

/**
 * The end-of-run summary: thresholds, failures by operation and check, warnings, coverage.
 * @param {ReturnType<typeof summarise>['coverage']} coverage
 * @param {any} data k6's summary data (metrics with their thresholds).
 */
export function summaryText(coverage, data) {
  const requests = coverage.operations.reduce((sum, op) => sum + op.requests, 0);
  const called = coverage.operations.filter((op) => op.requests > 0).length;
  const run = coverage.checks.reduce((sum, c) => sum + c.run, 0);
  const failed = coverage.checks.reduce((sum, c) => sum + c.failed, 0);
  const lines = [
    '',
    'SpecMint summary: ' +
      requests +
      ' requests to ' +
      called +
      ' of ' +
      coverage.operations.length +
      ' operations, ' +
      run +
      ' checks, ' +
      failed +
      ' failed',
  ];
  const metrics = (data && data.metrics) || {};
  /** @type {string[]} */
  const thresholds = [];
  for (const name of Object.keys(metrics).sort()) {
    const set = metrics[name].thresholds || {};
    for (const expression of Object.keys(set))
      thresholds.push('  ' + (set[expression].ok ? '✓ ' : '✗ ') + name + ' ' + expression);
  }
  if (thresholds.length > 0) lines.push('Thresholds:', ...thresholds);
  if (coverage.failures.length > 0) {
    lines.push('Failures, by operation and check:');
    for (const f of coverage.failures)
      lines.push(
        '  ' +
          f.operation +
          ' · ' +
          f.check +
          ': ' +
          f.message +
          ' — ' +
          f.tests +
          ' test' +
          (f.tests === 1 ? '' : 's'),
      );
  }
  if (coverage.warnings.length > 0) {
    lines.push('Warnings:');
    for (const warning of coverage.warnings) lines.push('  ' + warning);
  }
  const unseen = coverage.operations.filter((op) => op.notSeen.length > 0);
  if (unseen.length > 0) {
    lines.push('Declared statuses not seen:');
    for (const op of unseen)
      lines.push('  ' + op.id + ' (' + op.method + ' ' + op.path + '): ' + op.notSeen.join(', '));
  }
  return lines.join('\n') + '\n';
}

/**
 * What handleSummary returns: the summary on stdout and, with CI or SPECMINT_REPORTS=1 (never with
 * SPECMINT_REPORTS=0), reports/junit.xml and reports/coverage.json.
 * @param {Tables} tables
 * @param {any} data
 * @returns {Record<string, string>}
 */
function summaryFiles(tables, data) {
  const summary = summarise(tables, data);
  /** @type {Record<string, string>} */
  const files = { stdout: summaryText(summary.coverage, data) };
  const reports = __ENV.SPECMINT_REPORTS !== '0' && (__ENV.SPECMINT_REPORTS === '1' || Boolean(__ENV.CI));
  if (reports) {
    const seconds = data && data.state ? data.state.testRunDurationMs / 1000 : 0;
    files['reports/junit.xml'] = junitXml(tables, summary.tests, seconds);
    files['reports/coverage.json'] = JSON.stringify(summary.coverage, null, 2) + '\n';
    files.stdout += 'Reports: reports/junit.xml, reports/coverage.json\n';
  }
  return files;
}
