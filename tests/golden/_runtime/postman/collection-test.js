// The collection's Tests tab, part 1: comparing a response with what the spec declares (statuses, media types,
// JSON Schema through the sandbox's Ajv) and with what was sent (read_after_write, filters, idempotence).
/** Responses that carry no content, whatever their headers say (RFC 9110 §6.4.1). */
const NO_CONTENT_STATUSES = [204, 205, 304];

/** Headers the HTTP client adds on its own: left out of a failure and its curl line. */
const TRANSPORT_HEADERS = [
  'user-agent',
  'postman-token',
  'host',
  'accept-encoding',
  'connection',
  'cache-control',
  'content-length',
];

/** How many characters of a body a failure shows. */
const BODY_LIMIT = 2000;

/** @param {unknown} value */
const jsonText = (value) => (value === undefined ? 'undefined' : JSON.stringify(value));

/** @param {string | undefined} value */
const mediaTypeOf = (value) =>
  String(value || '')
    .split(';')[0]
    .trim()
    .toLowerCase();

/**
 * @param {string} pattern Exact ('201') or a class ('4XX').
 * @param {number} status
 */
const statusMatches = (pattern, status) =>
  /^[1-5]XX$/i.test(pattern) ? String(status)[0] === pattern[0] : pattern === String(status);

/**
 * 'a 4xx status', '404 or 410', '201 or a 4xx status'.
 * @param {string[]} patterns
 */
const describeStatuses = (patterns) =>
  patterns
    .map((pattern) =>
      /^[1-5]XX$/i.test(pattern) ? 'a ' + pattern[0] + 'xx status' : pattern === 'default' ? 'any' : pattern,
    )
    .join(' or ');

/**
 * @param {string} declared
 * @param {string} actual
 */
const mediaMatches = (declared, actual) => {
  const d = mediaTypeOf(declared);
  if (d === '*/*' || d === actual) return true;
  const [dType, dSub] = d.split('/');
  const [aType, aSub] = actual.split('/');
  if (dType !== aType || aSub === undefined) return false;
  if (dSub === '*') return true;
  return dSub.indexOf('*+') === 0 && aSub.slice(-(dSub.length - 1)) === dSub.slice(1);
};

/** @param {string} mediaType */
const isJson = (mediaType) => mediaType === 'application/json' || /\+json$/.test(mediaType);

/**
 * The declared response a status falls under: exact, by class, or `default`.
 * @param {DeclaredResponse[]} responses
 * @param {number} status
 * @returns {DeclaredResponse | undefined}
 */
const declaredFor = (responses, status) => {
  const candidates = [String(status), String(status)[0] + 'XX', 'DEFAULT'];
  for (const candidate of candidates) {
    const found = responses.filter((response) => response.status.toUpperCase() === candidate)[0];
    if (found) return found;
  }
  return undefined;
};

/**
 * @param {unknown} document
 * @param {string} pointer
 * @returns {{ found: boolean, value?: unknown }}
 */
const readPointer = (document, pointer) => {
  if (pointer === '') return { found: true, value: document };
  let current = document;
  for (const part of pointer.slice(1).split('/')) {
    const token = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object') return { found: false };
    if (!Object.prototype.hasOwnProperty.call(current, token)) return { found: false };
    current = /** @type {Record<string, unknown>} */ (current)[token];
  }
  return { found: true, value: current };
};

/**
 * Cuts a body after BODY_LIMIT characters.
 * @param {string} text
 */
const cut = (text) =>
  text.length > BODY_LIMIT
    ? text.slice(0, BODY_LIMIT) + '… (' + (text.length - BODY_LIMIT) + ' more characters)'
    : text;

/**
 * A value the way read_after_write compares it: with a `format`, both sides are normalised first.
 * @param {unknown} value
 * @param {string | undefined} format
 * @returns {unknown}
 */
const normalised = (value, format) => {
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
  // byte: the same bytes in either RFC 4648 alphabet, padded or not, compare equal.
  if (format === 'byte') return value.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  return value;
};

