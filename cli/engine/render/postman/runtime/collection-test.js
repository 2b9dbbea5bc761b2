// The collection's Tests tab, part 3 (after compare.js and failure-text.js): the checks, and
// specmint.checkResponse, which every request's Tests tab calls.

/**
 * What a request's Tests tab passes to specmint.checkResponse: the checks of that request, by name, each with
 * its parameters (`true` when it has none); see docs/checks.md for what each one asserts.
 * @typedef {object} StepSpec
 * @property {string} case The test case id.
 * @property {string} title The case's title.
 * @property {number} step 1-based index of the step in the case.
 * @property {string} operation Its operation id (a key of OPERATIONS).
 * @property {{ mode: 'valid' | 'none' | 'invalid', schemes: string[] }} auth The credentials it sends.
 * @property {StepChecks} checks
 * @property {Record<string, string>} [capture] Values to keep for later steps: name → JSON pointer in the body.
 * @property {string} [snapshot] Keeps the whole JSON body under this name (for a later `idempotence` check).
 */

/**
 * @typedef {object} StepChecks
 * @property {true | { allow: string[] }} [not_a_server_error]
 * @property {true | { lenient: string[] }} [status_code_conformance]
 * @property {true} [content_type_conformance]
 * @property {true} [response_schema_conformance]
 * @property {true} [response_headers_conformance]
 * @property {{ expect: string[] }} [positive_data_acceptance]
 * @property {{ expect: string[] }} [negative_data_rejection]
 * @property {{ expect: string[] }} [negative_format_rejection]
 * @property {{ expect: string[] }} [auth_enforced]
 * @property {{ expect: string[] }} [use_after_delete]
 * @property {{ expect: string[] }} [unsupported_method] (the statuses the plan names; the check itself follows
 *   docs/checks.md: anything but a 2xx or a 5xx other than 501)
 * @property {Array<{ pointer: string, equals: unknown, format?: string }>} [read_after_write]
 * @property {{ pointer: string, property: string, equals: unknown }} [filter_consistency]
 * @property {{ snapshot: string, ignore: string[] }} [idempotence]
 */

/**
 * A declared response (OPERATIONS lists them per operation): status, media types with draft-07 schemas, headers.
 * @typedef {object} DeclaredResponse
 * @property {string} status
 * @property {Array<{ mediaType: string, schema?: object }>} contents
 * @property {Array<{ name: string, required: boolean, schema?: object }>} [headers]
 */

/**
 * What the checks look at: the response, read once.
 * @typedef {object} Exchange
 * @property {StepSpec} step
 * @property {number} status
 * @property {string} contentType The Content-Type header, '' when absent.
 * @property {string} mediaType Its media type, lower case, without parameters.
 * @property {string} text The body as text.
 * @property {boolean} hasContent False for HEAD, 204, 205, 304 and an empty body where none is declared.
 * @property {DeclaredResponse | undefined} declared The declared response the status falls under.
 * @property {() => unknown} json The body parsed as JSON (throws with a message when it is not JSON).
 */

// The functions the requests' Tests tabs call, and what the requests of a run share. The collection's scripts
// and a request's run in one sandbox, where a name assigned without a declaration is shared by all of them
// (postman-sandbox, so newman and the app).
if (typeof specmint === 'undefined') specmint = {};

