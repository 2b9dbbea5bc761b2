import { isRecord } from '../spec/json-pointer.ts';
import { appendPointer, type BuildContext, resolveObject, warn } from './context.ts';
import { assignOperationIds } from './operation-ids.ts';
import { buildParameters } from './parameters.ts';
import { buildRequestBody } from './request-body.ts';
import { buildResponses, type PendingLink } from './responses.ts';
import type { SchemaNormaliser } from './schema-normaliser.ts';
import { effectiveSecurity } from './security.ts';
import { buildServers } from './servers.ts';
import type { HttpMethod, IrOperation, IrSecurityScheme } from './types.ts';

/** Methods in the order operations are listed. */
export const HTTP_METHODS: readonly HttpMethod[] = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
];

/**
 * Every operation under `paths`, in document order (methods in {@link HTTP_METHODS} order), with ids
 * assigned and links resolved. An operation whose path template names a parameter it does not define is
 * skipped with a warning (no request could be built for it).
 * @see https://spec.openapis.org/oas/v3.1.0#path-item-object
 */
export function buildOperations(
  ctx: BuildContext,
  options: { schemas: SchemaNormaliser; securitySchemes: Record<string, IrSecurityScheme> },
): IrOperation[] {
  const operations: IrOperation[] = [];
  const links: PendingLink[] = [];
  const paths = ctx.document.paths;
  if (!isRecord(paths)) return operations;
  for (const [path, rawItem] of Object.entries(paths)) {
    if (path.startsWith('x-') || rawItem === null) continue;
    const itemPointer = appendPointer('/paths', path);
    const item = resolveObject(ctx, rawItem, itemPointer);
    if (!item) continue;
    for (const method of HTTP_METHODS) {
      const raw = item.value[method];
      if (!isRecord(raw)) continue;
      const pointer = appendPointer(itemPointer, method);
      const operation = buildOperation(ctx, {
        ...options,
        path,
        method,
        raw,
        pointer,
        item: item.value,
        itemPointer: item.pointer,
        links,
      });
      if (operation) operations.push(operation);
    }
  }
  const ids = assignOperationIds(ctx, operations);
  operations.forEach((op, i) => {
    op.id = ids[i]!;
  });
  resolveLinks(ctx, operations, links);
  return operations;
}

interface OperationInput {
  schemas: SchemaNormaliser;
  securitySchemes: Record<string, IrSecurityScheme>;
  path: string;
  method: HttpMethod;
  raw: Record<string, unknown>;
  pointer: string;
  item: Record<string, unknown>;
  itemPointer: string;
  links: PendingLink[];
}

function buildOperation(ctx: BuildContext, input: OperationInput): IrOperation | undefined {
  const { raw, pointer, schemas } = input;
  const parameters = buildParameters(ctx, schemas, {
    pathItem: { list: input.item.parameters, pointer: appendPointer(input.itemPointer, 'parameters') },
    operation: { list: raw.parameters, pointer: appendPointer(pointer, 'parameters') },
  });
  const templateNames = [...input.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const missing = templateNames.filter((name) => !parameters.some((p) => p.in === 'path' && p.name === name));
  if (missing.length > 0) {
    warn(ctx, {
      code: 'PATH_PARAMETER_UNDEFINED',
      pointer,
      message: `path parameter${missing.length > 1 ? 's' : ''} ${missing.map((n) => `'${n}'`).join(', ')} of '${input.path}' ${missing.length > 1 ? 'are' : 'is'} not defined; operation skipped`,
    });
    return undefined;
  }
  const unused = parameters.filter((p) => p.in === 'path' && !templateNames.includes(p.name));
  for (const p of unused) {
    warn(ctx, {
      code: 'PATH_PARAMETER_UNUSED',
      pointer,
      message: `path parameter '${p.name}' is not in the path '${input.path}'; ignored`,
    });
  }
  const operation: IrOperation = {
    id: '',
    method: input.method,
    path: input.path,
    tags: Array.isArray(raw.tags) ? raw.tags.filter((t): t is string => typeof t === 'string') : [],
    deprecated: raw.deprecated === true,
    parameters: unused.length > 0 ? parameters.filter((p) => !unused.includes(p)) : parameters,
    responses: buildResponses(ctx, schemas, {
      responses: raw.responses,
      pointer: appendPointer(pointer, 'responses'),
      links: input.links,
    }),
    security: effectiveSecurity(ctx, { operation: raw, pointer, schemes: input.securitySchemes }),
    pointer,
  };
  if (typeof raw.operationId === 'string') operation.operationId = raw.operationId;
  if (typeof raw.summary === 'string') operation.summary = raw.summary;
  if (typeof raw.description === 'string') operation.description = raw.description;
  const body = buildRequestBody(ctx, schemas, raw.requestBody, appendPointer(pointer, 'requestBody'));
  if (body) operation.requestBody = body;
  const servers = Array.isArray(raw.servers) ? raw.servers : input.item.servers;
  const serversPointer = Array.isArray(raw.servers)
    ? appendPointer(pointer, 'servers')
    : appendPointer(input.itemPointer, 'servers');
  if (Array.isArray(servers)) operation.servers = buildServers(ctx, servers, serversPointer);
  return sortKeysLikeContract(operation);
}

/** Same key order for every operation (stable JSON output): the order of the IrOperation contract. */
function sortKeysLikeContract(op: IrOperation): IrOperation {
  const ordered: IrOperation = {
    id: op.id,
    method: op.method,
    path: op.path,
    tags: op.tags,
    deprecated: op.deprecated,
    parameters: op.parameters,
    responses: op.responses,
    security: op.security,
    pointer: op.pointer,
  };
  if (op.operationId !== undefined) ordered.operationId = op.operationId;
  if (op.summary !== undefined) ordered.summary = op.summary;
  if (op.description !== undefined) ordered.description = op.description;
  if (op.requestBody !== undefined) ordered.requestBody = op.requestBody;
  if (op.servers !== undefined) ordered.servers = op.servers;
  return ordered;
}

/**
 * Fills `targetOperation` of each link from its `operationId` (as written in the spec) or `operationRef`
 * (a pointer to an operation in this document, `#/paths/~1pets~1{id}/get`).
 */
function resolveLinks(
  ctx: BuildContext,
  operations: readonly IrOperation[],
  links: readonly PendingLink[],
): void {
  if (links.length === 0) return;
  const byOperationId = new Map<string, string>();
  const byPointer = new Map<string, string>();
  for (const op of operations) {
    if (op.operationId !== undefined && !byOperationId.has(op.operationId))
      byOperationId.set(op.operationId, op.id);
    byPointer.set(op.pointer, op.id);
  }
  for (const pending of links) {
    let target: string | undefined;
    if (pending.operationId !== undefined) target = byOperationId.get(pending.operationId);
    else if (pending.operationRef !== undefined) {
      const hash = pending.operationRef.indexOf('#');
      let fragment = hash === -1 ? '' : pending.operationRef.slice(hash + 1);
      try {
        fragment = decodeURIComponent(fragment);
      } catch {
        // Keep the fragment as written.
      }
      target = byPointer.get(fragment);
    }
    if (target !== undefined) pending.link.targetOperation = target;
    else {
      warn(ctx, {
        code: 'LINK_TARGET_UNRESOLVED',
        pointer: pending.pointer,
        message: `link '${pending.link.name}' points to ${pending.operationId !== undefined ? `operationId '${pending.operationId}'` : pending.operationRef !== undefined ? `operationRef '${pending.operationRef}'` : 'no operation'}, which is not an operation of this API`,
      });
    }
  }
}
