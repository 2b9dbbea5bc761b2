/**
 * What a request's pre-request script passes to specmint.prepareStep: the case it belongs to, and the values
 * earlier steps captured that its URL, form fields or JSON body use (as `{{name.url}}`, `{{name.text}}`,
 * `{{name.json}}`).
 * @typedef {object} PrepareSpec
 * @property {string} case The test case id.
 * @property {number} step 1-based index of the step in the case.
 * @property {string[]} [clear] Names the case captures: forgotten when its first step starts.
 * @property {string[]} [url] Captured values used in the URL (percent-encoded).
 * @property {string[]} [text] Captured values used as form fields (as text).
 * @property {string[]} [json] Captured values used in a JSON body (as JSON).
 * @property {Array<[string, string]>} [unique] Texts this step made up for the server to keep unique, with
 *   their shape: this run sends them renamed, here and in the later steps of the case (the request is
 *   rewritten; a step of a case that renames carries the property, empty when it makes up nothing itself).
 */

// BASE_URL convention: no trailing slash, so "{{baseUrl}}/path" never doubles it.
const baseUrl = String(pm.variables.get('baseUrl') || '');
if (baseUrl.endsWith('/')) pm.variables.set('baseUrl', baseUrl.replace(/\/+$/, ''));

/**
 * Makes the values earlier steps of the case captured available to this request. When one is missing (an
 * earlier step failed), the request is not sent: its URL or body would be wrong, and the failure of the earlier
 * step already says why.
 * @param {typeof pm} scriptPm The `pm` of the calling script.
 * @param {PrepareSpec} spec
 */
function prepareStep(scriptPm, spec) {
  for (const name of spec.clear || []) scriptPm.collectionVariables.unset(spec.case + '.' + name);
  if (spec.step === 1) scriptPm.collectionVariables.unset(spec.case + '.renames');
  if (spec.unique) renameRequest(scriptPm, spec);
  /** @param {unknown} value */
  const asText = (value) => (typeof value === 'string' ? value : JSON.stringify(value));
  /** @type {string[]} */
  const missing = [];
  /** @param {string} name */
  const captured = (name) => {
    const value = scriptPm.collectionVariables.get(spec.case + '.' + name);
    if (value === undefined || value === null) missing.push(name);
    return value;
  };
  for (const name of spec.url || [])
    scriptPm.variables.set(name + '.url', encodeURIComponent(asText(captured(name))));
  for (const name of spec.text || []) scriptPm.variables.set(name + '.text', asText(captured(name)));
  for (const name of spec.json || []) scriptPm.variables.set(name + '.json', JSON.stringify(captured(name)));
  if (missing.length === 0) return;
  console.warn(
    'SpecMint: ' +
      spec.case +
      ' step ' +
      spec.step +
      ' is not sent: ' +
      missing.join(', ') +
      ' was not captured by an earlier step (see its failure)',
  );
  scriptPm.execution.skipRequest();
}

/**
 * Adds the renamings of the texts `spec.unique` lists to the case's (collection variable `<case>.renames`), and
 * rewrites the request's URL, headers and body with all of them.
 * @param {typeof pm} scriptPm
 * @param {PrepareSpec} spec
 */
function renameRequest(scriptPm, spec) {
  /** @type {Array<[string, string]>} */
  const renames = JSON.parse(String(scriptPm.collectionVariables.get(spec.case + '.renames') || '[]'));
  for (const [text, shape] of spec.unique || [])
    renames.push([text, renamedText(text, shape, runSalt(scriptPm))]);
  scriptPm.collectionVariables.set(spec.case + '.renames', JSON.stringify(renames));
  if (renames.length === 0) return;
  /** @param {string} text */
  const rename = (text) => renameText(text, renames);
  const request = scriptPm.request;
  // Part by part, so that a short text is renamed where a whole path segment or query value equals it.
  if (Array.isArray(request.url.path)) request.url.path = request.url.path.map(rename);
  for (const param of request.url.query.all()) {
    if (param.value !== null && param.value !== undefined) param.value = rename(String(param.value));
  }
  for (const header of request.headers.all()) header.value = rename(String(header.value));
  const body = request.body;
  if (!body) return;
  // A raw body is JSON text (or plain text): a short text is renamed where a whole JSON string equals it.
  if (body.mode === 'raw') {
    /** @type {Array<[string, string]>} */
    const quoted = renames.map(([from, to]) => [JSON.stringify(from), JSON.stringify(to)]);
    body.raw = renameText(String(body.raw), [...renames.filter(([from]) => from.length >= 6), ...quoted]);
  }
  const fields =
    body.mode === 'urlencoded' ? body.urlencoded : body.mode === 'formdata' ? body.formdata : undefined;
  for (const field of fields ? fields.all() : []) {
    if (typeof field.value === 'string') field.value = rename(field.value);
  }
}

/**
 * This run's salt, kept in the collection variable `specmint.salt`: SPECMINT_RUN_ID when set (to send the
 * values of a run again), else random.
 * @param {typeof pm} scriptPm
 */
function runSalt(scriptPm) {
  let salt = scriptPm.collectionVariables.get('specmint.salt');
  if (!salt) {
    salt = String(scriptPm.variables.get('SPECMINT_RUN_ID') || '') || Math.random().toString(36).slice(2, 10);
    scriptPm.collectionVariables.set('specmint.salt', salt);
  }
  return String(salt);
}

/**
 * `text` as a run with `salt` sends it: each digit or letter another of its kind (`uuid`: hex digits, the
 * version and variant kept); two texts that differ stay different.
 * @param {string} text
 * @param {string} shape `classes` or `uuid`
 * @param {string} salt
 */
function renamedText(text, shape, salt) {
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
    for (let j = 0; j < salt.length; j++) k += salt.charCodeAt(j) * (i + j + 1);
    out += members.charAt((members.indexOf(char) + 1 + (k % (members.length - 1))) % members.length);
  }
  return out;
}

/**
 * `text` with every renamed text replaced (one of six characters or more wherever it occurs, a shorter one
 * only as the whole text).
 * @param {string} text
 * @param {Array<[string, string]>} renames
 */
function renameText(text, renames) {
  let out = text;
  for (const [from, to] of renames) {
    if (from.length >= 6) out = out.split(from).join(to);
    else if (out === from) out = to;
  }
  return out;
}

// The functions the requests' pre-request scripts call. The collection's scripts and a request's run in one
// sandbox, where a name assigned without a declaration is shared by all of them (postman-sandbox, newman, the app).
if (typeof specmint === 'undefined') specmint = {};
specmint.prepareStep = prepareStep;

// The user's hook (hooks.postman_environment.json): runs before each request's own pre-request script.
const beforeRequestHook = pm.variables.get('specmint.hooks.beforeRequest');
if (beforeRequestHook) {
  try {
    // biome-ignore lint/security/noGlobalEval: the hook is script text the user keeps in the environment file
    eval(String(beforeRequestHook));
  } catch (error) {
    throw new Error(
      'the hook specmint.hooks.beforeRequest (hooks.postman_environment.json) failed: ' +
        /** @type {Error} */ (error).message,
    );
  }
}
