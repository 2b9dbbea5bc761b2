/**
 * Finds which operation creates the resource a path parameter names, and where the new resource's id is in
 * the creating response — from OpenAPI links first, else inferred from paths and schemas
 * (`POST /pets` creates what `/pets/{petId}` addresses; `petId` comes from the response's `id`).
 * @see https://spec.openapis.org/oas/v3.1.0#link-object
 */
import type { ApiIr, IrOperation, JsonSchema, JsonSchemaObject } from '../ir/types.ts';
import { appendPointer } from '../spec/json-pointer.ts';
import { successJsonResponse } from './statuses.ts';

/** How to obtain a value for one path parameter at run time. */
export interface Producer {
  /** The operation that creates the resource (e.g. `POST /pets`). */
  op: IrOperation;
  /** JSON pointer of the id in the producer's success response body (`/id`). */
  pointer: string;
  /**
   * Found by a guess past the collection the path names (a creator under another resource, or of a resource a
   * body names): used only where every path parameter of the producer names a resource that is created or
   * given too, never a made-up value.
   */
  guessed?: boolean;
}

/** Resolves `#/components/schemas/X` references (a bounded number of hops). */
export function resolveSchema(
  ir: Pick<ApiIr, 'schemas'>,
  schema: JsonSchema | undefined,
): JsonSchemaObject | undefined {
  let current = schema;
  for (let hops = 0; hops < 10; hops += 1) {
    if (typeof current !== 'object' || current === null) return undefined;
    if (typeof current.$ref !== 'string') return current;
    current = ir.schemas[current.$ref.slice('#/components/schemas/'.length)];
  }
  return undefined;
}

/** Top-level properties of an object schema, following refs and merging `allOf`. */
export function objectProperties(
  ir: Pick<ApiIr, 'schemas'>,
  schema: JsonSchema | undefined,
  depth = 0,
): Record<string, JsonSchema> {
  const resolved = resolveSchema(ir, schema);
  if (!resolved || depth > 5) return {};
  const merged: Record<string, JsonSchema> = {};
  for (const part of resolved.allOf ?? []) Object.assign(merged, objectProperties(ir, part, depth + 1));
  Object.assign(merged, resolved.properties ?? {});
  return merged;
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The last word of a parameter name: `issue_number` → `number`, `petId` → `id`, `team-slug` → `slug`. */
function lastWord(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return normalise(words.at(-1) ?? name);
}

/**
 * Picks the property of the created resource that a path parameter most likely refers to: the property of
 * the same name, else the one named by the parameter's last word (`{issue_number}` → `number`,
 * `{team_slug}` → `slug`, `{petId}` → `id`), else `id`. A parameter ending in "name" (`{username}`) is
 * never matched by a guess: a resource's `name` or `id` is rarely its user name.
 */
export function inferIdProperty(
  paramName: string,
  properties: Record<string, JsonSchema>,
): string | undefined {
  const names = Object.keys(properties);
  const wanted = normalise(paramName);
  const exact = names.find((n) => n === paramName) ?? names.find((n) => normalise(n) === wanted);
  if (exact) return exact;
  if (wanted.endsWith('name')) return undefined;
  const word = lastWord(paramName);
  if (word !== wanted) {
    const byWord = names.find((n) => normalise(n) === word);
    if (byWord) return byWord;
  }
  return names.includes('id') ? 'id' : undefined;
}

/** The `$ref` a schema is, if it is one. */
function refOf(schema: JsonSchema | undefined): string | undefined {
  return typeof schema === 'object' && schema !== null && typeof schema.$ref === 'string'
    ? schema.$ref
    : undefined;
}

/** `$response.body#/id` → `/id`. */
function pointerFromExpression(expression: unknown): string | undefined {
  if (typeof expression !== 'string') return undefined;
  const match = /^\$response\.body#(\/.*)?$/.exec(expression.trim());
  return match ? (match[1] ?? '') : undefined;
}

/** The collection path a parameter's item path hangs off: `/pets/{petId}` → `/pets`. */
function collectionPath(path: string, paramName: string): string | undefined {
  const slot = `/{${paramName}}`;
  const index = path.indexOf(slot);
  if (index <= 0 && !path.startsWith(slot)) return undefined;
  return path.slice(0, index);
}

/** Looks up producers of path parameters; built once per planning run (lookups are memoised). */
export interface ProducerIndex {
  find(op: IrOperation, paramName: string): Producer | undefined;
  /**
   * What a property of `op`'s request body refers to, when its name says it holds the id of another resource
   * (`venueId`, `customer_id`) and the spec has such a resource (a path segment or a schema of that name): a
   * {@link Reference}, with the operation that creates one when there is one. Undefined for a property that
   * refers to nothing the spec names, or to the resource `op`'s own path addresses.
   */
  reference(op: IrOperation, property: string, schema: JsonSchema | undefined): Reference | undefined;
}

/** What a body property refers to ({@link ProducerIndex.reference}). */
export interface Reference {
  /** How to create the referenced resource, when an operation of the spec does. */
  producer?: Producer;
}

/**
 * `venueId`, `venue_id`, `venueUUID` → `venue`, and a list of them (`labelIds`, `label_ids`) → `label`;
 * undefined for a plain `id` or a name that is not an id.
 */
export function referenceStem(name: string): string | undefined {
  const match = /^(.*[a-z0-9])[-_]?(?:id|Id|ID|uuid|Uuid|UUID)(?:s|S)?$/.exec(name);
  if (!match?.[1]) return undefined;
  const stem = normalise(match[1]);
  return stem.length >= 2 ? stem : undefined;
}

/** The words that name the resource `stem`, normalised: `venue`, `venues`, `venuees`; `categories`. */
function stemWords(stem: string): string[] {
  return [stem, `${stem}s`, `${stem}es`, ...(stem.endsWith('y') ? [`${stem.slice(0, -1)}ies`] : [])];
}

/** Whether a path segment or schema name names the resource `stem` (`venues`, `Venue`, `categories`). */
function namesStem(name: string, stem: string): boolean {
  return stemWords(stem).includes(normalise(name));
}

/** The parameter a path ends with: `/accounts/{iban}` → `iban`; undefined for `/accounts`. */
function lastParam(path: string): string | undefined {
  return /\/\{([^}]+)\}$/.exec(path)?.[1];
}

