/**
 * The intermediate representation (IR): a version-independent view of an API description.
 *
 * Built once from an OpenAPI 3.0 / 3.1 or Swagger 2.0 document by `buildIr`; every later stage (test
 * planning, data synthesis, renderers) reads only this, never the raw spec.
 *
 * Schemas in the IR are JSON Schema 2020-12 (the dialect of OpenAPI 3.1):
 * - OpenAPI 3.0 `nullable: true` becomes a type array that includes `"null"` (or `anyOf` with `{type:"null"}`
 *   when there is no `type`);
 * - 3.0 boolean `exclusiveMinimum`/`exclusiveMaximum` become the numeric 2020-12 form;
 * - `example` is kept, and also `examples` (array) where the spec gave them;
 * - every `$ref` has the form `#/components/schemas/<name>` and resolves in {@link ApiIr.schemas}
 *   (schemas referenced from elsewhere are inlined, or registered under a synthetic name when circular).
 *   Circular references therefore stay references: nothing in the IR is an object cycle, and the IR is
 *   plain JSON (`JSON.stringify` works on it).
 * - OpenAPI keywords that JSON Schema does not know (`discriminator`, `readOnly`, `writeOnly`, `xml`,
 *   `externalDocs`, `deprecated`, `example`, `x-*`) are kept as they are.
 *
 * @see https://spec.openapis.org/oas/v3.1.0#schema-object
 */

/** A JSON Schema (2020-12) object or boolean schema. */
export type JsonSchema = boolean | JsonSchemaObject;

/** A JSON Schema object; keywords are the standard ones, typed loosely on purpose (specs are messy). */
export interface JsonSchemaObject {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  example?: unknown;
  examples?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  not?: JsonSchema;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  readOnly?: boolean;
  writeOnly?: boolean;
  deprecated?: boolean;
  description?: string;
  title?: string;
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
  [keyword: string]: unknown;
}

/** HTTP methods an OpenAPI path item can hold, lower case. */
export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';

/** The whole API. */
export interface ApiIr {
  /** `info.title`. */
  title: string;
  /** `info.version`. */
  version: string;
  /** The version of the source document: `2.0`, `3.0.x` or `3.1.x` as written. */
  sourceVersion: string;
  /** Server URLs, variables substituted with their defaults. Empty when the spec declares none. */
  servers: IrServer[];
  /** Security schemes by their key in `components.securitySchemes` (or `securityDefinitions`). */
  securitySchemes: Record<string, IrSecurityScheme>;
  /** Operations in document order (paths in order, methods in the order of {@link HttpMethod}). */
  operations: IrOperation[];
  /** Named schemas (`components.schemas` plus synthetic names for circular non-component refs). */
  schemas: Record<string, JsonSchema>;
}

export interface IrServer {
  url: string;
  description?: string;
}

/**
 * One security scheme, with the env var names a generated suite reads its credentials from
 * (DESIGN.md: the scheme key in UPPER_SNAKE_CASE).
 */
export interface IrSecurityScheme {
  key: string;
  type: 'apiKey' | 'http' | 'oauth2' | 'openIdConnect' | 'mutualTLS';
  /** For `http`: `bearer`, `basic`, … (lower case). */
  scheme?: string;
  /** For `apiKey`: where the key goes. */
  in?: 'header' | 'query' | 'cookie';
  /** For `apiKey`: the header, query parameter or cookie name. */
  name?: string;
  /**
   * Env var names. `token` for bearer/apiKey/oauth2/openIdConnect (e.g. `BEARER_AUTH`);
   * `username`/`password` for http basic (e.g. `BASIC_AUTH_USERNAME`).
   */
  env: { token?: string; username?: string; password?: string };
}

/**
 * A security requirement: alternatives (OR) of sets (AND) of scheme keys with scopes.
 * `[]` means no security; `[{}]` means security is optional (anonymous allowed).
 * @see https://spec.openapis.org/oas/v3.1.0#security-requirement-object
 */
export type IrSecurity = Array<Record<string, string[]>>;

