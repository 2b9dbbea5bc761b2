import { isRecord } from '../spec/json-pointer.ts';
import type { LoadedSpec } from '../spec/load-spec.ts';
import { type BuildContext, warn } from './context.ts';
import { buildOperations } from './operations.ts';
import { SchemaNormaliser } from './schema-normaliser.ts';
import { buildSecuritySchemes } from './security.ts';
import { buildServers } from './servers.ts';
import type { ApiIr, Diagnostic } from './types.ts';

/**
 * Builds the IR (see types.ts) from a loaded spec in one walk over `paths` and `components.schemas`; no
 * dereferencing of the whole document. Pure and deterministic: the same spec gives a deep-equal,
 * JSON-identical IR. The result is plain JSON (no cycles). Problems it works around come back as warnings.
 */
export function buildIr(spec: LoadedSpec): { ir: ApiIr; diagnostics: Diagnostic[] } {
  const document = spec.document;
  const ctx: BuildContext = {
    document,
    family: spec.sourceVersion.startsWith('3.1') ? '3.1' : '3.0',
    origin: spec.origin,
    diagnostics: [],
  };
  const schemas = new SchemaNormaliser(ctx);
  schemas.normaliseComponents();
  const securitySchemes = buildSecuritySchemes(ctx);
  const operations = buildOperations(ctx, { schemas, securitySchemes });
  if (isRecord(document.webhooks) && Object.keys(document.webhooks).length > 0) {
    warn(ctx, {
      severity: 'info',
      code: 'WEBHOOKS_IGNORED',
      pointer: '/webhooks',
      message: 'webhooks are not tested (only operations under paths are)',
    });
  }
  const info = isRecord(document.info) ? document.info : {};
  const ir: ApiIr = {
    title: typeof info.title === 'string' && info.title.trim() !== '' ? info.title : 'API',
    version: info.version === undefined || info.version === null ? '' : String(info.version),
    sourceVersion: spec.sourceVersion,
    servers: buildServers(ctx, document.servers, '/servers'),
    securitySchemes,
    operations,
    schemas: schemas.schemas,
  };
  return { ir, diagnostics: ctx.diagnostics };
}
