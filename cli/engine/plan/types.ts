/**
 * The test plan: the contract between planning and rendering. Renderers see only this (never the IR or
 * the raw spec). It is plain JSON and is itself the output of the `json` format.
 *
 * Requests in the plan are fully serialised: path parameters are already encoded into the path parts
 * (per their style/explode), query parameters are name/value string pairs (not yet URL-encoded), header
 * values are strings. A renderer only concatenates, URL-encodes query pairs and sends.
 */
import type { Depth } from '../data/depth.ts';
import type { IrSecurityScheme, JsonSchema } from '../ir/types.ts';

export const CATEGORIES = ['contract', 'negative', 'boundary', 'auth', 'stateful'] as const;
export type Category = (typeof CATEGORIES)[number];

export type { Depth } from '../data/depth.ts';

/**
 * Every check a generated suite runs, by the stable name its failures carry and `SPECMINT_CHECKS` /
 * `SPECMINT_EXCLUDE_CHECKS` take (docs/checks.md says what each one asserts).
 */
export const CHECK_NAMES = [
  // Every response.
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'response_headers_conformance',
  // What a step's status must be, by intent.
  'positive_data_acceptance',
  'negative_data_rejection',
  'negative_format_rejection',
  'auth_enforced',
  'use_after_delete',
  'unsupported_method',
  // Across steps.
  'read_after_write',
  'filter_consistency',
  'idempotence',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

/**
 * Checks a suite skips unless `SPECMINT_CHECKS` names them: rejecting a value only a `format` (int32 range,
 * date-time syntax…) rules out is something the spec does not clearly promise. The requests are still sent,
 * and every other check still applies to their responses.
 */
export const CHECKS_OFF_BY_DEFAULT: readonly CheckName[] = ['negative_format_rejection'];

/** The checks a step's expected statuses can stand for. */
export type StatusCheck = Extract<
  CheckName,
  | 'positive_data_acceptance'
  | 'negative_data_rejection'
  | 'negative_format_rejection'
  | 'auth_enforced'
  | 'use_after_delete'
  | 'unsupported_method'
>;

export interface TestPlan {
  /** Plan format version. */
  planVersion: 2;
  api: { title: string; version: string };
  /** The seed the data was synthesised from. */
  seed: number;
  /** How many inputs the cases got (see {@link Depth}). */
  depth: Depth;
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
  /**
   * Declared response headers (names as written; matched case-insensitively), for
   * `response_headers_conformance`. Absent when none are declared.
   */
  headers?: Array<{ name: string; required: boolean; schema?: JsonSchema }>;
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
  /** Keeps the whole JSON response body under this name, for a later step's `expect.sameAs`. */
  snapshot?: string;
  /**
   * Why the request differs from what the operation declares, for the reader: a body the spec gives a GET
   * or HEAD is not sent (HTTP clients refuse it).
   */
  note?: string;
  /**
   * Text this step's body makes up for the server to keep unique (unique-values.ts): a runtime sends each as
   * another text of the same shape in every run (and every k6 iteration), in this step and the later steps of
   * the case, so that a server still holding an earlier run's resources does not refuse them as duplicates.
   */
  unique?: UniqueText[];
}

/**
 * A made-up text a runtime renames in each run (see {@link TestStep.unique}). The i-th character `c` of a
 * class of `n` characters becomes the class's character `(index(c) + 1 + k mod (n - 1)) mod n`, where `k` is
 * the sum over the run's salt `s` of `code(s[j]) * (i + j + 1)`: every such character changes, and two texts
 * that differ stay different. `classes`: digits, `a-z` and `A-Z` are the classes (a suffix, or a pattern's
 * value that stays valid so); `uuid`: digits, `a-f` and `A-F`, and the version and variant (characters 14
 * and 19) are kept. A text of six characters or more is renamed wherever it occurs in a string the step
 * sends or compares; a shorter one only where a whole string equals it.
 */
export interface UniqueText {
  text: string;
  shape: 'classes' | 'uuid';
}

export interface StepBody {
  mediaType: string;
  /**
   * `json`: `value` is sent as JSON (may contain {@link VarRef} objects to substitute);
   * `form`: `value` is a flat object sent as `application/x-www-form-urlencoded` (a string per field; an
   *   array of strings is one field per item, under the same name);
   * `multipart`: `value` is a flat object sent as multipart fields (strings, or arrays of strings as one
   *   part per item; binary as text);
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
   * Acceptable statuses: exact (`201`) or class (`2XX`, `4XX`); the check {@link check} fails on any other.
   * Separately the status must be declared by the operation, exactly, by class or through `default`
   * (`status_code_conformance`), and a 5xx always fails (`not_a_server_error`).
   */
  status: string[];
  /** The named check the expected statuses stand for (`positive_data_acceptance` for a valid request…). */
  check: StatusCheck;
  /**
   * Statuses (exact or class) that, when the operation does not declare them, only warn: the operation
   * declares no response for this kind of rejection (no 400, 422, 4XX or default for a negative case; no
   * 401, 403, 4XX or default for an auth case), so the spec is silent about which status to use.
   * `status_code_conformance` reports each such status once per operation as a warning, not a failure.
   */
  lenientStatuses?: string[];
  /** Validate the body against the declared schema for the status and content type. @default true */
  validateBody: boolean;
  /**
   * `read_after_write`: values the JSON response body must hold. The value at `pointer` must equal `equals`
   * (which may hold {@link VarRef}s to captured variables); with `format` (`date-time`, `date`, `email`,
   * `uri`…) both sides are normalised first (the same instant, case-insensitive domains…). Objects must hold
   * at least the properties of `equals`; arrays the same items in any order.
   */
  bodyEquals?: Array<{ pointer: string; equals: unknown; format?: string }>;
  /**
   * `filter_consistency`: every item of the JSON array at `pointer` (`''` for the body itself) that has the
   * property `property` holds `equals` there (strings compared exactly, numbers and booleans by value).
   */
  itemsMatch?: { pointer: string; property: string; equals: unknown };
  /**
   * `idempotence`: the JSON body equals the body an earlier step kept with `snapshot` (see
   * {@link TestStep.snapshot}), except at the JSON pointers in `ignore` (properties that change on every
   * write: read-only timestamps, versions).
   */
  sameAs?: { snapshot: string; ignore: string[] };
}

export interface PlanDiagnostic {
  severity: 'warning' | 'info';
  code: string;
  message: string;
  operationId?: string;
  pointer?: string;
  /** The parameter the diagnostic is about (`PATH_PARAM_UNKNOWN_RESOURCE`: the one a `--path-param` fixes). */
  parameter?: string;
}