/** The literal segments of a path: `/events/{eventId}/bookings` → `events`, `bookings`. */
function literalSegments(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '' && !segment.includes('{'));
}

/** The JSON type a schema declares, when it declares one; of its items for an array (a list of ids). */
function declaredType(ir: ApiIr, schema: JsonSchema | undefined): string | undefined {
  const resolved = resolveSchema(ir, schema);
  if (resolved?.type === 'array' && resolved.items !== undefined && !Array.isArray(resolved.items))
    return declaredType(ir, resolved.items as JsonSchema);
  const type = resolved?.type;
  return typeof type === 'string' ? (type === 'integer' ? 'number' : type) : undefined;
}

/**
 * Roles a person plays (`authorId`, `assignee_id`, `ownerId`): the spec's resource of people is what such an
 * id names when no resource is named after the role itself.
 */
const PERSON_ROLES = new Set([
  'author',
  'assignee',
  'owner',
  'creator',
  'reviewer',
  'approver',
  'reporter',
  'requester',
  'requestor',
  'sender',
  'recipient',
  'manager',
  'editor',
  'commenter',
  'organizer',
  'host',
  'buyer',
  'seller',
]);
/**
 * Parameter names too common to say which resource a body property with that name refers to (`GET
 * /things/{name}` does not make every `name` a reference).
 */
const GENERIC_PARAMS = new Set([
  'id',
  'uuid',
  'key',
  'name',
  'slug',
  'code',
  'number',
  'version',
  'type',
  'format',
]);
/** Resources of people, normalised, in the order they are looked for. */
const PEOPLE = ['user', 'users', 'member', 'members', 'person', 'persons', 'people', 'account', 'accounts'];

