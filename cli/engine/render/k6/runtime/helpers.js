/**
 * A contract case: the requests of one test, in order (CASES lists them by operation).
 * @typedef {object} Case
 * @property {string} id
 * @property {string} title
 * @property {Step[]} steps
 */

/**
 * One request of a case, and the statuses its response may have.
 * @typedef {object} Step
 * @property {string} operation Its operation id (a key of OPERATIONS).
 * @property {string} method
 * @property {Array<string | VarRef>} path Literal parts (already percent-encoded) and captured variables.
 * @property {Array<[string, string | VarRef]>} query Name and value pairs, not encoded.
 * @property {Record<string, string>} headers
 * @property {Record<string, string>} cookies
 * @property {Body} [body]
 * @property {{ mode: 'valid' | 'invalid' | 'none', schemes: string[] }} auth Credentials of every scheme listed.
 * @property {string[]} expect Expected statuses: exact ('201') or a class ('4XX').
 * @property {Record<string, string>} [capture] Variables to capture: name → JSON pointer in the response body.
 */

/**
 * A value captured by an earlier step of the same case.
 * @typedef {{ $var: string }} VarRef
 */

/**
 * A request body; JSON values may hold VarRefs, form and multipart ones are flat objects.
 * @typedef {{ kind: 'json', mediaType: string, value: unknown }
 *   | { kind: 'text', mediaType: string, value: unknown }
 *   | { kind: 'form' | 'multipart', mediaType: string, value: Record<string, unknown> }} Body
 */

/**
 * What an operation may answer (OPERATIONS lists them by operation id).
 * @typedef {object} Operation
 * @property {string} path
 * @property {Array<{ status: string, contents: Content[] }>} responses
 */

/**
 * A declared media type and, for JSON, the top-level shape of its body.
 * @typedef {{ mediaType: string, shape?: BodyShape }} Content
 */

/**
 * A body's JSON types and the required properties of an object.
 * @typedef {{ types: string[], required: string[] }} BodyShape
 */

/**
 * A security scheme (SECURITY_SCHEMES lists them by key): where its credential goes ('in' and 'name' of an API
 * key, 'scheme' of an HTTP one) and the env vars holding it ('token', or 'username' and 'password' for basic).
 * @typedef {{ type: 'apiKey', in: 'header' | 'query' | 'cookie', name: string, scheme?: string, env: Record<string, string> }
 *   | { type: 'http' | 'oauth2' | 'openIdConnect', scheme?: string, env: Record<string, string> }} SecurityScheme
 */

/** @param {string} name */
function credential(name) {
  const value = __ENV[name];
  if (!value) throw new Error('environment variable ' + name + ' is not set (pass -e ' + name + '=...)');
  return value;
}

