/**
 * Joins runtime source modules into the one runtime file a suite ships. The sources are ordinary modules that
 * import each other (runtime/fetch.ts imports createCase from runtime/specmint.runtime.ts), so each is
 * type-checked, linted and unit-tested on its own; a suite gets them as one file, so its tests import a single
 * `specmint.runtime.ts`.
 */

/** One runtime source module. */
export interface RuntimeModule {
  /** Its file name, as the other modules import it (`./specmint.runtime.ts`). */
  name: string;
  text: string;
}

interface SplitModule {
  /** Comments before the imports (the first module's file comment). */
  prologue: string;
  imports: Array<{ statement: string; from: string }>;
  body: string;
}

const LEADING_COMMENTS = /^(?:\/\*[\s\S]*?\*\/\n|\/\/[^\n]*\n)*/;
const IMPORT = /^import\s(?:[^;'"]*?\sfrom\s*)?'([^']+)';\n/;

function splitModule(module: RuntimeModule): SplitModule {
  const prologue = LEADING_COMMENTS.exec(module.text)?.[0] ?? '';
  let rest = module.text.slice(prologue.length).replace(/^\n+/, '');
  const imports: SplitModule['imports'] = [];
  for (let match = IMPORT.exec(rest); match; match = IMPORT.exec(rest)) {
    imports.push({ statement: match[0].trimEnd(), from: match[1]! });
    rest = rest.slice(match[0].length).replace(/^\n+/, '');
  }
  if (/^import\b/m.test(rest)) {
    throw new Error(`runtime module ${module.name}: imports must come first, each ending in 'specifier';`);
  }
  return { prologue: prologue.trimEnd(), imports, body: rest };
}

const NAMED_IMPORT = /^import\s+(type\s+)?\{([^}]*)\}\s*from\s*'([^']+)';$/;

/**
 * Import statements as one list: each statement once, and named imports of the same module (value or type)
 * merged into one statement at the place of the first (two modules that both import `operations` from
 * './schemas.ts' must not declare it twice).
 */
function mergeImports(imports: SplitModule['imports']): string[] {
  const out: Array<{ statement: string; names?: string[]; kind?: string; from?: string }> = [];
  const named = new Map<string, { statement: string; names?: string[]; kind?: string; from?: string }>();
  for (const { statement } of imports) {
    const match = NAMED_IMPORT.exec(statement);
    if (!match) {
      if (!out.some((entry) => entry.statement === statement)) out.push({ statement });
      continue;
    }
    const kind = match[1] ? 'type ' : '';
    const from = match[3]!;
    const names = match[2]!
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '');
    const key = `${kind}${from}`;
    const entry = named.get(key);
    if (!entry) {
      const fresh = { statement, names, kind, from };
      named.set(key, fresh);
      out.push(fresh);
      continue;
    }
    const added = names.filter((name) => !entry.names!.includes(name));
    if (added.length === 0) continue;
    entry.names!.push(...added);
    entry.statement = `import ${kind}{ ${entry.names!.join(', ')} } from '${from}';`;
  }
  return out.map((entry) => entry.statement);
}

/**
 * The modules as one: the first module's file comment, every import once (imports of the joined modules
 * themselves dropped), then each module's code in order. Only the first module may have a file comment.
 */
export function joinModules(modules: readonly RuntimeModule[]): string {
  const own = new Set(modules.map((module) => `./${module.name}`));
  const parts = modules.map(splitModule);
  const extra = parts.slice(1).find((part) => part.prologue !== '');
  if (extra) throw new Error(`runtime module: only the first may start with a comment: ${extra.prologue}`);
  const imports = mergeImports(parts.flatMap((part) => part.imports.filter((i) => !own.has(i.from))));
  const head = [parts[0]?.prologue ?? '', imports.join('\n')].filter((text) => text !== '');
  return [...head, ...parts.map((part) => part.body.trimEnd())].join('\n\n') + '\n';
}