/** Indexes links by target operation and creating operations by collection path. */
export function createProducerIndex(ir: ApiIr): ProducerIndex {
  const linksByTarget = new Map<
    string,
    Array<{ source: IrOperation; parameters: Record<string, unknown> }>
  >();
  const postsByPath = new Map<string, IrOperation>();
  const getsByPath = new Map<string, IrOperation>();
  // The words that name resources (path segments, schema names); the creators by their path's last segment,
  // normalised; the item reads by the name of the parameter that ends their path (`GET /accounts/{iban}`
  // under `iban`, a name a body property can hold such an item's identifier by). Each lookup is then a few
  // map reads.
  const resourceWords = new Set<string>(Object.keys(ir.schemas).map(normalise));
  const creatorsByWord = new Map<string, IrOperation[]>();
  const readsByParam = new Map<string, IrOperation[]>();
  for (const op of ir.operations) {
    if (op.method === 'post' && !postsByPath.has(op.path)) postsByPath.set(op.path, op);
    if (op.method === 'get' && !getsByPath.has(op.path)) getsByPath.set(op.path, op);
    const segments = literalSegments(op.path);
    for (const segment of segments) resourceWords.add(normalise(segment));
    const last = lastParam(op.path);
    if (op.method === 'post' && last === undefined && segments.length > 0) {
      const word = normalise(segments.at(-1) as string);
      creatorsByWord.set(word, [...(creatorsByWord.get(word) ?? []), op]);
    }
    const key = last === undefined ? '' : normalise(last);
    if (op.method === 'get' && key.length >= 3 && !GENERIC_PARAMS.has(key))
      readsByParam.set(key, [...(readsByParam.get(key) ?? []), op]);
    for (const response of op.responses) {
      if (!response.status.startsWith('2')) continue;
      for (const link of response.links) {
        if (!link.targetOperation) continue;
        const list = linksByTarget.get(link.targetOperation) ?? [];
        list.push({ source: op, parameters: link.parameters });
        linksByTarget.set(link.targetOperation, list);
      }
    }
  }
  /**
   * The creator of a resource addressed at the top level but created under another one: `POST
   * /events/{eventId}/bookings` for `/bookings/{bookingId}`. Only when no operation creates it at its own
   * collection, the creator's path ends in the same collection name, and it answers with the very schema the
   * item is read as (one `$ref`), so that it is the same kind of thing.
   */
  const nestedCreator = (op: IrOperation, paramName: string, collection: string): IrOperation | undefined => {
    const name = literalSegments(collection).at(-1);
    if (name === undefined || collection !== `/${literalSegments(collection).join('/')}`) return undefined;
    const itemPath = op.path.slice(0, op.path.indexOf(`{${paramName}}`) + paramName.length + 2);
    const read = getsByPath.get(itemPath);
    const readRef = refOf(read ? successJsonResponse(read)?.media?.schema : undefined);
    if (readRef === undefined) return undefined;
    return (creatorsByWord.get(normalise(name)) ?? []).find(
      (post) => post.path !== collection && refOf(successJsonResponse(post)?.media?.schema) === readRef,
    );
  };
  const memo = new Map<string, Producer | undefined>();
  const compute = (op: IrOperation, paramName: string): Producer | undefined => {
    for (const link of linksByTarget.get(op.id) ?? []) {
      if (link.source === op) continue;
      const pointer = pointerFromExpression(link.parameters[paramName]);
      if (pointer !== undefined && pointer !== '') return { op: link.source, pointer };
    }
    const collection = collectionPath(op.path, paramName);
    if (collection === undefined) return undefined;
    const exact = postsByPath.get(collection);
    const creator = exact ?? nestedCreator(op, paramName, collection);
    if (!creator) return identifiedCreator(op, paramName);
    if (creator === op) return undefined;
    const success = successJsonResponse(creator);
    if (!success?.media?.schema) return undefined;
    const property = inferIdProperty(paramName, objectProperties(ir, success.media.schema));
    if (!property) return undefined;
    const pointer = appendPointer('', property);
    return exact ? { op: creator, pointer } : { op: creator, pointer, guessed: true };
  };
  function find(op: IrOperation, paramName: string): Producer | undefined {
    const key = `${op.id}\u0000${paramName}`;
    if (!memo.has(key)) memo.set(key, compute(op, paramName));
    return memo.get(key);
  }
  // A body property named after an item read's last parameter (`iban`, `fromIban`, `target_iban`).
  const namedIdentifier = (op: IrOperation, property: string): Reference | undefined => {
    const words = property
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .split(/[^A-Za-z0-9]+/)
      .map(normalise)
      .filter((word) => word !== '');
    for (let start = 0; start < words.length; start++) {
      const key = words.slice(start).join('');
      const reads = readsByParam.get(key);
      if (reads?.length !== 1) continue;
      const read = reads[0] as IrOperation;
      // The path of `op` itself names one (`POST /accounts/{iban}/deposits`): that is the one meant.
      if (op.parameters.some((p) => p.in === 'path' && normalise(p.name) === key)) return undefined;
      // `op` writes such an item itself (`PATCH /users/{id}` with `username`): the property is its own.
      const written = refOf(successJsonResponse(op)?.media?.schema);
      if (written !== undefined && written === refOf(successJsonResponse(read)?.media?.schema))
        return undefined;
      const producer = find(read, lastParam(read.path) as string);
      if (producer?.op === op) return undefined;
      return producer ? { producer } : {};
    }
    return undefined;
  };
  // A path parameter named after the identifier another item path ends with (`/rooms/{buildingCode}/…` and
  // `GET /buildings/{buildingCode}`), when nothing creates items under its own collection: that item's creator.
  const identifiedCreator = (op: IrOperation, paramName: string): Producer | undefined => {
    const reads = readsByParam.get(normalise(paramName));
    if (reads?.length !== 1) return undefined;
    const read = reads[0] as IrOperation;
    if (read === op || read.path === op.path) return undefined;
    const producer = find(read, lastParam(read.path) as string);
    return producer && producer.op !== op ? { ...producer, guessed: true } : undefined;
  };
  const referenceMemo = new Map<string, Reference | undefined>();
  const computeReference = (
    op: IrOperation,
    property: string,
    schema: JsonSchema | undefined,
  ): Reference | undefined => {
    const stem = referenceStem(property);
    if (stem === undefined) return namedIdentifier(op, property);
    // `eventId` in a body sent under /events/{eventId}: the path already says which one.
    if (literalSegments(op.path).some((segment) => namesStem(segment, stem))) return undefined;
    let words = stemWords(stem);
    if (!words.some((word) => resourceWords.has(word)) && PERSON_ROLES.has(stem))
      words = PEOPLE.filter((word) => resourceWords.has(word));
    if (!words.some((word) => resourceWords.has(word))) {
      // An id of something the spec does not name (`externalId`, `device_id`) still names something: a made-up
      // one may name nothing. Only names marked as ids, of a type an id has (not `paid`, `valid`).
      const type = declaredType(ir, schema);
      const marked = /[a-z0-9](?:Id|ID|Uuid|UUID)s?$|[-_](?:id|ID|uuid|UUID)s?$/.test(property);
      return marked && (type === undefined || type === 'string' || type === 'number') ? {} : undefined;
    }
    const wanted = declaredType(ir, schema);
    // The creators of such resources, those with the fewest path parameters first (`POST /venues`).
    const creators = words
      .flatMap((word) => creatorsByWord.get(word) ?? [])
      .filter((post) => post !== op)
      .sort((a, b) => a.path.split('{').length - b.path.split('{').length);
    for (const creator of creators) {
      const success = successJsonResponse(creator);
      if (!success?.media?.schema) continue;
      const properties = objectProperties(ir, success.media.schema);
      const id = inferIdProperty(property, properties);
      if (id === undefined) continue;
      const idType = declaredType(ir, properties[id]);
      if (wanted !== undefined && idType !== undefined && wanted !== idType) continue;
      return {
        producer: { op: creator, pointer: appendPointer('', id), guessed: true },
      };
    }
    return {};
  };
  return {
    find,
    reference(op, property, schema) {
      const key = `${op.id}\u0000${property}`;
      if (!referenceMemo.has(key)) referenceMemo.set(key, computeReference(op, property, schema));
      return referenceMemo.get(key);
    },
  };
}