/** @param {unknown} value */
function asText(value) {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The value with every VarRef replaced by the captured value.
 * @param {any} value Plan JSON, of any shape.
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

/**
 * @param {Step['auth']} auth
 * @param {Record<string, string>} headers
 * @param {Array<[string, string]>} query
 * @param {string[]} cookies
 */
function applyAuth(auth, headers, query, cookies) {
  if (auth.mode === 'none') return;
  const invalid = auth.mode === 'invalid';
  for (const key of auth.schemes) {
    const scheme = SECURITY_SCHEMES[key];
    const kind = (scheme.scheme || '').toLowerCase();
    if (scheme.type === 'http' && kind === 'basic') {
      const user = invalid ? 'invalid-specmint-user' : credential(scheme.env.username);
      const password = invalid ? 'invalid-specmint-password' : credential(scheme.env.password);
      headers.Authorization = 'Basic ' + encoding.b64encode(user + ':' + password);
      continue;
    }
    const value = invalid ? INVALID_CREDENTIAL : credential(scheme.env.token);
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
 * @param {Body | undefined} body
 * @param {Record<string, string>} headers
 * @param {Record<string, unknown>} vars
 */
function encodeBody(body, headers, vars) {
  if (!body) return null;
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
  for (const name of Object.keys(body.value)) fields[name] = asText(resolve(body.value[name], vars));
  if (body.kind === 'form') {
    headers['Content-Type'] = body.mediaType;
    return Object.keys(fields)
      .map((name) => encodeURIComponent(name) + '=' + encodeURIComponent(fields[name]))
      .join('&');
  }
  // Built by hand: k6 only sends an object body as multipart when a field is a file.
  headers['Content-Type'] = 'multipart/form-data; boundary=' + MULTIPART_BOUNDARY;
  const parts = Object.keys(fields).map((name) => {
    const disposition = `Content-Disposition: form-data; name="${name.replace(/"/g, '%22')}"`;
    return `--${MULTIPART_BOUNDARY}\r\n${disposition}\r\n\r\n${fields[name]}\r\n`;
  });
  return parts.join('') + '--' + MULTIPART_BOUNDARY + '--\r\n';
}

/**
 * @param {string} pattern
 * @param {number} status
 */
function statusMatches(pattern, status) {
  return /^[1-5]XX$/i.test(pattern) ? String(status)[0] === pattern[0] : pattern === String(status);
}

/** @param {string[]} patterns */
function expectedStatuses(patterns) {
  return http.expectedStatuses(
    ...patterns.map((pattern) => {
      if (!/^[1-5]XX$/i.test(pattern)) return Number(pattern);
      const base = Number(pattern[0]) * 100;
      return { min: base, max: base + 99 };
    }),
  );
}

/**
 * @param {string} operation
 * @param {number} status
 */
function declaredResponse(operation, status) {
  const responses = OPERATIONS[operation].responses;
  const candidates = [String(status), String(status)[0] + 'XX', 'DEFAULT'];
  for (const candidate of candidates) {
    const found = responses.find((response) => response.status.toUpperCase() === candidate);
    if (found) return found;
  }
  return undefined;
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
  if (dType !== aType) return false;
  return dSub === '*' || (dSub.startsWith('*+') && aSub.endsWith(dSub.slice(1)));
}

/** @param {unknown} value */
function typeOf(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/**
 * What is wrong with the body's top-level shape: its JSON type, the required properties of an object.
 * @param {BodyShape} shape
 * @param {import('k6/http').ResponseBody} text The body, as text unless a responseType says otherwise.
 */
function shapeProblem(shape, text) {
  let body;
  try {
    body = JSON.parse(String(text));
  } catch (error) {
    return 'body is not JSON';
  }
  const actual = typeOf(body);
  const typeOk =
    shape.types.length === 0 ||
    shape.types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
  if (!typeOk) return 'body is ' + actual + ', expected ' + shape.types.join(' or ');
  if (actual === 'object') {
    const missing = shape.required.filter((name) => !(name in body));
    if (missing.length > 0) return 'body lacks required ' + missing.join(', ');
  }
  return '';
}

/**
 * @param {unknown} document
 * @param {string} pointer
 * @returns {unknown}
 */
function readPointer(document, pointer) {
  let current = document;
  for (const part of pointer.split('/').slice(1)) {
    const token = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object' || !(token in current)) return undefined;
    current = /** @type {Record<string, unknown>} */ (current)[token];
  }
  return current;
}

/**
 * Sends one step and checks its response; false when a capture failed (the case stops).
 * @param {Case} testCase
 * @param {number} index
 * @param {Record<string, unknown>} vars
 */
function runStep(testCase, index, vars) {
  const step = testCase.steps[index];
  const operation = OPERATIONS[step.operation];
  const headers = Object.assign({}, step.headers);
  /** @type {Array<[string, string]>} */
  const query = step.query.map((pair) => [pair[0], asText(resolve(pair[1], vars))]);
  const cookies = Object.keys(step.cookies).map((name) => name + '=' + step.cookies[name]);
  applyAuth(step.auth, headers, query, cookies);
  if (cookies.length > 0) headers.Cookie = cookies.join('; ');
  const path = step.path
    .map((part) => (typeof part === 'string' ? part : encodeURIComponent(asText(resolve(part, vars)))))
    .join('');
  const search = query
    .map((pair) => encodeURIComponent(pair[0]) + '=' + encodeURIComponent(pair[1]))
    .join('&');
  const url = BASE_URL + path + (search ? '?' + search : '');
  const body = encodeBody(step.body, headers, vars);
  const res = http.request(step.method, url, body, {
    headers: headers,
    redirects: 0,
    tags: { name: step.method + ' ' + operation.path, case: testCase.id },
    responseCallback: expectedStatuses(step.expect),
  });
  const declared = declaredResponse(step.operation, res.status);
  const label = testCase.id + ' step ' + (index + 1) + ': ';
  const content = declared
    ? declared.contents.find((c) => mediaMatches(c.mediaType, mediaTypeOf(res.headers['Content-Type'])))
    : undefined;
  /** @type {Record<string, (r: typeof res) => boolean>} */
  const checks = {};
  checks[label + 'no server error'] = (r) => r.status < 500;
  checks[label + 'status is ' + step.expect.join(' or ')] = (r) =>
    step.expect.some((p) => statusMatches(p, r.status));
  checks[label + 'status is declared'] = () => declared !== undefined;
  if (declared && declared.contents.length > 0 && step.method !== 'HEAD') {
    checks[label + 'content type is declared'] = () => content !== undefined;
    const shape = content && content.shape;
    if (shape) checks[label + 'body shape'] = (r) => shapeProblem(shape, r.body) === '';
  }
  check(res, checks);
  const capture = step.capture || {};
  for (const name of Object.keys(capture)) {
    let value;
    try {
      value = readPointer(JSON.parse(String(res.body)), capture[name]);
    } catch (error) {
      value = undefined;
    }
    const captured = value !== undefined && value !== null;
    check(res, { [label + 'captures ' + name]: () => captured });
    if (!captured) return false;
    vars[name] = value;
  }
  return true;
}

/** @param {Case} testCase */
function runCase(testCase) {
  /** @type {Record<string, unknown>} */
  const vars = {};
  for (let index = 0; index < testCase.steps.length; index++) {
    if (!runStep(testCase, index, vars)) return;
  }
}
