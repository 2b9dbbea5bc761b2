/**
 * What a request's pre-request script stores in the local variable 'specmint.step' for this script.
 * @typedef {object} StepExpectation
 * @property {string} case The test case id.
 * @property {number} step 1-based index of the step in the case.
 * @property {string} operation Its operation id (a key of OPERATIONS).
 * @property {string} method
 * @property {string[]} expect Expected statuses: exact ('201') or a class ('4XX').
 * @property {boolean} validateBody Check the Content-Type and the body's schema.
 * @property {Array<{ pointer: string, equals: unknown }>} [bodyEquals] Values the JSON body must hold.
 * @property {Record<string, string>} [capture] Variables to capture: name → JSON pointer in the response body.
 */

/**
 * A declared response (OPERATIONS lists them by operation id): status and media types, with draft-07 schemas.
 * @typedef {{ status: string, contents: Array<{ mediaType: string, schema?: object }> }} DeclaredResponse
 */

const raw = pm.variables.get('specmint.step');
if (raw) {
  pm.variables.unset('specmint.step');
  /** @type {StepExpectation} */
  const step = JSON.parse(raw);
  const label = step.case + ' step ' + step.step + ' (' + step.operation + ')';
  const code = pm.response.code;
  const text = pm.response.text() || '';
  const excerpt = text.length > 300 ? text.slice(0, 300) + '...' : text || '<empty>';
  /** @param {string | undefined} value */
  const mediaTypeOf = (value) =>
    String(value || '')
      .split(';')[0]
      .trim()
      .toLowerCase();
  /**
   * @param {string} pattern
   * @param {number} status
   */
  const statusMatches = (pattern, status) =>
    /^[1-5]XX$/i.test(pattern) ? String(status)[0] === pattern[0] : pattern === String(status);
  /**
   * @param {string} declared
   * @param {string} actual
   */
  const mediaMatches = (declared, actual) => {
    const d = mediaTypeOf(declared);
    if (d === '*/*' || d === actual) return true;
    const [dType, dSub] = d.split('/');
    const [aType, aSub] = actual.split('/');
    if (dType !== aType) return false;
    if (dSub === '*') return true;
    return dSub.startsWith('*+') && aSub.endsWith(dSub.slice(1));
  };
  /** @param {string} mediaType */
  const isJson = (mediaType) => mediaType === 'application/json' || mediaType.endsWith('+json');
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
      const isIndex = Array.isArray(current) && /^(0|[1-9][0-9]*)$/.test(token);
      const has =
        current !== null &&
        typeof current === 'object' &&
        Object.prototype.hasOwnProperty.call(current, token);
      if (!has && !isIndex) return { found: false };
      current = /** @type {Record<string, unknown>} */ (current)[token];
      if (current === undefined) return { found: false };
    }
    return { found: true, value: current };
  };
  /** @param {string} name */
  const variable = (name) => pm.collectionVariables.get(step.case + '.' + name);
  /**
   * The value with every { $var } replaced by the captured variable.
   * @param {any} value Expected JSON, of any shape.
   * @returns {any}
   */
  const substitute = (value) => {
    if (Array.isArray(value)) return value.map(substitute);
    if (value && typeof value === 'object') {
      const keys = Object.keys(value);
      if (keys.length === 1 && typeof value.$var === 'string') return variable(value.$var);
      /** @type {Record<string, unknown>} */
      const out = {};
      for (const key of keys) out[key] = substitute(value[key]);
      return out;
    }
    return value;
  };
  /** @type {unknown} */
  let json;
  /** @type {Error | undefined} */
  let jsonError;
  const body = () => {
    if (json === undefined && jsonError === undefined) {
      try {
        json = JSON.parse(text);
      } catch (error) {
        jsonError = /** @type {Error} */ (error);
      }
    }
    if (jsonError) throw new Error('body is not valid JSON (' + jsonError.message + '): ' + excerpt);
    return json;
  };

  pm.test(label + ': no server error', () => {
    pm.expect(code, 'server error ' + code + '; body: ' + excerpt).to.be.below(500);
  });
  pm.test(label + ': status ' + code + ' is expected (' + step.expect.join(' or ') + ')', () => {
    const ok = step.expect.some((pattern) => statusMatches(pattern, code));
    const message = 'expected status ' + step.expect.join(' or ') + ', got ' + code + '; body: ' + excerpt;
    pm.expect(ok, message).to.be.true;
  });
  /** @type {DeclaredResponse[]} */
  const responses = OPERATIONS[step.operation] || [];
  const candidates = [String(code), String(code)[0] + 'XX', 'default'];
  /** @type {DeclaredResponse | undefined} */
  let declared;
  for (const candidate of candidates) {
    declared =
      declared || responses.find((response) => response.status.toUpperCase() === candidate.toUpperCase());
  }
  pm.test(label + ': status ' + code + ' is declared by ' + step.operation, () => {
    const message = 'status ' + code + ' not declared by ' + step.operation + '; body: ' + excerpt;
    pm.expect(declared, message).to.exist;
  });
  if (declared && step.validateBody && declared.contents.length > 0 && step.method !== 'HEAD') {
    const status = declared.status;
    const contentType = pm.response.headers.get('Content-Type') || '';
    const actual = mediaTypeOf(contentType);
    const matching = declared.contents.filter((content) => mediaMatches(content.mediaType, actual));
    const allowed = declared.contents.map((content) => content.mediaType).join(', ');
    pm.test(label + ': Content-Type is one of ' + allowed, () => {
      const message = 'Content-Type "' + contentType + '" is not one of ' + allowed;
      pm.expect(matching.length > 0, message).to.be.true;
    });
    const content = matching.find((c) => mediaTypeOf(c.mediaType) === actual) || matching[0];
    if (content && content.schema !== undefined && isJson(actual)) {
      const schema = { definitions: DEFINITIONS, allOf: [content.schema] };
      pm.test(label + ': body matches the ' + status + ' ' + actual + ' schema', () => {
        pm.expect(body(), 'body: ' + excerpt).to.be.jsonSchema(schema, { unknownFormats: 'ignore' });
      });
    }
  }
  for (const check of step.bodyEquals || []) {
    pm.test(label + ': ' + check.pointer + ' equals the expected value', () => {
      const wanted = substitute(check.equals);
      const found = readPointer(body(), check.pointer);
      pm.expect(found.found, check.pointer + ' is missing; body: ' + excerpt).to.be.true;
      pm.expect(found.value, check.pointer + '; body: ' + excerpt).to.deep.equal(wanted);
    });
  }
  const capture = step.capture || {};
  for (const name of Object.keys(capture)) {
    const pointer = capture[name];
    pm.test(label + ': captures ' + name + ' from ' + pointer, () => {
      const found = readPointer(body(), pointer);
      const ok = found.found && found.value !== null;
      const message = 'cannot capture ' + name + ': ' + pointer + ' is missing in the body: ' + excerpt;
      pm.expect(ok, message).to.be.true;
      pm.collectionVariables.set(step.case + '.' + name, found.value);
    });
  }
}