/** @type {Record<string, (exchange: Exchange, params: any) => string | undefined>} */
const CHECKS = {
  not_a_server_error: (x, params) =>
    x.status >= 500 && !(params && params.allow && params.allow.indexOf(String(x.status)) >= 0)
      ? 'status ' + x.status + ' is a server error'
      : undefined,

  // The rule of docs/checks.md: a 2xx (the method worked) or a 5xx other than 501 fails; 404, 405, 501 or
  // another 4xx passes.
  unsupported_method: (x) =>
    (x.status >= 200 && x.status < 300) || (x.status >= 500 && x.status !== 501)
      ? 'expected 404, 405, 501 or another 4xx, got ' + x.status
      : undefined,

  status_code_conformance: (x, params) => {
    if (x.declared) return undefined;
    const responses = OPERATIONS[x.step.operation].responses;
    const list = responses.map((response) => response.status).join(', ') || 'none';
    const lenient = params && params.lenient ? params.lenient : [];
    if (lenient.some((/** @type {string} */ pattern) => statusMatches(pattern, x.status))) {
      warnOnce(
        x.step.operation + ' ' + x.status,
        x.step.operation +
          ': status ' +
          x.status +
          ' is not declared (declared: ' +
          list +
          '); the spec ' +
          'declares no response for this kind of rejection, so this is only a warning',
      );
      return undefined;
    }
    return 'status ' + x.status + ' not declared (declared: ' + list + ')';
  },

  content_type_conformance: (x) => {
    if (!x.hasContent || !x.declared || x.declared.contents.length === 0) return undefined;
    const allowed = x.declared.contents.map((content) => content.mediaType).join(', ');
    if (!x.contentType) return 'the response has content but no Content-Type (declared: ' + allowed + ')';
    if (x.declared.contents.some((content) => mediaMatches(content.mediaType, x.mediaType))) return undefined;
    return (
      'Content-Type ' +
      x.contentType +
      ' not declared for ' +
      x.declared.status +
      ' (declared: ' +
      allowed +
      ')'
    );
  },

  response_schema_conformance: (x) => {
    if (!x.hasContent || !x.declared || !isJson(x.mediaType)) return undefined;
    const matching = x.declared.contents.filter((content) => mediaMatches(content.mediaType, x.mediaType));
    const content = matching.filter((c) => mediaTypeOf(c.mediaType) === x.mediaType)[0] || matching[0];
    if (!content || content.schema === undefined) return undefined;
    const errors = schemaErrors(content.schema, x.json(), 'body');
    if (errors.length === 0) return undefined;
    return (
      'body does not match the ' +
      x.declared.status +
      ' response schema of ' +
      x.step.operation +
      ': ' +
      someOf(errors, 5)
    );
  },

  response_headers_conformance: (x) => {
    if (!x.declared || !x.declared.headers) return undefined;
    /** @type {string[]} */
    const problems = [];
    for (const header of x.declared.headers) {
      const value = pm.response.headers.get(header.name);
      if (value === undefined || value === null) {
        if (header.required) problems.push('required header ' + header.name + ' is missing');
        continue;
      }
      if (header.schema === undefined) continue;
      const errors = schemaErrors(header.schema, coerceHeader(String(value), header.schema), header.name);
      if (errors.length > 0) problems.push(someOf(errors, 3) + ' (value ' + jsonText(String(value)) + ')');
    }
    return problems.length === 0 ? undefined : problems.join('; ');
  },

  read_after_write: (x, params) => {
    /** @type {Array<{ pointer: string, equals: unknown, format?: string }>} */
    const expectations = params;
    /** @type {string[]} */
    const problems = [];
    const body = x.json();
    for (const expectation of expectations) {
      const wanted = renamed(x.step.case, substitute(x.step.case, expectation.equals));
      const found = readPointer(body, expectation.pointer);
      if (!found.found) problems.push(expectation.pointer + ' is missing (sent ' + jsonText(wanted) + ')');
      else if (!holds(wanted, found.value, expectation.format))
        problems.push(expectation.pointer + ' is ' + jsonText(found.value) + ', sent ' + jsonText(wanted));
    }
    return problems.length === 0 ? undefined : problems.join('; ');
  },

  filter_consistency: (x, params) => {
    const found = readPointer(x.json(), params.pointer);
    const where = params.pointer === '' ? 'the body' : params.pointer;
    if (!found.found || !Array.isArray(found.value)) return where + ' is not a list';
    const wanted = renamed(x.step.case, substitute(x.step.case, params.equals));
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
  },

  idempotence: (x, params) => {
    const kept = pm.collectionVariables.get(x.step.case + '.snapshot.' + params.snapshot);
    if (typeof kept !== 'string') return 'no body was kept as "' + params.snapshot + '" by an earlier step';
    const before = JSON.parse(kept);
    const difference = firstDifference(before, x.json(), params.ignore || []);
    if (difference === undefined) return undefined;
    const after = readPointer(x.json(), difference);
    const earlier = readPointer(before, difference);
    return (
      (difference || 'the body') +
      ' was ' +
      (earlier.found ? jsonText(earlier.value) : 'absent') +
      ' after one call and is ' +
      (after.found ? jsonText(after.value) : 'absent') +
      ' after repeating it'
    );
  },
};

/** The checks a step's expected statuses stand for: each fails when the status is not one of them. */
const STATUS_CHECKS = [
  'positive_data_acceptance',
  'negative_data_rejection',
  'negative_format_rejection',
  'auth_enforced',
  'use_after_delete',
];
for (const name of STATUS_CHECKS) {
  CHECKS[name] = (x, params) =>
    params.expect.some((/** @type {string} */ pattern) => statusMatches(pattern, x.status))
      ? undefined
      : 'expected ' + describeStatuses(params.expect) + ', got ' + x.status;
}

