/**
 * A tiny preprocessor that turns one annotated source template into TypeScript (ESM) or plain JavaScript
 * (CommonJS). It lets the vitest, playwright and jest suites share one runtime, so they behave the same.
 *
 * Markers:
 * - line directives `//#if FLAG`, `//#if !FLAG`, `//#else`, `//#endif` (nestable) keep or drop lines;
 * - inline type annotations `/*: T*\/` → `: T`, `/*as T*\/` → ` as T`, `/*<T>*\/` → `<T>` in TypeScript,
 *   removed in JavaScript;
 * - in CommonJS output, `export function|const|class NAME` loses `export` and NAME is collected into one
 *   `module.exports = { … }` line at the end.
 */

/** Options of {@link preprocessTemplate}. */
export interface TemplateOptions {
  /** Flags the `//#if` directives test. */
  flags: Record<string, boolean>;
  /** Keep the inline type annotations (TypeScript output). */
  types: boolean;
  /** Rewrite `export` declarations into one `module.exports` assignment (CommonJS output). */
  commonJs: boolean;
}

const DIRECTIVE = /^\s*\/\/#(if|else|endif)\b\s*(!?)([A-Za-z_]*)\s*$/;
const TYPE_MARKERS = /\/\*(?::\s?([^*]*?)|as\s([^*]*?)|(<[^*]*?>))\*\//g;
const EXPORT_DECLARATION = /^export\s+((?:async\s+)?function\*?|const|let|class)\s+([A-Za-z_$][\w$]*)/;

/** Expands a template; throws on unbalanced directives or an unknown flag (template bugs). */
export function preprocessTemplate(source: string, options: TemplateOptions): string {
  const kept = selectLines(source, options.flags);
  const exported: string[] = [];
  const out: string[] = [];
  for (const line of kept) {
    let text = line.replace(TYPE_MARKERS, (_match, annotation?: string, cast?: string, generic?: string) => {
      if (!options.types) return '';
      if (annotation !== undefined) return `: ${annotation}`;
      if (cast !== undefined) return ` as ${cast}`;
      return generic ?? '';
    });
    if (options.commonJs && text.startsWith('export ')) {
      const match = EXPORT_DECLARATION.exec(text);
      if (!match) throw new Error(`template: cannot turn into CommonJS: ${text}`);
      exported.push(match[2]!);
      text = text.slice('export '.length);
    }
    out.push(text);
  }
  if (exported.length > 0) out.push('', `module.exports = { ${exported.join(', ')} };`);
  return `${collapseBlankLines(out).join('\n').trim()}\n`;
}

function selectLines(source: string, flags: Record<string, boolean>): string[] {
  const stack: Array<{ active: boolean; parentActive: boolean }> = [];
  const kept: string[] = [];
  let active = true;
  for (const line of source.split('\n')) {
    const directive = DIRECTIVE.exec(line);
    if (!directive) {
      if (active) kept.push(line);
      continue;
    }
    const [, kind, negate, flag] = directive;
    if (kind === 'if') {
      if (!flag || !(flag in flags)) throw new Error(`template: unknown flag in "${line.trim()}"`);
      const value = negate === '!' ? !flags[flag] : Boolean(flags[flag]);
      stack.push({ active: value, parentActive: active });
      active = active && value;
    } else {
      const top = stack.at(-1);
      if (!top) throw new Error(`template: "${line.trim()}" without //#if`);
      if (kind === 'else') {
        top.active = !top.active;
        active = top.parentActive && top.active;
      } else {
        stack.pop();
        active = top.parentActive;
      }
    }
  }
  if (stack.length > 0) throw new Error('template: //#if without //#endif');
  return kept;
}

/** Drops blank lines that follow a blank line (left behind by removed blocks). */
function collapseBlankLines(lines: string[]): string[] {
  return lines.filter((line, i) => line.trim() !== '' || (i > 0 && lines[i - 1]!.trim() !== ''));
}
