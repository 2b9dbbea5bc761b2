import { securitySchemeProblem } from '../spec/check-structure.ts';
import { isRecord } from '../spec/json-pointer.ts';
import { appendPointer, type BuildContext, resolveObject, warn } from './context.ts';
import { toUpperSnake, uniqueName } from './naming.ts';
import type { IrSecurity, IrSecurityScheme } from './types.ts';

/**
 * Security schemes from `components.securitySchemes`, each with the env var names a generated suite reads
 * (DESIGN.md): the key in UPPER_SNAKE_CASE as `token`, or `<KEY>_USERNAME`/`<KEY>_PASSWORD` for http basic.
 * Unusable schemes (the loader already warned) are left out. Env names are unique across schemes.
 * @see https://spec.openapis.org/oas/v3.1.0#security-scheme-object
 */
export function buildSecuritySchemes(ctx: BuildContext): Record<string, IrSecurityScheme> {
  const components = ctx.document.components;
  const raw = isRecord(components) ? components.securitySchemes : undefined;
  const schemes: Record<string, IrSecurityScheme> = {};
  const taken = new Set<string>();
  if (!isRecord(raw)) return schemes;
  for (const [key, value] of Object.entries(raw)) {
    const pointer = appendPointer('/components/securitySchemes', key);
    const located = resolveObject(ctx, value, pointer);
    if (!located || securitySchemeProblem(located.value) !== undefined) continue;
    const s = located.value;
    const type = s.type as IrSecurityScheme['type'];
    const scheme: IrSecurityScheme = { key, type, env: {} };
    if (type === 'http') scheme.scheme = (s.scheme as string).toLowerCase();
    if (type === 'apiKey') {
      scheme.in = s.in as IrSecurityScheme['in'];
      scheme.name = s.name as string;
    }
    const base = toUpperSnake(key);
    if (type === 'http' && scheme.scheme === 'basic') {
      const name = unique(ctx, { base, taken, pointer });
      scheme.env = { username: `${name}_USERNAME`, password: `${name}_PASSWORD` };
    } else if (type !== 'mutualTLS') {
      scheme.env = { token: unique(ctx, { base, taken, pointer }) };
    }
    schemes[key] = scheme;
  }
  return schemes;
}

function unique(ctx: BuildContext, options: { base: string; taken: Set<string>; pointer: string }): string {
  const name = uniqueName(options.base, options.taken);
  if (name !== options.base) {
    warn(ctx, {
      code: 'SECURITY_ENV_NAME_CLASH',
      pointer: options.pointer,
      message: `another security scheme already uses the env var name ${options.base}; this one reads ${name}`,
    });
  }
  return name;
}

/**
 * Effective security of an operation: its own `security` when present (even `[]`), else the document's.
 * Alternatives naming an undefined scheme are dropped with a warning.
 * @see https://spec.openapis.org/oas/v3.1.0#security-requirement-object
 */
export function effectiveSecurity(
  ctx: BuildContext,
  options: { operation: Record<string, unknown>; pointer: string; schemes: Record<string, IrSecurityScheme> },
): IrSecurity {
  const own = options.operation.security;
  const list = Array.isArray(own) ? own : ctx.document.security;
  const at = Array.isArray(own) ? appendPointer(options.pointer, 'security') : '/security';
  if (!Array.isArray(list)) return [];
  const result: IrSecurity = [];
  list.forEach((requirement, i) => {
    if (!isRecord(requirement)) return;
    const unknown = Object.keys(requirement).filter((key) => !Object.hasOwn(options.schemes, key));
    if (unknown.length > 0) {
      warn(ctx, {
        code: 'UNKNOWN_SECURITY_SCHEME',
        pointer: `${at}/${i}`,
        message: `security requirement names ${unknown.map((k) => `'${k}'`).join(', ')}, not a usable scheme in components.securitySchemes; this alternative is ignored`,
      });
      return;
    }
    const normalised: Record<string, string[]> = {};
    for (const [key, scopes] of Object.entries(requirement)) {
      normalised[key] = Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string') : [];
    }
    result.push(normalised);
  });
  return result;
}
