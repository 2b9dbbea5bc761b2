import type { IncomingMessage } from 'node:http';
import { HttpError, type Reply, readBodyText } from './http-io.ts';
import type { PetStore, StoredOwner, StoredPet } from './pet-store.ts';
import type { PetstoreContract } from './petstore-contract.ts';
import {
  checkApiKey,
  checkBearer,
  checkBody,
  checkPetId,
  checkQuery,
  parseJsonObjectBody,
} from './request-checks.ts';
import type { SutFault } from './sut-faults.ts';

/** Everything a handler needs besides the request. */
export interface HandlerConfig {
  contract: PetstoreContract;
  store: PetStore;
  fault: SutFault | undefined;
  bearerToken: string;
  apiKey: string;
  /** PUTs per pet id, for the `put-not-idempotent` fault. */
  putCounts: Map<number, number>;
}

/** One request as the handlers see it. */
export interface HandlerInput {
  config: HandlerConfig;
  req: IncomingMessage;
  url: URL;
  /** The raw `{petId}` segment on `/pets/{petId}`. */
  pathParam?: string;
}

/** An operation's implementation. */
export type Handler = (input: HandlerInput) => Promise<Reply>;

/** Server-owned (readOnly) Pet fields; never taken from a request body. */
const SERVER_OWNED = new Set(['id', 'createdAt']);
const DEFAULT_LIMIT = 20;

function notFound(id: number): HttpError {
  return new HttpError({ status: 404, code: 'NOT_FOUND', message: `No pet with id ${id}` });
}

function requireBearer({ config, req }: HandlerInput): void {
  if (config.fault !== 'no-auth') checkBearer(req.headers, config.bearerToken);
}

/** Reads, parses and (unless the fault skips it) schema-checks a JSON object body. */
async function readValidBody(input: HandlerInput, operationId: string): Promise<Record<string, unknown>> {
  const text = await readBodyText(input.req);
  const body = parseJsonObjectBody({ contentType: input.req.headers['content-type'], text });
  if (input.config.fault !== 'ignore-body-constraints') checkBody(input.config.contract, operationId, body);
  return Object.fromEntries(Object.entries(body).filter(([key]) => !SERVER_OWNED.has(key)));
}

/** The Pet as sent on the wire (where two of the faults live). */
function toPetBody(pet: StoredPet, fault: SutFault | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = { id: pet.id, ...pet.fields, createdAt: pet.createdAt };
  if (fault === 'wrong-response-type')
    body.age = pet.fields.age === undefined ? 'unknown' : String(pet.fields.age);
  if (fault === 'missing-response-field') delete body.createdAt;
  return body;
}

/** The fields a write stores: all of them, except `tags` under the `write-drops-property` fault. */
function storedFields(fields: Record<string, unknown>, fault: SutFault | undefined): Record<string, unknown> {
  if (fault !== 'write-drops-property') return fields;
  const { tags: _dropped, ...rest } = fields;
  return rest;
}

/** Under `put-not-idempotent`, each PUT of a pet after the first adds one to the age it was sent. */
function repeatedPut(
  config: HandlerConfig,
  id: number,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  if (config.fault !== 'put-not-idempotent') return fields;
  const count = (config.putCounts.get(id) ?? 0) + 1;
  config.putCounts.set(id, count);
  const age = typeof fields.age === 'number' ? fields.age : 0;
  return count === 1 ? fields : { ...fields, age: Math.min(50, age + count - 1) };
}

function toOwnerBody(owner: StoredOwner): Record<string, unknown> {
  return { id: owner.id, ...owner.fields };
}

/** Query handling of the `ignore-query-constraints` fault: takes whatever was sent, unchecked. */
function readQueryUnchecked(query: URLSearchParams): Map<string, string> {
  const values = new Map<string, string>();
  for (const name of ['limit', 'status', 'tag']) {
    const value = query.get(name);
    if (value !== null) values.set(name, value);
  }
  return values;
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_LIMIT;
  const limit = Number.parseInt(raw, 10);
  return Number.isNaN(limit) ? DEFAULT_LIMIT : Math.max(0, limit);
}

