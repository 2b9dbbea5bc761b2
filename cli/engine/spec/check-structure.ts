import type { Diagnostic } from '../ir/types.ts';
import { appendPointer, isRecord } from './json-pointer.ts';

/**
 * Structural checks of an OpenAPI 3.x document, in one pass over the parts the generator reads.
 *
 * The rule for what is fatal (severity `error`, the load fails) and what only warns:
 * - error: a structure the generator walks has the wrong type (`paths`, a path item, an operation,
 *   `parameters`, `responses`, a response, `requestBody`, `content`, a media type, `components` sections,
 *   `security`), or no `paths` at all (3.0);
 * - warning: anything the generator can work around — a missing response `description`, an operation without
 *   responses, a path parameter that is not `required`, a parameter without a usable `name`/`in` (dropped),
 *   a status code key that is not one, a malformed server
 *   or security scheme (dropped), a non-lower-case method key (ignored), a missing `info`.
 * Broken `$ref`s are errors too (see check-refs.ts). Schemas are checked while they are normalised (IR).
 * @see https://spec.openapis.org/oas/v3.1.0#openapi-object
 */
export function checkStructure(document: Record<string, unknown>, family: '3.0' | '3.1'): Diagnostic[] {
  const c = new Checker();
  c.root(document, family);
  return c.diagnostics;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const LOCATIONS = ['path', 'query', 'header', 'cookie'];
const COMPONENT_SECTIONS = [
  'schemas',
  'responses',
  'parameters',
  'examples',
  'requestBodies',
  'headers',
  'securitySchemes',
  'links',
  'callbacks',
  'pathItems',
];

/** `an array`, `a string`, `null`… for messages. */
export function describeType(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value} (${JSON.stringify(value)?.slice(0, 40)})`;
}

class Checker {
  readonly diagnostics: Diagnostic[] = [];

  private add(severity: Diagnostic['severity'], code: string, pointer: string, message: string): void {
    this.diagnostics.push({ severity, code, pointer, message });
  }

  /** Error unless `value` is an object; returns whether it is. */
  private object(value: unknown, pointer: string, what: string): value is Record<string, unknown> {
    if (isRecord(value)) return true;
    this.add('error', 'WRONG_TYPE', pointer, `${what} must be an object, found ${describeType(value)}`);
    return false;
  }

  root(doc: Record<string, unknown>, family: '3.0' | '3.1'): void {
    if (!isRecord(doc.info))
      this.add('warning', 'INFO_MISSING', '/info', 'the document has no `info` object (title and version)');
    else {
      if (typeof doc.info.title !== 'string')
        this.add('warning', 'INFO_TITLE_MISSING', '/info', '`info.title` should be a string');
      if (typeof doc.info.version !== 'string')
        this.add('warning', 'INFO_VERSION_MISSING', '/info', '`info.version` should be a string');
    }
    this.servers(doc.servers, '/servers');
    if (doc.paths === undefined) {
      if (family === '3.0' || (doc.webhooks === undefined && doc.components === undefined)) {
        this.add('error', 'NO_PATHS', '', 'the document has no `paths`: there are no operations to test');
      } else {
        this.add('warning', 'NO_PATHS', '', 'the document has no `paths`: there are no operations to test');
      }
    } else if (this.object(doc.paths, '/paths', '`paths`')) {
      for (const [path, item] of Object.entries(doc.paths)) this.pathItem(path, item);
    }
    if (doc.security !== undefined) this.security(doc.security, '/security');
    if (doc.components !== undefined && this.object(doc.components, '/components', '`components`')) {
      this.components(doc.components);
    }
  }

  private servers(servers: unknown, pointer: string): void {
    if (servers === undefined) return;
    if (!Array.isArray(servers)) {
      this.add('error', 'WRONG_TYPE', pointer, `\`servers\` must be a list, found ${describeType(servers)}`);
      return;
    }
    servers.forEach((server, i) => {
      if (!isRecord(server) || typeof server.url !== 'string') {
        this.add(
          'warning',
          'SERVER_INVALID',
          `${pointer}/${i}`,
          'a server needs a `url` string; this one is ignored',
        );
      }
    });
  }

  private pathItem(path: string, item: unknown): void {
    if (path.startsWith('x-')) return;
    const pointer = appendPointer('/paths', path);
    if (!path.startsWith('/'))
      this.add('warning', 'PATH_INVALID', pointer, `path '${path}' should start with '/'`);
    if (item === null) {
      this.add('warning', 'PATH_ITEM_EMPTY', pointer, 'the path has no operations');
      return;
    }
    if (!this.object(item, pointer, 'a path item')) return;
    this.pathItemBody(item, pointer);
  }

  private pathItemBody(item: Record<string, unknown>, pointer: string): void {
    if (typeof item.$ref === 'string') return;
    this.parameterList(item.parameters, appendPointer(pointer, 'parameters'));
    if (item.servers !== undefined) this.servers(item.servers, appendPointer(pointer, 'servers'));
    for (const [key, operation] of Object.entries(item)) {
      const opPointer = appendPointer(pointer, key);
      if (METHODS.includes(key)) {
        if (operation === null)
          this.add('warning', 'OPERATION_EMPTY', opPointer, 'the operation is empty; ignored');
        else if (this.object(operation, opPointer, 'an operation')) this.operation(operation, opPointer);
      } else if (METHODS.includes(key.toLowerCase())) {
        this.add(
          'warning',
          'METHOD_CASE',
          opPointer,
          `method keys are lower case: '${key}' is ignored (use '${key.toLowerCase()}')`,
        );
      }
    }
  }

  private operation(op: Record<string, unknown>, pointer: string): void {
    this.parameterList(op.parameters, appendPointer(pointer, 'parameters'));
    if (op.requestBody !== undefined) this.requestBody(op.requestBody, appendPointer(pointer, 'requestBody'));
    const responsesPointer = appendPointer(pointer, 'responses');
    if (op.responses === undefined || (isRecord(op.responses) && Object.keys(op.responses).length === 0)) {
      this.add('warning', 'OPERATION_WITHOUT_RESPONSES', pointer, 'the operation declares no responses');
    } else if (this.object(op.responses, responsesPointer, '`responses`')) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (status.startsWith('x-')) continue;
        const p = appendPointer(responsesPointer, status);
        if (!/^([1-5](\d\d|XX)|default)$/i.test(status)) {
          this.add(
            'warning',
            'STATUS_INVALID',
            p,
            `'${status}' is not a status code, a range like 2XX, or default; ignored`,
          );
        } else {
          this.response(response, p);
        }
      }
    }
    if (op.security !== undefined) this.security(op.security, appendPointer(pointer, 'security'));
    if (op.operationId !== undefined && typeof op.operationId !== 'string') {
      this.add(
        'warning',
        'OPERATION_ID_INVALID',
        appendPointer(pointer, 'operationId'),
        '`operationId` should be a string; ignored',
      );
    }
    if (op.tags !== undefined && !Array.isArray(op.tags)) {
      this.add(
        'warning',
        'TAGS_INVALID',
        appendPointer(pointer, 'tags'),
        '`tags` should be a list of strings; ignored',
      );
    }
    if (op.servers !== undefined) this.servers(op.servers, appendPointer(pointer, 'servers'));
  }

  private parameterList(list: unknown, pointer: string): void {
    if (list === undefined) return;
    if (!Array.isArray(list)) {
      this.add('error', 'WRONG_TYPE', pointer, `\`parameters\` must be a list, found ${describeType(list)}`);
      return;
    }
    list.forEach((parameter, i) => {
      this.parameter(parameter, `${pointer}/${i}`);
    });
  }

  private parameter(parameter: unknown, pointer: string): void {
    if (!this.object(parameter, pointer, 'a parameter') || typeof parameter.$ref === 'string') return;
    // A parameter the generator cannot place is dropped (IR) rather than failing the whole spec.
    if (typeof parameter.name !== 'string' || parameter.name === '') {
      this.add('warning', 'PARAMETER_INVALID', pointer, 'a parameter needs a `name`; ignored');
      return;
    }
    if (typeof parameter.in !== 'string' || !LOCATIONS.includes(parameter.in)) {
      const hint =
        parameter.in === 'body' || parameter.in === 'formData'
          ? ' (Swagger 2.0 locations: use requestBody in OpenAPI 3)'
          : '';
      this.add(
        'warning',
        'PARAMETER_INVALID',
        appendPointer(pointer, 'in'),
        `parameter \`in\` must be one of ${LOCATIONS.join(', ')}, found ${describeType(parameter.in)}${hint}; ignored`,
      );
      return;
    }
    if (parameter.in === 'path' && parameter.required !== true) {
      this.add(
        'warning',
        'PATH_PARAMETER_NOT_REQUIRED',
        pointer,
        `path parameter '${String(parameter.name)}' must have \`required: true\`; treated as required`,
      );
    }
    if (parameter.schema === undefined && parameter.content === undefined) {
      this.add(
        'warning',
        'PARAMETER_WITHOUT_SCHEMA',
        pointer,
        `parameter '${String(parameter.name)}' has neither \`schema\` nor \`content\`; any value is accepted`,
      );
    }
    this.schemaSlot(parameter.schema, appendPointer(pointer, 'schema'));
    if (parameter.content !== undefined) this.content(parameter.content, appendPointer(pointer, 'content'));
  }

  private requestBody(body: unknown, pointer: string): void {
    if (!this.object(body, pointer, '`requestBody`') || typeof body.$ref === 'string') return;
    if (body.content === undefined)
      this.add('warning', 'REQUEST_BODY_WITHOUT_CONTENT', pointer, 'the request body has no `content`');
    else this.content(body.content, appendPointer(pointer, 'content'));
  }

  private response(response: unknown, pointer: string): void {
    if (!this.object(response, pointer, 'a response') || typeof response.$ref === 'string') return;
    if (typeof response.description !== 'string') {
      this.add(
        'warning',
        'RESPONSE_WITHOUT_DESCRIPTION',
        pointer,
        'a response needs a `description` (OpenAPI requires it)',
      );
    }
    if (response.content !== undefined) this.content(response.content, appendPointer(pointer, 'content'));
    if (
      response.headers !== undefined &&
      this.object(response.headers, appendPointer(pointer, 'headers'), '`headers`')
    ) {
      for (const [name, header] of Object.entries(response.headers))
        this.header(header, appendPointer(appendPointer(pointer, 'headers'), name));
    }
    if (response.links !== undefined && !isRecord(response.links)) {
      this.add(
        'warning',
        'LINKS_INVALID',
        appendPointer(pointer, 'links'),
        '`links` should be an object; ignored',
      );
    }
  }

  private header(header: unknown, pointer: string): void {
    if (!this.object(header, pointer, 'a header') || typeof header.$ref === 'string') return;
    this.schemaSlot(header.schema, appendPointer(pointer, 'schema'));
    if (header.content !== undefined) this.content(header.content, appendPointer(pointer, 'content'));
  }

  private content(content: unknown, pointer: string): void {
    if (!this.object(content, pointer, '`content`')) return;
    for (const [mediaType, media] of Object.entries(content)) {
      const p = appendPointer(pointer, mediaType);
      if (this.object(media, p, 'a media type object'))
        this.schemaSlot(media.schema, appendPointer(p, 'schema'));
    }
  }

  private schemaSlot(schema: unknown, pointer: string): void {
    if (schema !== undefined && !isRecord(schema) && typeof schema !== 'boolean') {
      this.add('error', 'WRONG_TYPE', pointer, `a schema must be an object, found ${describeType(schema)}`);
    }
  }

  private security(security: unknown, pointer: string): void {
    if (!Array.isArray(security)) {
      this.add(
        'error',
        'WRONG_TYPE',
        pointer,
        `\`security\` must be a list of requirement objects, found ${describeType(security)}`,
      );
      return;
    }
    security.forEach((requirement, i) => {
      const p = `${pointer}/${i}`;
      if (!this.object(requirement, p, 'a security requirement')) return;
      for (const [scheme, scopes] of Object.entries(requirement)) {
        if (!Array.isArray(scopes))
          this.add(
            'warning',
            'SECURITY_SCOPES_INVALID',
            appendPointer(p, scheme),
            'scopes should be a list (use [] for none)',
          );
      }
    });
  }

  private components(components: Record<string, unknown>): void {
    for (const section of COMPONENT_SECTIONS) {
      const value = components[section];
      const pointer = `/components/${section}`;
      if (value === undefined || !this.object(value, pointer, `\`components.${section}\``)) continue;
      for (const [name, entry] of Object.entries(value)) {
        const p = appendPointer(pointer, name);
        if (section === 'parameters') this.parameter(entry, p);
        else if (section === 'responses') this.response(entry, p);
        else if (section === 'requestBodies') this.requestBody(entry, p);
        else if (section === 'headers') this.header(entry, p);
        else if (section === 'schemas') this.schemaSlot(entry, p);
        else if (section === 'securitySchemes') this.securityScheme(entry, p);
        else if (section === 'pathItems' && this.object(entry, p, 'a path item')) this.pathItemBody(entry, p);
      }
    }
  }

  private securityScheme(scheme: unknown, pointer: string): void {
    if (!this.object(scheme, pointer, 'a security scheme') || typeof scheme.$ref === 'string') return;
    const problem = securitySchemeProblem(scheme);
    if (problem) this.add('warning', 'SECURITY_SCHEME_INVALID', pointer, `${problem}; the scheme is ignored`);
  }
}

/** What makes a security scheme unusable, or undefined when it is fine. */
export function securitySchemeProblem(scheme: Record<string, unknown>): string | undefined {
  switch (scheme.type) {
    case 'apiKey':
      if (typeof scheme.name !== 'string') return 'an apiKey scheme needs a `name`';
      if (scheme.in !== 'header' && scheme.in !== 'query' && scheme.in !== 'cookie')
        return 'an apiKey scheme needs `in`: header, query or cookie';
      return undefined;
    case 'http':
      return typeof scheme.scheme === 'string'
        ? undefined
        : 'an http scheme needs a `scheme` (bearer, basic…)';
    case 'oauth2':
    case 'openIdConnect':
    case 'mutualTLS':
      return undefined;
    default:
      return `unknown security scheme type ${describeType(scheme.type)} (expected apiKey, http, oauth2, openIdConnect, mutualTLS)`;
  }
}
