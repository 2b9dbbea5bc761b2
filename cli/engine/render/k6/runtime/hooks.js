// Your hooks for load-test.js. SpecMint created this file once and never overwrites or deletes it: change it as
// you like. Each function is optional; a hook that throws fails the request it ran for, naming the hook.

/**
 * Before the run (k6 `setup`): set up data, log in and keep a token. What it returns reaches afterRun.
 * @returns {unknown}
 */
export function beforeRun() {
  return undefined;
}

/**
 * Before each request: add or change headers, sign the request, change the URL or the body.
 * @param {import('./specmint-runtime.js').SentRequest} _request `{ method, url, headers, body }`, changed in place.
 */
export function beforeRequest(_request) {}

/**
 * After each response, before its checks: read values, record what was created (for clean-up).
 * @param {import('./specmint-runtime.js').SentRequest} _request
 * @param {import('k6/http').RefinedResponse<any>} _response
 */
export function afterResponse(_request, _response) {}

/**
 * After the run (k6 `teardown`): clean up.
 * @param {unknown} _data What beforeRun returned.
 */
export function afterRun(_data) {}
