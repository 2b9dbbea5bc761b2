import * as z from 'zod';
import {
  ApiErrorSchema,
  GenerationCompleteSchema,
  GenerationListQuerySchema,
  GenerationListSchema,
  GenerationRecordSchema,
  GenerationRequestSchema,
  GenerationResponseSchema,
  JwksSchema,
  MeSchema,
  TokenCreatedSchema,
  TokenCreateSchema,
  TokenListSchema,
} from '../../shared/contracts.ts';
import { SPECMINT_VERSION } from '../../shared/version.ts';
import { billingPaths, billingSchemas } from '../billing/openapi-paths.ts';

type JsonObject = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject;
  return rest;
}

const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonObject): JsonObject => ({ 'application/json': { schema } });
const error = (description: string): JsonObject => ({ description, content: json(ref('Error')) });

const AUTH_ERRORS = {
  '401': error('UNAUTHENTICATED: missing, invalid or revoked credentials'),
  '429': error('RATE_LIMITED (see Retry-After)'),
  '503': error('SERVICE_UNAVAILABLE: database unreachable (see Retry-After)'),
};

function queryParameters(): JsonObject[] {
  const schema = schemaOf(GenerationListQuerySchema, 'input') as { properties: Record<string, JsonObject> };
  const descriptions: Record<string, string> = {
    limit: 'Page size (1–100).',
    cursor: 'nextCursor of the previous page.',
    q: 'Case-insensitive substring of the spec title.',
    outputFormat: 'Only generations that rendered this format.',
    from: 'Created at or after (ISO date or date-time).',
    to: 'Created before (a date-only value includes that day).',
    format: 'Export every match as csv or json (attachment) instead of one page.',
  };
  return Object.entries(schema.properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: false,
    description: descriptions[name],
    schema: property,
  }));
}

const idParameter = (description: string): JsonObject => ({
  name: 'id',
  in: 'path',
  required: true,
  description,
  schema: { type: 'string', format: 'uuid' },
});

/** Paths of the `/v1` API (the licence server's own API, what the CLI calls). */
function v1Paths(): JsonObject {
  return {
    '/v1/me': {
      get: {
        operationId: 'getMe',
        summary: 'The caller, their plan and usage this billing period',
        responses: { '200': { description: 'OK', content: json(ref('Me')) }, ...AUTH_ERRORS },
      },
    },
    '/v1/generations': {
      post: {
        operationId: 'createGeneration',
        summary: 'Request an entitlement and a signed usage token for one generation',
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: true,
            description: 'Replays return the first answer; the same key with another body is 409.',
            schema: { type: 'string', minLength: 8, maxLength: 200 },
          },
        ],
        requestBody: { required: true, content: json(ref('GenerationRequest')) },
        responses: {
          '201': {
            description:
              'Granted and reserved: `charged` is true when this generation counts against the quota once ' +
              'completed (POST …/complete); release it (POST …/release) when nothing was written.',
            content: json(ref('GenerationResponse')),
          },
          '400': error('VALIDATION_FAILED / BAD_REQUEST'),
          '402': error('QUOTA_EXCEEDED (error.upgradeUrl)'),
          '403': error('FEATURE_NOT_IN_PLAN (error.upgradeUrl), EMAIL_NOT_VERIFIED (Free plan)'),
          '409': error('IDEMPOTENCY_CONFLICT'),
          '413': error('PAYLOAD_TOO_LARGE'),
          '415': error('UNSUPPORTED_MEDIA_TYPE'),
          ...AUTH_ERRORS,
        },
      },
      get: {
        operationId: 'listGenerations',
        summary: "The caller's generation history (paginated, searchable, exportable)",
        parameters: queryParameters(),
        responses: {
          '200': {
            description: 'One page, or with format=json|csv every match as an attachment',
            content: { ...json(ref('GenerationList')), 'text/csv': { schema: { type: 'string' } } },
          },
          '400': error('VALIDATION_FAILED'),
          ...AUTH_ERRORS,
        },
      },
    },
    '/v1/generations/{id}/complete': {
      post: {
        operationId: 'completeGeneration',
        summary: 'Report files, tests and duration of a finished generation',
        parameters: [idParameter('generationId from POST /v1/generations')],
        requestBody: { required: true, content: json(ref('GenerationComplete')) },
        responses: {
          '200': { description: 'Recorded', content: json(ref('GenerationRecord')) },
          '400': error('VALIDATION_FAILED'),
          '404': error('NOT_FOUND (not the caller’s generation)'),
          '409': error('CONFLICT: already completed with other figures, or released'),
          ...AUTH_ERRORS,
        },
      },
    },
    '/v1/generations/{id}/release': {
      post: {
        operationId: 'releaseGeneration',
        summary: 'Give back a generation that wrote nothing: it is not charged',
        description:
          'A 201 from POST /v1/generations reserves the charge (`charged: true` means "counts once completed"). ' +
          'Release it when the run wrote nothing (interrupted, output refused, render failed): the charge is ' +
          'returned at once. A reservation neither completed nor released expires with its usage token (15 min) ' +
          'and is not charged either. Releasing twice is harmless.',
        parameters: [idParameter('generationId from POST /v1/generations')],
        responses: {
          '200': {
            description: 'Released (or already released / expired)',
            content: json(ref('GenerationRecord')),
          },
          '404': error('NOT_FOUND (not the caller’s generation)'),
          '409': error('CONFLICT: already completed (it counts)'),
          ...AUTH_ERRORS,
        },
      },
    },
    '/v1/tokens': {
      get: {
        operationId: 'listTokens',
        summary: "The caller's CI tokens",
        responses: { '200': { description: 'OK', content: json(ref('TokenList')) }, ...AUTH_ERRORS },
      },
      post: {
        operationId: 'createToken',
        summary: 'Create a CI token (shown once; session only)',
        requestBody: { required: true, content: json(ref('TokenCreate')) },
        responses: {
          '201': { description: 'Created', content: json(ref('TokenCreated')) },
          '400': error('VALIDATION_FAILED'),
          '403': error('FORBIDDEN: CI tokens cannot create tokens'),
          '409': error('TOKEN_LIMIT_REACHED'),
          ...AUTH_ERRORS,
        },
      },
    },
    '/v1/tokens/{id}': {
      delete: {
        operationId: 'deleteToken',
        summary: 'Revoke a CI token at once (session only)',
        parameters: [idParameter('Token id')],
        responses: {
          '204': { description: 'Revoked' },
          '403': error('FORBIDDEN: CI tokens cannot revoke tokens'),
          '404': error('NOT_FOUND'),
          ...AUTH_ERRORS,
        },
      },
    },
  };
}