/**
 * Whether `actual` holds what `expected` holds: objects by the expected properties, arrays with the same items
 * in any order, numbers by value, the rest exactly (after `format` normalisation).
 * @param {unknown} expected
 * @param {unknown} actual
 * @param {string} [format]
 * @returns {boolean}
 */
const holds = (expected, actual, format) => {
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
};

/**
 * The first JSON pointer where two documents differ (ignoring `ignore` and what lies under it), or undefined.
 * @param {unknown} a
 * @param {unknown} b
 * @param {string[]} ignore
 * @param {string} [at]
 * @returns {string | undefined}
 */
const firstDifference = (a, b, ignore, at) => {
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
};

/**
 * Filters compare strings exactly and numbers and booleans by value ('3' holds 3).
 * @param {unknown} expected
 * @param {unknown} actual
 */
const sameFilterValue = (expected, actual) =>
  typeof expected === typeof actual ? expected === actual : String(expected) === String(actual);

/**
 * A header value coerced to the type its schema declares ('3' → 3, 'true' → true, 'a,b' → ['a', 'b']).
 * @param {string} value
 * @param {any} schema
 * @returns {unknown}
 */
const coerceHeader = (value, schema) => {
  const type = schema && (Array.isArray(schema.type) ? schema.type[0] : schema.type);
  if ((type === 'integer' || type === 'number') && value.trim() !== '' && !Number.isNaN(Number(value)))
    return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  if (type === 'array') return value.split(',').map((item) => coerceHeader(item.trim(), schema.items));
  return value;
};

/**
 * The compiled validator of a schema, kept across the requests of a run in the sandbox's shared `specmint`
 * (compiling is most of the time a check takes), for this collection's definitions only.
 * @param {object} schema
 * @returns {((data: unknown) => boolean) & { errors?: unknown[] | null }}
 */
