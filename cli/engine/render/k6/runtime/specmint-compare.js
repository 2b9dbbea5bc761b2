// SpecMint's k6 runtime, part 2: comparing a response with what the spec declares (statuses, media types, a
// JSON Schema validator of its own, since k6 loads no npm package) and with what was sent (read_after_write,
// filters, idempotence). Pure functions: specmint-runtime.js runs the checks with them.

/** @typedef {import('./specmint-runtime.js').DeclaredResponse} DeclaredResponse */

/** How many characters of a body a failure shows. */
export const BODY_LIMIT = 2000;

/** @param {unknown} value */
export function jsonText(value) {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

/** @param {string} text */
export function cut(text) {
  return text.length > BODY_LIMIT
    ? text.slice(0, BODY_LIMIT) + '… (' + (text.length - BODY_LIMIT) + ' more characters)'
    : text;
}

/** @param {string | undefined} value */
export function mediaTypeOf(value) {
  return String(value || '')
    .split(';')[0]
    .trim()
    .toLowerCase();
}

/**
 * @param {string} declared
 * @param {string} actual
 */
export function mediaMatches(declared, actual) {
  const d = mediaTypeOf(declared);
  if (d === '*/*' || d === actual) return true;
  const [dType, dSub] = d.split('/');
  const [aType, aSub] = actual.split('/');
  if (dType !== aType || aSub === undefined) return false;
  if (dSub === '*') return true;
  return dSub.indexOf('*+') === 0 && aSub.slice(-(dSub.length - 1)) === dSub.slice(1);
}

/** @param {string} mediaType */
export function isJson(mediaType) {
  return mediaType === 'application/json' || /\+json$/.test(mediaType);
}

/**
 * @param {string} pattern Exact ('201') or a class ('4XX').
 * @param {number} status
 */
export function statusMatches(pattern, status) {
  return /^[1-5]XX$/i.test(pattern) ? String(status)[0] === pattern[0] : pattern === String(status);
}

/** @param {string[]} patterns */
export function describeStatuses(patterns) {
  return patterns.map((p) => (/^[1-5]XX$/i.test(p) ? 'a ' + p[0] + 'xx status' : p)).join(' or ');
}

/**
 * @param {DeclaredResponse[]} responses
 * @param {number} status
 */
export function declaredFor(responses, status) {
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
export function readPointer(document, pointer) {
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
export function resolve(value, vars) {
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
export function asText(value) {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * A value the way read_after_write compares it: with a `format`, both sides are normalised first.
 * @param {unknown} value
 * @param {string | undefined} format
 * @returns {unknown}
 */
export function normalised(value, format) {
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
export function sameFilterValue(expected, actual) {
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
  // RFC 4648 base64 in either alphabet (section 4, or section 5's URL-safe one), padded; one alphabet per value.
  byte: /^(?:(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?|(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?)$/,
});

/**
 * OpenAPI's integer formats, checked as the JS runtimes' ajv-formats checks them: an integer, in int32's range
 * (any integer a JSON number can hold is an int64).
 * @type {Record<string, (value: number) => boolean>}
 */
const NUMBER_FORMATS = {
  int32: (value) => Math.floor(value) === value && value >= -(2 ** 31) && value <= 2 ** 31 - 1,
  int64: (value) => Math.floor(value) === value,
};

/** @type {Record<string, RegExp | null>} */
const patternCache = {};

/** @param {string} source */
export function compiledPattern(source) {
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
export function jsonType(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * @param {string} type
 * @param {unknown} value
 */
export function hasType(type, value) {
  if (type === 'integer')
    return typeof value === 'number' && Math.floor(value) === value && Number.isFinite(value);
  if (type === 'number') return typeof value === 'number' && Number.isFinite(value);
  return jsonType(value) === type;
}

/**
 * @param {unknown} a
 * @param {unknown} b
 */
export function sameJson(a, b) {
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
    const format = NUMBER_FORMATS[schema.format];
    if (format && !format(value)) out.push(where + ' must be a valid ' + schema.format);
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
export function someOf(problems, max) {
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
export function coerceHeader(value, schema) {
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
export function headerValue(headers, name) {
  const lower = name.toLowerCase();
  for (const key of Object.keys(headers)) if (key.toLowerCase() === lower) return headers[key];
  return undefined;
}
