/**
 * The test plan: the contract between planning and rendering. Renderers see only this (never the IR or
 * the raw spec). It is plain JSON and is itself the output of the `json` format.
 *
 * Requests in the plan are fully serialised: path parameters are already encoded into the path parts
 * (per their style/explode), query parameters are name/value string pairs (not yet URL-encoded), header
 * values are strings. A renderer only concatenates, URL-encodes query pairs and sends.
 */
import type { IrSecurityScheme, JsonSchema } from '../ir/types.ts';

export const CATEGORIES = ['contract', 'negative', 'boundary', 'auth', 'stateful'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface TestPlan {
  /** Plan format version. */
  planVersion: 1;
  api: { title: string; version: string };
  /** The seed the data was synthesised from. */
  seed: number;
  /**
   * Path parameter values the user gave (`--path-param owner=octocat`), by parameter name: they name
   * resources that exist, so they are sent as given. Absent when none were given.
   */
  pathParams?: Record<string, string>;
  /** Default base URL from the spec's first server (used only as documentation; suites read BASE_URL). */
  defaultBaseUrl?: string;
  /** Security schemes with the env var names suites read. */
  securitySchemes: Record<string, PlanSecurityScheme>;
  /**
   * The named schemas the plan's operations use, directly or through each other, for response validation
   * (`$ref: '#/components/schemas/X'` resolves here), in their response view: `writeOnly` properties are no
   * longer required. Schemas no operation uses are left out.
   */
  schemas: Record<string, JsonSchema>;
  /** Every operation the plan covers, with what a response may be. */
  operations: PlanOperation[];
  cases: TestCase[];
  /**
   * Valid synthesised records (response view) for every object schema in {@link schemas}, for the `sql`
   * format and for fixtures. Sorted by schema name.
   */
  sampleData: Array<{ schema: string; rows: Array<Record<string, unknown>> }>;
  /** Operations or cases left out, and why. */
  diagnostics: PlanDiagnostic[];
}

/** A security scheme as suites use it (the IR's description: type, placement, env var names). */
export type PlanSecurityScheme = IrSecurityScheme;

export interface PlanOperation {
  id: string;
  method: string;
  /** Path template as written. */
  path: string;
  summary?: string;
  tags: string[];
  /** Declared responses: status (`200`, `2XX`, `default`) → acceptable bodies. */
  responses: PlanResponse[];
}

export interface PlanResponse {
  status: string;
  /** Media type → response-view schema (`undefined` = any body). Empty = no body declared. */
  contents: Array<{ mediaType: string; schema?: JsonSchema }>;
}

/** A value in a request that is only known at run time: a value captured by an earlier step. */
export interface VarRef {
  $var: string;
}

export interface TestCase {
  /** Unique, stable, identifier-safe id: `createPet_contract_1`. */
  id: string;
  category: Category;
  /** The operation under test (for stateful flows: the first step's). */
  operationId: string;
  /** One line saying what is tested: `POST /pets rejects a body without required "name"`. */
  title: string;
  /** Tags of the operation under test. */
  tags: string[];
  /** Set when the case was proposed by an AI model and validated. */
  ai?: { provider: string; model: string };
  /** One step, or several for stateful flows (executed in order, sharing captured variables). */
  steps: TestStep[];
}

export interface TestStep {
  operationId: string;
  /** Upper-case HTTP method. */
  method: string;
  /**
   * Path parts to concatenate: literal strings (already percent-encoded) and variables captured by
   * earlier steps (to be percent-encoded when substituted).
   */
  path: Array<string | VarRef>;
  /** Query pairs (unencoded); repeated names allowed. */
  query: Array<[string, string | VarRef]>;
  /** Headers other than auth and content type. */
  headers: Record<string, string>;
  /** Cookies other than auth. */
  cookies: Record<string, string>;
  body?: StepBody;
  auth: StepAuth;
  expect: StepExpectation;
  /** Variables to capture from the JSON response body: name → JSON pointer (`/id`). */
  capture?: Record<string, string>;
}

export interface StepBody {
  mediaType: string;
  /**
   * `json`: `value` is sent as JSON (may contain {@link VarRef} objects to substitute);
   * `form`: `value` is a flat object sent as `application/x-www-form-urlencoded`;
   * `multipart`: `value` is a flat object sent as multipart fields (strings; binary as text);
   * `text`: `value` is a string sent as is.
   */
  kind: 'json' | 'form' | 'multipart' | 'text';
  value: unknown;
}

/**
 * Which credentials to send. `valid`: the env-var credentials of `schemes` (all of them: an AND set);
 * `none`: nothing; `invalid`: deliberately wrong credentials of `schemes`.
 */
export interface StepAuth {
  mode: 'valid' | 'none' | 'invalid';
  schemes: string[];
}

export interface StepExpectation {
  /**
   * Acceptable statuses: exact (`201`) or class (`2XX`, `4XX`). The response must match one of these
   * AND be declared by the operation (or the operation declares `default`); 5xx always fails.
   */
  status: string[];
  /** Validate the body against the declared schema for the status and content type. @default true */
  validateBody: boolean;
  /**
   * Values the JSON response body must hold: the value at `pointer` must deep-equal `equals` (which may be a
   * {@link VarRef} to a captured variable). Used by stateful flows, e.g. a GET after a PUT shows the new values.
   */
  bodyEquals?: Array<{ pointer: string; equals: unknown }>;
}

export interface PlanDiagnostic {
  severity: 'warning' | 'info';
  code: string;
  message: string;
  operationId?: string;
  pointer?: string;
}
