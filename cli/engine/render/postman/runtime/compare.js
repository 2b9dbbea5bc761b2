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
