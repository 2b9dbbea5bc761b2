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