export interface IrOperation {
  /**
   * Stable unique id: the `operationId` when present and unique, otherwise derived from method and path
   * (`get_pets_petId`), de-duplicated with a numeric suffix. Safe as an identifier in every target
   * language after sanitising (letters, digits, `_`).
   */
  id: string;
  /** `operationId` as written, if any. */
  operationId?: string;
  method: HttpMethod;
  /** Path template as written (`/pets/{petId}`). */
  path: string;
  summary?: string;
  description?: string;
  /** Tags; an operation without tags gets `[]`. */
  tags: string[];
  deprecated: boolean;
  /** Path-item and operation parameters merged (operation wins on name+in). */
  parameters: IrParameter[];
  requestBody?: IrRequestBody;
  /** Responses by status as written: `200`, `2XX`, `default`. */
  responses: IrResponse[];
  /** Effective security (operation-level, else global). */
  security: IrSecurity;
  /** JSON pointer of the operation in the source document, e.g. `/paths/~1pets/get`. */
  pointer: string;
  /** Server URLs that override the API's for this operation. */
  servers?: IrServer[];
}

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

/** @see https://spec.openapis.org/oas/v3.1.0#style-values */
export type ParameterStyle =
  | 'matrix'
  | 'label'
  | 'form'
  | 'simple'
  | 'spaceDelimited'
  | 'pipeDelimited'
  | 'deepObject';

export interface IrParameter {
  name: string;
  in: ParameterLocation;
  /** Path parameters are always required. */
  required: boolean;
  /** Resolved style (defaults: query/cookie `form`, path/header `simple`). */
  style: ParameterStyle;
  /** Resolved explode (default true for `form`, false otherwise). */
  explode: boolean;
  allowReserved: boolean;
  schema: JsonSchema;
  /** Example values: `example` first, then `examples.*.value`. */
  examples: unknown[];
  deprecated: boolean;
  description?: string;
  /** When the parameter uses `content` instead of `schema`, its media type. */
  contentType?: string;
}

export interface IrRequestBody {
  required: boolean;
  description?: string;
  /** By media type, in document order. */
  contents: IrMediaType[];
}

export interface IrMediaType {
  /** e.g. `application/json`, `multipart/form-data`, `application/*`. */
  mediaType: string;
  schema?: JsonSchema;
  /** Example values: media-type `example` first, then `examples.*.value`. */
  examples: unknown[];
  /** For multipart / form bodies: per-property Encoding Object (content type; style and explode as written). */
  encoding?: Record<string, IrEncoding>;
}

export interface IrResponse {
  /** `200`, `2XX`, `default` … as written (upper-cased `XX`). */
  status: string;
  description: string;
  contents: IrMediaType[];
  headers: Record<string, { required: boolean; schema: JsonSchema }>;
  links: IrLink[];
}

/** @see https://spec.openapis.org/oas/v3.1.0#link-object */
export interface IrLink {
  name: string;
  /** The target operation's IR id (resolved from `operationId` or `operationRef`), when it resolves. */
  targetOperation?: string;
  /** Parameter name → runtime expression (`$response.body#/id`) or literal. */
  parameters: Record<string, unknown>;
  requestBody?: unknown;
}

/** A problem found while loading or building, with where it is. */
export interface Diagnostic {
  severity: 'error' | 'warning' | 'info';
  /** Stable code, e.g. `OPERATION_WITHOUT_RESPONSES`. */
  code: string;
  message: string;
  /** JSON pointer into the source document. */
  pointer?: string;
  /** The file the pointer is in (for multi-file specs). */
  file?: string;
  line?: number;
  column?: number;
}

/**
 * One property's Encoding Object of a form or multipart body, as the spec writes it (no defaults applied).
 * @see https://spec.openapis.org/oas/v3.1.0#encoding-object
 */
export interface IrEncoding {
  contentType?: string;
  /** `form`, `spaceDelimited`, `pipeDelimited` or `deepObject` (form bodies only). */
  style?: string;
  explode?: boolean;
}
