/**
 * What the Postman sandbox and the generated collection give the runtime scripts, for their type check only
 * (../tsconfig.json): `pm` and chai as postman-sandbox (newman's sandbox) types them for test scripts, the
 * sandbox's `require`, the tables the collection test script declares above the checks (collection-script.ts),
 * and `specmint`, the functions the collection's scripts share with the requests' scripts.
 */
/// <reference types="postman-collection/types" />
/// <reference types="postman-sandbox/types/sandbox/test" />

declare global {
  /** A security scheme: its type, where an API key goes, and the env vars holding the credential. */
  interface SecurityScheme {
    type: string;
    scheme?: string;
    in?: string;
    name: string;
    env: Record<string, string>;
  }
  /** An operation: method, path, the credentials its valid requests send, its declared responses. */
  interface OperationEntry {
    method: string;
    path: string;
    credentials: string[];
    responses: DeclaredResponse[];
  }
  /** The API's title and version. */
  const API: { title: string; version: string };
  /** Every check's name. */
  const CHECK_NAMES: string[];
  /** Checks that run only when SPECMINT_CHECKS names them. */
  const CHECKS_OFF_BY_DEFAULT: string[];
  /** Security schemes by key. */
  const SECURITY: Record<string, SecurityScheme>;
  /** Operations by id. */
  const OPERATIONS: Record<string, OperationEntry>;
  /** Named schemas (draft-07), referenced from the response schemas as #/definitions/…. */
  const DEFINITIONS: Record<string, object>;
  /** The functions the collection's scripts define for the requests' scripts. */
  var specmint: {
    checkResponse?: (scriptPm: typeof pm, step: StepSpec) => void;
    prepareStep?: (scriptPm: typeof pm, spec: PrepareSpec) => void;
    /** Ajv, compiled validators by schema text, and whose definitions they use (see validatorFor). */
    ajv?: SandboxAjv;
    validators?: Record<string, ((data: unknown) => boolean) & { errors?: unknown[] | null }>;
    validatorsOwner?: string;
  };
  /** The sandbox's module loader (ajv, lodash, …). */
  function require(name: 'ajv'): new (options: object) => SandboxAjv;
  /** The sandbox's Ajv 6, as far as the runtime uses it. */
  interface SandboxAjv {
    compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown[] | null };
    addFormat(name: string, format: RegExp | { type: 'number'; validate: (value: number) => boolean }): void;
  }
  /** pm.execution in a pre-request script can skip the request (postman-sandbox ≥ 4.3). */
  interface Execution {
    skipRequest(): void;
  }
}

export {};
