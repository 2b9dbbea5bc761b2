// SpecMint's k6 runtime: builds each case's requests, runs the named checks of docs/checks.md on every response
// (and records them as k6 checks), prints a failure's text once, and turns k6's end-of-test data into the summary,
// reports/junit.xml and reports/coverage.json (handleSummary, specmint-summary.js). load-test.js holds what is
// specific to the API; specmint-compare.js and specmint-failure.js hold the pure parts.
import { check, group } from 'k6';
import encoding from 'k6/encoding';
import http from 'k6/http';
import { Rate } from 'k6/metrics';
import {
  asText,
  coerceHeader,
  declaredFor,
  describeStatuses,
  firstDifference,
  headerValue,
  holds,
  isJson,
  jsonText,
  mediaMatches,
  mediaTypeOf,
  readPointer,
  resolve,
  sameFilterValue,
  schemaProblems,
  someOf,
  statusMatches,
} from './specmint-compare.js';
import { failureText } from './specmint-failure.js';
import { MARKERS, summaryFiles } from './specmint-summary.js';

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
 *   capture?: Record<string, string>, snapshot?: string, note?: string, unique?: Array<[string, string]> }} Step
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
const NO_CONTENT_STATUSES = [204, 205, 304];
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
  // Each VU's salt for the texts a case makes up (see salt), unless SPECMINT_RUN_ID gives one.
  const vuSalt = Math.random().toString(36).slice(2, 10);
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
    // An array is one field per item under the same name (form style, exploded; a part per item).
    /** @type {Array<[string, string]>} */
    const fields = [];
    for (const name of Object.keys(body.value || {})) {
      const value = body.value[name];
      for (const one of Array.isArray(value) ? value : [value])
        fields.push([name, asText(resolve(one, vars))]);
    }
    if (body.kind === 'form') {
      headers['Content-Type'] = body.mediaType;
      return fields
        .map(([name, text]) => encodeURIComponent(name) + '=' + encodeURIComponent(text))
        .join('&');
    }
    // Built by hand: k6 only sends an object body as multipart when a field is a file.
    headers['Content-Type'] = 'multipart/form-data; boundary=' + MULTIPART_BOUNDARY;
    const parts = fields.map(
      ([name, text]) =>
        '--' +
        MULTIPART_BOUNDARY +
        '\r\nContent-Disposition: form-data; name="' +
        name.replace(/"/g, '%22') +
        '"\r\n\r\n' +
        text +
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
      not_a_server_error: (params) =>
        status >= 500 && !(params && params.allow && params.allow.indexOf(String(status)) >= 0)
          ? 'status ' + status + ' is a server error'
          : undefined,
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
      // unsupported_method's statuses only tell k6 what to expect: it is judged by the rule below.
      if (name === 'unsupported_method') continue;
      checks[name] = (params) =>
        params.expect.some((/** @type {string} */ p) => statusMatches(p, status))
          ? undefined
          : 'expected ' + describeStatuses(params.expect) + ', got ' + status;
    }
    // The rule of docs/checks.md: a 2xx (the method worked) or a 5xx other than 501 fails; 404, 405, 501 or
    // another 4xx passes.
    checks.unsupported_method = () =>
      (status >= 200 && status < 300) || (status >= 500 && status !== 501)
        ? 'expected 404, 405, 501 or another 4xx, got ' + status
        : undefined;
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
    // A request that got no answer (or was not sent) is not a response the coverage counts, nor is a method
    // the path does not declare (no request to the operation).
    const markers = res.status && !step.checks.unsupported_method ? [seen.join('\t')] : [];
    for (const failure of failed)
      markers.push('failed\t' + step.operation + '\t' + failure[0] + '\t' + failure[1] + '\t' + testCase.id);
    if (failed.length > 0) {
      const key = testCase.id + ' ' + failed.map((f) => f[0]).join(',');
      if (!printed[key]) {
        printed[key] = true;
        console.error(failureText(tables.security, testCase, step, index, request, res, failed));
      }
    }
    const capture = step.capture || {};
    let ok = true;
    for (const name of Object.keys(capture)) {
      let found = { found: false, value: /** @type {unknown} */ (undefined) };
      try {
        // Only a 2xx body made something: a 409's error body may hold a `code` of the error.
        if (res.status >= 200 && res.status < 300)
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
   * This iteration's salt: SPECMINT_RUN_ID (else a random one per VU) with the VU and iteration, so that each
   * iteration sends texts of its own.
   */
  function salt() {
    const vu = typeof __VU === 'undefined' ? 0 : __VU;
    const iteration = typeof __ITER === 'undefined' ? 0 : __ITER;
    return (__ENV.SPECMINT_RUN_ID || vuSalt) + ':' + vu + ':' + iteration;
  }

  /**
   * `text` as an iteration with `key` sends it: each digit or letter another of its kind (`uuid`: hex digits,
   * the version and variant kept); two texts that differ stay different.
   * @param {string} text
   * @param {string} shape `classes` or `uuid`
   * @param {string} key
   */
  function renamedText(text, shape, key) {
    const digits = '0123456789';
    const lower = shape === 'uuid' ? 'abcdef' : 'abcdefghijklmnopqrstuvwxyz';
    const upper = shape === 'uuid' ? 'ABCDEF' : 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const char = text.charAt(i);
      const members =
        shape === 'uuid' && (i === 14 || i === 19)
          ? ''
          : [digits, lower, upper].find((set) => set.includes(char)) || '';
      if (!members) {
        out += char;
        continue;
      }
      let k = 0;
      for (let j = 0; j < key.length; j++) k += key.charCodeAt(j) * (i + j + 1);
      out += members.charAt((members.indexOf(char) + 1 + (k % (members.length - 1))) % members.length);
    }
    return out;
  }

  /**
   * `value` with every renamed text replaced in its strings (one of six characters or more wherever it occurs,
   * a shorter one only as a whole string); captured variables are left alone.
   * @param {any} value
   * @param {Array<[string, string]>} renames
   * @returns {any}
   */
  function renameValue(value, renames) {
    if (typeof value === 'string') {
      let out = value;
      for (const [from, to] of renames) {
        if (from.length >= 6) out = out.split(from).join(to);
        else if (out === from) out = to;
      }
      return out;
    }
    if (Array.isArray(value)) return value.map((item) => renameValue(item, renames));
    if (value && typeof value === 'object' && typeof value.$var !== 'string') {
      /** @type {Record<string, unknown>} */
      const out = {};
      for (const key of Object.keys(value)) out[key] = renameValue(value[key], renames);
      return out;
    }
    return value;
  }

  /**
   * The step with the case's made-up texts renamed wherever it sends or compares them: path, query, headers,
   * cookies, body, and the values read_after_write and filter_consistency expect.
   * @param {Step} step
   * @param {Array<[string, string]>} renames
   * @returns {Step}
   */
  function renamedStep(step, renames) {
    if (renames.length === 0) return step;
    const checks = Object.assign({}, step.checks);
    if (Array.isArray(checks.read_after_write))
      checks.read_after_write = checks.read_after_write.map((/** @type {any} */ expectation) =>
        Object.assign({}, expectation, { equals: renameValue(expectation.equals, renames) }),
      );
    if (checks.filter_consistency && typeof checks.filter_consistency === 'object')
      checks.filter_consistency = Object.assign({}, checks.filter_consistency, {
        equals: renameValue(checks.filter_consistency.equals, renames),
      });
    return Object.assign({}, step, {
      path: renameValue(step.path, renames),
      query: step.query.map((pair) => [pair[0], renameValue(pair[1], renames)]),
      headers: renameValue(step.headers, renames),
      cookies: renameValue(step.cookies, renames),
      body: step.body
        ? Object.assign({}, step.body, { value: renameValue(step.body.value, renames) })
        : step.body,
      checks,
    });
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
    /** @type {Array<[string, string]>} */
    const renames = [];
    group(groupName(testCase), () => {
      for (let index = 0; index < steps.length; index++) {
        // Texts the case made up for the server to keep unique: renamed in every iteration (see renamedStep).
        for (const made of steps[index].unique || [])
          renames.push([made[0], renamedText(made[0], made[1], salt())]);
        const outcome = runStep(testCase, renamedStep(steps[index], renames), index, vars);
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
    handleSummary: (data) => summaryFiles(tables, data, CHECK_NAMES),
  };
}

/**
 * A case's k6 group name: its id and title (k6 keeps `::` for nesting).
 * @param {{ id: string, title: string }} testCase
 */
function groupName(testCase) {
  return (testCase.id + ' · ' + testCase.title).replace(/::/g, ': :');
}