/**
 * Prints a warning once per run and key (collection variable `specmint.warned`).
 * @param {string} key
 * @param {string} message
 */
function warnOnce(key, message) {
  /** @type {string[]} */
  const warned = JSON.parse(pm.collectionVariables.get('specmint.warned') || '[]');
  if (warned.indexOf(key) >= 0) return;
  warned.push(key);
  pm.collectionVariables.set('specmint.warned', JSON.stringify(warned));
  console.warn('SpecMint warning: ' + message);
}

/**
 * Why a step that answered `status` (one it accepts) made nothing to capture: a 409 means the server already
 * holds a resource with the values the step sends, most often one an earlier run of the suite created.
 * @param {number} status
 */
function nothingCreated(status) {
  const conflict =
    status === 409
      ? ': it already holds a resource with the values this step sends (left by an earlier run?); run the' +
        ' suite against a fresh server or clear its data'
      : '';
  return 'the server answered ' + status + ', so nothing was created' + conflict;
}

/**
 * The value with the texts the case's steps made up renamed as this run sent them (collection-prerequest.js
 * `renameRequest`): a text of six characters or more wherever it occurs, a shorter one only as a whole string.
 * @param {string} testCase
 * @param {any} value Expected JSON, its captured values substituted.
 * @returns {any}
 */
function renamed(testCase, value) {
  /** @type {Array<[string, string]>} */
  const renames = JSON.parse(String(pm.collectionVariables.get(testCase + '.renames') || '[]'));
  if (renames.length === 0) return value;
  /** @param {any} item @returns {any} */
  const walk = (item) => {
    if (typeof item === 'string') {
      let out = item;
      for (const [from, to] of renames) {
        if (from.length >= 6) out = out.split(from).join(to);
        else if (out === from) out = to;
      }
      return out;
    }
    if (Array.isArray(item)) return item.map(walk);
    if (item && typeof item === 'object') {
      /** @type {Record<string, unknown>} */
      const out = {};
      for (const key of Object.keys(item)) out[key] = walk(item[key]);
      return out;
    }
    return item;
  };
  return walk(value);
}

/**
 * The value with every { $var } replaced by the value an earlier step of the case captured.
 * @param {string} testCase
 * @param {any} value Expected JSON, of any shape.
 * @returns {any}
 */
function substitute(testCase, value) {
  if (Array.isArray(value)) return value.map((item) => substitute(testCase, item));
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && typeof value.$var === 'string')
      return pm.collectionVariables.get(testCase + '.' + value.$var);
    /** @type {Record<string, unknown>} */
    const out = {};
    for (const key of keys) out[key] = substitute(testCase, value[key]);
    return out;
  }
  return value;
}

/**
 * The checks this run evaluates, from SPECMINT_CHECKS / SPECMINT_EXCLUDE_CHECKS (comma lists; `all`); an
 * unknown name is an error that lists the known ones.
 * @returns {(name: string) => boolean}
 */
function selectedChecks() {
  /** @param {string} variable */
  const names = (variable) =>
    String(pm.variables.get(variable) || '')
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '');
  const only = names('SPECMINT_CHECKS');
  const except = names('SPECMINT_EXCLUDE_CHECKS');
  for (const [variable, list] of [
    ['SPECMINT_CHECKS', only],
    ['SPECMINT_EXCLUDE_CHECKS', except],
  ]) {
    const unknown = /** @type {string[]} */ (list).filter(
      (name) => name !== 'all' && CHECK_NAMES.indexOf(name) < 0,
    );
    if (unknown.length > 0) {
      throw new Error(
        variable +
          ' names unknown checks: ' +
          unknown.join(', ') +
          '. Known checks: ' +
          CHECK_NAMES.join(', '),
      );
    }
  }
  return (name) => {
    if (except.indexOf(name) >= 0 || except.indexOf('all') >= 0) return false;
    if (only.length > 0) return only.indexOf(name) >= 0 || only.indexOf('all') >= 0;
    return CHECKS_OFF_BY_DEFAULT.indexOf(name) < 0;
  };
}

/**
 * Runs the checks a request's Tests tab names, each as a `pm.test` with the check's name, and keeps what later
 * steps need (captures, snapshots). Every failed check fails its own test; the first one's message is the whole
 * failure (all failed checks, the request, the response, a curl line), the others point at it.
 * @param {typeof pm} scriptPm The `pm` of the calling script.
 * @param {StepSpec} step
 */
