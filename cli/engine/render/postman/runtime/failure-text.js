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
