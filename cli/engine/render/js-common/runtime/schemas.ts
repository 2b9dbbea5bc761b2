/**
 * Stand-in for the contract module every generated suite writes beside its runtime (js-common/contract.ts and
 * renderContract in ../render-suite.ts make the real one): it lets the runtime type-check here, with the same
 * declared types, and lets its unit tests fill the tables. Never shipped.
 */
import type { AnySchema } from 'ajv/dist/2020.js';
import type { OperationSpec, SchemeSpec } from './specmint.runtime.ts';

/** The API's title and version (for reports/coverage.json). */
export const api: { title: string; version: string } = { title: 'API', version: '0' };

/** Named schemas, registered with Ajv under their $id. */
export const components: { $id: string; components: { schemas: Record<string, AnySchema> } } = {
  $id: 'specmint:components',
  components: { schemas: {} },
};

/** Declared responses per operation id. */
export const operations: Record<string, OperationSpec> = {};

/** How each security scheme is sent, and the env vars holding its credentials. */
export const securitySchemes: Record<string, SchemeSpec> = {};
