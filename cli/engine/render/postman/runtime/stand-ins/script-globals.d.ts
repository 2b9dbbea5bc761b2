/**
 * What the Postman sandbox and the generated collection give the runtime scripts, for their type check only
 * (../tsconfig.json): `pm` and chai as postman-sandbox (newman's sandbox) types them for test scripts, and the
 * tables the collection test script declares above the checks (collection-script.ts).
 */
/// <reference types="postman-collection/types" />
/// <reference types="postman-sandbox/types/sandbox/test" />

declare global {
  /** Declared responses per operation id. */
  const OPERATIONS: Record<string, DeclaredResponse[]>;
  /** Named schemas (draft-07), referenced from the response schemas as #/definitions/…. */
  const DEFINITIONS: Record<string, object>;
}

export {};
