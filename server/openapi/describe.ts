import { type DescribeRouteOptions, resolver } from 'hono-openapi';
import * as z from 'zod';
import { ApiErrorSchema } from '../../shared/contracts.ts';

/**
 * Building blocks of the route descriptions: each route file passes `describeRoute({…})` (hono-openapi)
 * to its registration, with the same zod schemas its handler parses and answers, and `/openapi.json` is
 * generated from the app's route table (server/openapi/document.ts).
 */

type Parameter = Exclude<NonNullable<DescribeRouteOptions['parameters']>[number], { $ref: string }>;
type Schema = Exclude<NonNullable<Parameter['schema']>, { $ref: string }>;

/** Which side of a zod schema to describe: what a client sends (`input`) or what the server answers (`output`). */
type Io = 'input' | 'output';

const componentSchemas = new Map<string, z.ZodType>();

/**
 * `schema` as the component `#/components/schemas/<name>` (zod's JSON Schema, 2020-12 as OpenAPI 3.1 uses),
 * referenced where it is used. One name stands for one schema: a second schema under a used name throws.
 */
export function component(name: string, schema: z.ZodType, io: Io): ReturnType<typeof resolver> {
  const known = componentSchemas.get(name);
  if (known !== undefined && known !== schema) {
    throw new Error(`OpenAPI component ${name} names two different schemas.`);
  }
  componentSchemas.set(name, schema);
  const base = resolver(schema, { options: { io, unrepresentable: 'any' } });
  return {
    ...base,
    toOpenAPISchema: async (options) => {
      const converted = await base.toOpenAPISchema(options);
      // A reference is what an OpenAPI schema position may hold; hono-openapi's type names only inline schemas.
      const reference = { $ref: `#/components/schemas/${name}` } as unknown as typeof converted.schema;
      return {
        schema: reference,
        components: {
          ...converted.components,
          schemas: { ...converted.components?.schemas, [name]: converted.schema },
        },
      };
    },
  };
}

/** `content` of a JSON body described by the component `name`. */
export function json(name: string, schema: z.ZodType, io: Io) {
  return { 'application/json': { schema: component(name, schema, io) } };
}

/** An error response: the `{error:{code,message,requestId}}` envelope; `description` names the codes. */
export function error(description: string) {
  return { description, content: json('Error', ApiErrorSchema, 'output') };
}

/** The failures every authenticated `/v1` route can answer. */
export const AUTH_ERRORS = {
  '401': error('UNAUTHENTICATED: missing, invalid or revoked credentials'),
  '429': error('RATE_LIMITED (see Retry-After)'),
  '503': error('SERVICE_UNAVAILABLE: database unreachable (see Retry-After)'),
};

/** A JSON Schema of `schema` without `$schema` (for parameters, which are not components). */
export function schemaOf(schema: z.ZodType, io: Io): Schema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return rest as Schema;
}

/** The `{id}` path parameter (a UUID). */
export function idParameter(description: string): Parameter {
  return { name: 'id', in: 'path', required: true, description, schema: { type: 'string', format: 'uuid' } };
}

/** One optional query parameter per property of `schema`, each with its description. */
export function queryParameters<T extends z.ZodObject>(
  schema: T,
  descriptions: Record<keyof z.input<T> & string, string>,
): Parameter[] {
  const { properties = {} } = schemaOf(schema, 'input');
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: false,
    description: descriptions[name as keyof typeof descriptions],
    schema: property,
  }));
}