/** GET /health */
export const getHealth: Handler = async () => ({ status: 200, body: { status: 'ok' } });

/** GET /pets */
export const listPets: Handler = async (input) => {
  requireBearer(input);
  const { config, url } = input;
  const query =
    config.fault === 'ignore-query-constraints'
      ? readQueryUnchecked(url.searchParams)
      : checkQuery(config.contract, 'listPets', url.searchParams);
  if (config.fault === 'server-error') {
    throw new Error('listPets crashed (seeded fault server-error)');
  }
  const status = config.fault === 'filter-ignored' ? undefined : query.get('status');
  const matching = config.store.listPets({ status, tag: query.get('tag') });
  const items = matching.slice(0, parseLimit(query.get('limit'))).map((pet) => toPetBody(pet, config.fault));
  return { status: 200, body: { items, total: matching.length } };
};

/** POST /pets */
export const createPet: Handler = async (input) => {
  requireBearer(input);
  const fields = await readValidBody(input, 'createPet');
  const pet = input.config.store.createPet(storedFields(fields, input.config.fault));
  return {
    status: input.config.fault === 'undeclared-status' ? 200 : 201,
    // The answer shows what was sent even when the fault does not store all of it.
    body: toPetBody({ ...pet, fields }, input.config.fault),
    headers:
      input.config.fault === 'missing-location-header'
        ? ({} as Record<string, string>)
        : { location: `/pets/${pet.id}` },
  };
};

/** GET /pets/{petId} */
export const getPet: Handler = async (input) => {
  requireBearer(input);
  const { config } = input;
  const id = checkPetId(config.contract, 'getPet', input.pathParam ?? '');
  const pet = config.store.getPet(id);
  if (!pet) throw notFound(id);
  const contentType = config.fault === 'wrong-content-type' ? 'text/plain' : 'application/json';
  return { status: 200, body: toPetBody(pet, config.fault), contentType };
};

/** PUT /pets/{petId}: replaces every writable field. */
export const updatePet: Handler = async (input) => {
  requireBearer(input);
  const { config } = input;
  const id = checkPetId(config.contract, 'updatePet', input.pathParam ?? '');
  const fields = await readValidBody(input, 'updatePet');
  const current = config.store.getPet(id);
  if (!current) throw notFound(id);
  const stored = repeatedPut(config, id, storedFields(fields, config.fault));
  const updated =
    config.fault === 'update-noop' ? { ...current, fields } : config.store.replacePet(id, stored);
  if (!updated) throw notFound(id);
  return {
    status: 200,
    body: toPetBody(
      { ...updated, fields: config.fault === 'put-not-idempotent' ? stored : fields },
      config.fault,
    ),
  };
};

/** DELETE /pets/{petId} */
export const deletePet: Handler = async (input) => {
  requireBearer(input);
  const { config } = input;
  const id = checkPetId(config.contract, 'deletePet', input.pathParam ?? '');
  if (!config.store.getPet(id)) throw notFound(id);
  if (config.fault !== 'delete-noop') config.store.deletePet(id);
  return { status: 204 };
};

/** PATCH /pets/{petId}: not in the spec; only the `undeclared-method-ok` fault answers it. */
export const patchPetUndeclared: Handler = async (input) => {
  requireBearer(input);
  const id = checkPetId(input.config.contract, 'getPet', input.pathParam ?? '');
  const pet = input.config.store.getPet(id);
  if (!pet) throw notFound(id);
  return { status: 200, body: toPetBody(pet, input.config.fault) };
};

/** POST /owners (API key, not bearer). */
export const createOwner: Handler = async (input) => {
  checkApiKey(input.req.headers, input.config.apiKey);
  const fields = await readValidBody(input, 'createOwner');
  return { status: 201, body: toOwnerBody(input.config.store.createOwner(fields)) };
};
