import { isRecord } from '../spec/json-pointer.ts';
import { type BuildContext, warn } from './context.ts';
import type { IrServer } from './types.ts';

/**
 * Servers with `{variables}` replaced by their defaults (or first enum value). A relative URL is resolved
 * against the spec's URL when the spec was fetched over HTTP.
 * @see https://spec.openapis.org/oas/v3.1.0#server-object
 */
export function buildServers(ctx: BuildContext, servers: unknown, pointer: string): IrServer[] {
  if (!Array.isArray(servers)) return [];
  const result: IrServer[] = [];
  servers.forEach((server, i) => {
    if (!isRecord(server) || typeof server.url !== 'string') return;
    const variables = isRecord(server.variables) ? server.variables : {};
    let url = server.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
      const variable = variables[name];
      const value = isRecord(variable)
        ? (variable.default ?? (Array.isArray(variable.enum) ? variable.enum[0] : undefined))
        : undefined;
      if (value === undefined || value === null) {
        warn(ctx, {
          code: 'SERVER_VARIABLE_UNDEFINED',
          pointer: `${pointer}/${i}`,
          message: `server variable '${name}' has no default; left as ${whole}`,
        });
        return whole;
      }
      return String(value);
    });
    if (/^https?:\/\//i.test(ctx.origin) && !/^[a-z][a-z\d+.-]*:/i.test(url)) {
      try {
        url = new URL(url, ctx.origin).href;
      } catch {
        // Not resolvable (odd characters): keep it as written.
      }
    }
    const item: IrServer = { url };
    if (typeof server.description === 'string') item.description = server.description;
    result.push(item);
  });
  return result;
}