function validatorFor(schema) {
  const owner = API.title + ' ' + API.version + ' ' + Object.keys(DEFINITIONS).join(',');
  if (!specmint.validators || specmint.validatorsOwner !== owner) {
    // Through a name of its own: TypeScript would read require('ajv') as Node's import of the npm package.
    const sandboxRequire = require;
    const Ajv = sandboxRequire('ajv');
    const fresh = new Ajv({
      allErrors: true,
      // 0.3 is a multiple of 0.1 (a quotient of 2.9999999999999996 in floating point): the other runtimes
      // allow the same tolerance.
      multipleOfPrecision: 9,
      jsonPointers: true,
      schemaId: 'auto',
      unknownFormats: 'ignore',
      validateSchema: false,
    });
    // OpenAPI's formats the sandbox's Ajv 6 lacks, checked as the JS runtimes' ajv-formats checks them.
    fresh.addFormat('int32', {
      type: 'number',
      validate: (/** @type {number} */ value) =>
        Math.floor(value) === value && value >= -(2 ** 31) && value <= 2 ** 31 - 1,
    });
    fresh.addFormat('int64', {
      type: 'number',
      validate: (/** @type {number} */ value) => Math.floor(value) === value,
    });
    // RFC 4648 base64 in either alphabet (section 4, or section 5's URL-safe one), padded; one alphabet per value.
    fresh.addFormat(
      'byte',
      /^(?:(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?|(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?)$/,
    );
    specmint.ajv = fresh;
    specmint.validators = {};
    specmint.validatorsOwner = owner;
  }
  const ajv = /** @type {NonNullable<typeof specmint.ajv>} */ (specmint.ajv);
  const key = JSON.stringify(schema);
  let validate = specmint.validators[key];
  if (!validate) {
    validate = ajv.compile({ definitions: DEFINITIONS, allOf: [schema] });
    specmint.validators[key] = validate;
  }
  return validate;
}

/**
 * Validates with the sandbox's Ajv (draft-07) against a schema that may point into DEFINITIONS; the errors as
 * '<where> must …', or [] when it is valid.
 * @param {object} schema
 * @param {unknown} data
 * @param {string} where 'body' or the header's name.
 * @returns {string[]}
 */
const schemaErrors = (schema, data, where) => {
  const validate = validatorFor(schema);
  if (validate(data)) return [];
  const errors = /** @type {Array<{ dataPath: string, message?: string, params?: any }>} */ (
    validate.errors || []
  );
  return errors.map((error) => {
    const message = String(error.message || 'is invalid').replace(/^should /, 'must ');
    const extra =
      error.params && error.params.additionalProperty ? ' (' + error.params.additionalProperty + ')' : '';
    return where + error.dataPath + ' ' + message + extra;
  });
};

/**
 * @param {string[]} errors
 * @param {number} max
 */
const someOf = (errors, max) =>
  errors.slice(0, max).join('; ') + (errors.length > max ? ' (and ' + (errors.length - max) + ' more)' : '');

// The collection's Tests tab, part 2: the text of a failure (docs/checks.md): the case, every failed check, the
// request as sent with valid credentials as ***, the response, and a curl line with each credential as the
// environment variable that holds it.
/**
 * The request as it was sent, for a failure: method and full URL, headers and body (the credentials of valid
 * schemes as ***), and a curl command with each credential as the environment variable that holds it.
 * @param {StepSpec} step
 * @returns {{ shown: string[], curl: string }}
 */
function describeRequest(step) {
  const request = pm.request;
  /** @type {Record<string, string>} header name (lower case) → env var of its credential */
  const headerVars = {};
  /** @type {Record<string, string>} */
  const queryVars = {};
  /** @type {Record<string, string>} */
  const cookieVars = {};
  /** @type {{ username: string, password: string } | undefined} */
  let basic;
  for (const key of step.auth.mode === 'valid' ? step.auth.schemes : []) {
    const scheme = SECURITY[key];
    if (!scheme) continue;
    if (scheme.type === 'http' && String(scheme.scheme || '').toLowerCase() === 'basic')
      basic = { username: scheme.env.username, password: scheme.env.password };
    else if (scheme.type === 'apiKey' && scheme.in === 'query') queryVars[scheme.name] = scheme.env.token;
    else if (scheme.type === 'apiKey' && scheme.in === 'cookie') cookieVars[scheme.name] = scheme.env.token;
    else if (scheme.type === 'apiKey') headerVars[scheme.name.toLowerCase()] = scheme.env.token;
    else headerVars.authorization = scheme.env.token;
  }
  /** @type {string[]} */
  const shown = [];
  /** @type {string[]} */
  const curl = [];
  request.headers.all().forEach((/** @type {import('postman-collection').Header} */ header) => {
    const name = String(header.key);
    const lower = name.toLowerCase();
    const value = String(header.value);
    if (header.disabled || TRANSPORT_HEADERS.indexOf(lower) >= 0) return;
    if (lower === 'accept' && value === '*/*') return;
    if (lower === 'authorization' && basic) {
      shown.push(name + ': Basic ***');
      return;
    }
    if (headerVars[lower]) {
      const prefix = lower === 'authorization' && value.indexOf(' ') > 0 ? value.split(' ')[0] + ' ' : '';
      shown.push(name + ': ' + prefix + '***');
      curl.push('-H ' + doubleQuoted([name + ': ' + prefix, { env: headerVars[lower] }]));
      return;
    }
    if (lower === 'cookie' && Object.keys(cookieVars).length > 0) {
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
      curl.push('-H ' + doubleQuoted(words));
      return;
    }
    shown.push(name + ': ' + value);
    curl.push('-H ' + singleQuoted(name + ': ' + value));
  });
  const base = request.url.toString().split('?')[0];
  /** @type {Array<string | { env: string }>} */
  const urlWords = [base];
  let shownUrl = base;
  request.url.query
    .all()
    .forEach((/** @type {{ key: string, value?: string | null, disabled?: boolean }} */ param) => {
      if (param.disabled) return;
      const key = String(param.key);
      const value = param.value === null || param.value === undefined ? '' : String(param.value);
      const envVar = queryVars[decodeURIComponent(key)];
      const separator = shownUrl === base ? '?' : '&';
      shownUrl += separator + key + '=' + (envVar ? '***' : value);
      urlWords.push(separator + key + '=', envVar ? { env: envVar } : value);
    });
  const hasVars = urlWords.some((word) => typeof word !== 'string');
  const method = request.method === 'HEAD' ? '--head' : '-X ' + request.method;
  const words = ['curl ' + method + ' ' + (hasVars ? doubleQuoted(urlWords) : singleQuoted(shownUrl))];
  if (basic) words.push('-u ' + doubleQuoted([{ env: basic.username }, ':', { env: basic.password }]));
  words.push.apply(words, curl);
  const body = bodyText(request);
  const lines = ['  request:  ' + request.method + ' ' + shownUrl];
  for (const header of shown) lines.push('            ' + header);
  if (body) {
    lines.push('            ' + cut(body.shown).split('\n').join('\n            '));
    words.push.apply(words, body.curl);
  }
  return { shown: lines, curl: '    ' + words.join(' \\\n      ') };
}

/**
 * @param {import('postman-collection').Request} request
 * @returns {{ shown: string, curl: string[] } | undefined}
 */
function bodyText(request) {
  const body = request.body;
  if (!body || body.disabled || request.method === 'GET' || request.method === 'HEAD') return undefined;
  if (body.mode === 'raw') {
    let raw = String(body.raw || '');
    if (raw === '') return undefined;
    try {
      // The collection writes JSON bodies indented for reading; one line reads better in a failure.
      raw = JSON.stringify(JSON.parse(raw));
    } catch (error) {
      // Not JSON: shown as sent.
    }
    return { shown: raw, curl: ['--data-raw ' + singleQuoted(raw)] };
  }
  if (body.mode === 'urlencoded' && body.urlencoded) {
    /** @type {string[]} */
    const pairs = [];
    body.urlencoded
      .all()
      .forEach((/** @type {{ key: string, value?: string | null, disabled?: boolean }} */ param) => {
        if (!param.disabled)
          pairs.push(encodeURIComponent(String(param.key)) + '=' + encodeURIComponent(String(param.value)));
      });
    return { shown: pairs.join('&'), curl: ['--data-raw ' + singleQuoted(pairs.join('&'))] };
  }
  if (body.mode === 'formdata' && body.formdata) {
    /** @type {string[]} */
    const fields = [];
    body.formdata.all().forEach((/** @type {any} */ param) => {
      if (!param.disabled) fields.push(String(param.key) + '=' + String(/** @type {any} */ (param).value));
    });
    return { shown: fields.join('\n'), curl: fields.map((field) => '-F ' + singleQuoted(field)) };
  }
  return undefined;
}

/** @param {string} text */
function singleQuoted(text) {
  return "'" + text.replace(/'/g, "'\\''") + "'";
}

/**
 * A double-quoted shell word of literal parts and environment variables ($NAME, expanded by the shell).
 * @param {Array<string | { env: string }>} parts
 */
function doubleQuoted(parts) {
  return (
    '"' +
    parts
      .map((part) => (typeof part === 'string' ? part.replace(/(["\\$`])/g, '\\$1') : '$' + part.env))
      .join('') +
    '"'
  );
}

/**
 * The failure text of docs/checks.md: the case, every failed check, the request, the response, a curl line.
 * @param {Exchange} exchange
 * @param {Array<[string, string]>} failed Check name and message of each failed check.
 */
function failureText(exchange, failed) {
  const step = exchange.step;
  const lines = [step.case + ' — ' + step.title + (step.step > 1 ? ' (step ' + step.step + ')' : '')];
  for (const failure of failed) lines.push('  ✗ ' + failure[0] + ': ' + failure[1]);
  const request = describeRequest(step);
  lines.push.apply(lines, request.shown);
  const type = exchange.contentType || '(no Content-Type)';
  lines.push('  response: ' + exchange.status + ' ' + type);
  const shown = exchange.text === '' ? '(no content)' : cut(exchange.text);
  lines.push('            ' + shown.split('\n').join('\n            '));
  lines.push('  reproduce:', request.curl);
  return lines.join('\n');
}

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