function operationsPaths(): JsonObject {
  const plain = (operationId: string, summary: string, extra: JsonObject = {}): JsonObject => ({
    get: { operationId, summary, security: [], responses: { '200': { description: 'OK' }, ...extra } },
  });
  return {
    '/healthz': plain('getHealth', 'Liveness'),
    '/readyz': plain('getReady', 'Readiness (database reachable)', { '503': error('SERVICE_UNAVAILABLE') }),
    '/.well-known/jwks.json': {
      get: {
        operationId: 'getJwks',
        summary: 'Public keys verifying usage tokens',
        security: [],
        responses: { '200': { description: 'OK', content: json(ref('Jwks')) } },
      },
    },
  };
}

/** The OpenAPI 3.1 description served at `/openapi.json`, built from the shared zod contracts. */
export function buildOpenApiDocument(serverUrl: string): JsonObject {
  return {
    openapi: '3.1.0',
    info: {
      title: 'SpecMint licence server',
      version: SPECMINT_VERSION,
      description:
        'Entitlements, usage tokens, CI tokens and history for the specmint CLI. Accounts and the RFC 8628 ' +
        'device flow live under /api/auth/* (better-auth). Errors: {error:{code,message,requestId}}.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }, { sessionCookie: [] }],
    paths: { ...v1Paths(), ...billingPaths(), ...operationsPaths() },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'A CI token (smk_…) or the session token returned by the device flow.',
        },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'better-auth.session_token' },
      },
      schemas: {
        Error: schemaOf(ApiErrorSchema, 'output'),
        Me: schemaOf(MeSchema, 'output'),
        GenerationRequest: schemaOf(GenerationRequestSchema, 'input'),
        GenerationResponse: schemaOf(GenerationResponseSchema, 'output'),
        GenerationComplete: schemaOf(GenerationCompleteSchema, 'input'),
        GenerationRecord: schemaOf(GenerationRecordSchema, 'output'),
        GenerationList: schemaOf(GenerationListSchema, 'output'),
        TokenCreate: schemaOf(TokenCreateSchema, 'input'),
        TokenCreated: schemaOf(TokenCreatedSchema, 'output'),
        TokenList: schemaOf(TokenListSchema, 'output'),
        Jwks: schemaOf(JwksSchema, 'output'),
        ...billingSchemas(),
      },
    },
  };
}