function checkResponse(scriptPm, step) {
  const selected = selectedChecks();
  // No response at all (the request failed: connection refused, time-out): every check fails with that.
  const answered = Boolean(scriptPm.response && scriptPm.response.code);
  const status = answered ? scriptPm.response.code : 0;
  const text = answered ? scriptPm.response.text() || '' : '';
  const operation = OPERATIONS[step.operation];
  const declared = declaredFor(operation.responses, status);
  const contentType = answered ? String(scriptPm.response.headers.get('Content-Type') || '') : '';
  const noContent =
    scriptPm.request.method === 'HEAD' ||
    NO_CONTENT_STATUSES.indexOf(status) >= 0 ||
    (text === '' && (!declared || declared.contents.length === 0));
  /** @type {{ value?: unknown, error?: string }} */
  const parsed = {};
  /** @type {Exchange} */
  const exchange = {
    step: step,
    status: status,
    contentType: contentType,
    mediaType: mediaTypeOf(contentType),
    text: text,
    hasContent: !noContent,
    declared: declared,
    json: () => {
      if (noContent) throw new Error('the response has no content (status ' + status + ')');
      if (!('value' in parsed) && parsed.error === undefined) {
        try {
          parsed.value = JSON.parse(text);
        } catch (error) {
          parsed.error = /** @type {Error} */ (error).message;
        }
      }
      if (parsed.error !== undefined) throw new Error('the body is not valid JSON (' + parsed.error + ')');
      return parsed.value;
    },
  };
  /** @type {Array<[string, string | undefined]>} */
  const results = [];
  const checks = /** @type {Record<string, unknown>} */ (step.checks);
  for (const name of Object.keys(checks)) {
    if (!selected(name)) continue;
    const run = CHECKS[name];
    if (!run)
      throw new Error(step.case + ': no check named ' + name + '. Known checks: ' + CHECK_NAMES.join(', '));
    let message;
    try {
      message = answered ? run(exchange, checks[name]) : 'no response: the request failed (newman says why)';
    } catch (error) {
      message = /** @type {Error} */ (error).message;
    }
    results.push([name, message]);
  }
  const failed = /** @type {Array<[string, string]>} */ (results.filter((result) => result[1] !== undefined));
  const full = failed.length > 0 ? failureText(exchange, failed) : '';
  results.forEach((result) => {
    const message = result[1];
    const first = failed.length > 0 && failed[0][0] === result[0];
    scriptPm.test(result[0], () => {
      if (message === undefined) return;
      scriptPm.expect.fail(
        first
          ? full
          : '✗ ' + result[0] + ': ' + message + ' (the request and response: see ' + failed[0][0] + ')',
      );
    });
  });
  const capture = step.capture || {};
  for (const name of Object.keys(capture)) {
    const key = step.case + '.' + name;
    scriptPm.test('captures ' + name, () => {
      let found = { found: false, value: /** @type {unknown} */ (undefined) };
      // Only a 2xx body made something: a 409's error body may hold a `code` of the error, not a resource.
      const made = answered && status >= 200 && status < 300;
      try {
        if (made) found = /** @type {any} */ (readPointer(exchange.json(), capture[name]));
      } catch (error) {
        scriptPm.expect.fail(
          'cannot capture ' + name + ' for the next steps: ' + /** @type {Error} */ (error).message,
        );
      }
      if (!found.found || found.value === null || found.value === undefined) {
        scriptPm.expect.fail(
          'cannot capture ' +
            name +
            ' for the next steps: ' +
            (answered && (status < 200 || status >= 300)
              ? nothingCreated(status)
              : capture[name] + ' is missing in the body'),
        );
      }
      scriptPm.collectionVariables.set(key, found.value);
    });
  }
  if (step.snapshot) {
    try {
      scriptPm.collectionVariables.set(
        step.case + '.snapshot.' + step.snapshot,
        JSON.stringify(exchange.json()),
      );
    } catch (error) {
      scriptPm.collectionVariables.unset(step.case + '.snapshot.' + step.snapshot);
    }
  }
}

specmint.checkResponse = checkResponse;

// The user's hook (hooks.postman_environment.json): runs before this request's own Tests.
const afterResponseHook = pm.variables.get('specmint.hooks.afterResponse');
if (afterResponseHook) {
  try {
    // biome-ignore lint/security/noGlobalEval: the hook is script text the user keeps in the environment file
    eval(String(afterResponseHook));
  } catch (error) {
    throw new Error(
      'the hook specmint.hooks.afterResponse (hooks.postman_environment.json) failed: ' +
        /** @type {Error} */ (error).message,
    );
  }
}
