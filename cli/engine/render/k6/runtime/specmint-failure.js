// SpecMint's k6 runtime, part 3: the text of a failure (docs/checks.md): the case, every failed check, the request
// as sent with valid credentials as ***, the response, and a curl line with each credential as the environment
// variable that holds it.
import { cut, headerValue } from './specmint-compare.js';

/** @typedef {import('./specmint-runtime.js').SecurityScheme} SecurityScheme */
/** @typedef {import('./specmint-runtime.js').Step} Step */
/** @typedef {import('./specmint-runtime.js').SentRequest} SentRequest */

/**
 * Method, URL, headers and body as the failure shows them (valid credentials as ***), and a curl command
 * with each credential as the environment variable that holds it.
 * @param {Record<string, SecurityScheme>} security
 * @param {Step} step
 * @param {SentRequest} request
 */
export function describeRequest(security, step, request) {
  /** @type {Record<string, string>} */
  const headerVars = {};
  /** @type {Record<string, string>} */
  const queryVars = {};
  /** @type {Record<string, string>} */
  const cookieVars = {};
  /** @type {{ username: string, password: string } | undefined} */
  let basic;
  for (const key of step.auth.mode === 'valid' ? step.auth.schemes : []) {
    const scheme = security[key];
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
 * @param {Record<string, SecurityScheme>} security
 * @param {{ id: string, title: string }} testCase
 * @param {Step} step
 * @param {number} index
 * @param {SentRequest} request
 * @param {import('k6/http').RefinedResponse<any>} res
 * @param {Array<[string, string]>} failed
 */
export function failureText(security, testCase, step, index, request, res, failed) {
  const lines = [testCase.id + ' — ' + testCase.title + (index > 0 ? ' (step ' + (index + 1) + ')' : '')];
  for (const failure of failed) lines.push('  ✗ ' + failure[0] + ': ' + failure[1]);
  const described = describeRequest(security, step, request);
  lines.push.apply(lines, described.lines);
  const contentType = headerValue(res.headers, 'Content-Type') || '(no Content-Type)';
  lines.push('  response: ' + res.status + ' ' + contentType);
  const text = typeof res.body === 'string' ? res.body : '';
  lines.push('            ' + (text === '' ? '(no content)' : cut(text)).split('\n').join('\n            '));
  lines.push('  reproduce:', described.curl);
  return lines.join('\n');
}
