function credential(name) {
  const value = __ENV[name];
  if (!value) throw new Error('environment variable ' + name + ' is not set (pass -e ' + name + '=...)');
  return value;
}

function asText(value) {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function resolve(value, vars) {
  if (Array.isArray(value)) return value.map((item) => resolve(item, vars));
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && typeof value.$var === 'string') {
      if (!(value.$var in vars)) throw new Error(value.$var + ' was not captured by an earlier step');
      return vars[value.$var];
    }
    const out = {};
    for (const key of keys) out[key] = resolve(value[key], vars);
    return out;
  }
  return value;
}

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

function statusMatches(pattern, status) {
  return /^[1-5]XX$/i.test(pattern) ? String(status)[0] === pattern[0] : pattern === String(status);
}

function expectedStatuses(patterns) {
  return http.expectedStatuses(
    ...patterns.map((pattern) => {
      if (!/^[1-5]XX$/i.test(pattern)) return Number(pattern);
      const base = Number(pattern[0]) * 100;
      return { min: base, max: base + 99 };
    }),
  );
}

function declaredResponse(operation, status) {
  const responses = OPERATIONS[operation].responses;
  const candidates = [String(status), String(status)[0] + 'XX', 'DEFAULT'];
  for (const candidate of candidates) {
    const found = responses.find((response) => response.status.toUpperCase() === candidate);
    if (found) return found;
  }
  return undefined;
}

function mediaTypeOf(value) {
  return String(value || '')
    .split(';')[0]
    .trim()
    .toLowerCase();
}

function mediaMatches(declared, actual) {
  const d = mediaTypeOf(declared);
  if (d === '*/*' || d === actual) return true;
  const [dType, dSub] = d.split('/');
  const [aType, aSub] = actual.split('/');
  if (dType !== aType) return false;
  return dSub === '*' || (dSub.startsWith('*+') && aSub.endsWith(dSub.slice(1)));
}

function typeOf(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** The body's top-level shape: its JSON type and the required properties of an object. */
function shapeProblem(shape, text) {
  let body;
  try {
    body = JSON.parse(text);
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

function readPointer(document, pointer) {
  let current = document;
  for (const part of pointer.split('/').slice(1)) {
    const token = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object' || !(token in current)) return undefined;
    current = current[token];
  }
  return current;
}

function runStep(testCase, index, vars) {
  const step = testCase.steps[index];
  const operation = OPERATIONS[step.operation];
  const headers = Object.assign({}, step.headers);
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
  const checks = {};
  checks[label + 'no server error'] = (r) => r.status < 500;
  checks[label + 'status is ' + step.expect.join(' or ')] = (r) =>
    step.expect.some((p) => statusMatches(p, r.status));
  checks[label + 'status is declared'] = () => declared !== undefined;
  if (declared && declared.contents.length > 0 && step.method !== 'HEAD') {
    checks[label + 'content type is declared'] = () => content !== undefined;
    if (content && content.shape) {
      checks[label + 'body shape'] = (r) => shapeProblem(content.shape, r.body) === '';
    }
  }
  check(res, checks);
  for (const name of Object.keys(step.capture || {})) {
    let value;
    try {
      value = readPointer(JSON.parse(res.body), step.capture[name]);
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

function runCase(testCase) {
  const vars = {};
  for (let index = 0; index < testCase.steps.length; index++) {
    if (!runStep(testCase, index, vars)) return;
  }
}
