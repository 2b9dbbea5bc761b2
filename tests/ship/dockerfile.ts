/**
 * A small Dockerfile and .dockerignore reader for the ship tests (no Docker engine runs here). It follows the
 * Dockerfile reference closely enough for structural checks: comments, `\` continuations, parser directives,
 * exec (JSON) versus shell form, `FROM … AS name` stages and `--flag=value` options.
 * @see https://docs.docker.com/reference/dockerfile/
 */

/** One instruction, with its continuation lines joined. */
export interface Instruction {
  /** Upper-case keyword, e.g. `RUN`. */
  keyword: string;
  /** `--from=build` style options, in order. */
  flags: Record<string, string>;
  /** The arguments after the flags, as written (continuations joined with a space). */
  args: string;
  /** The exec form (`["node", "x"]`) when the arguments are a JSON array of strings. */
  exec: string[] | undefined;
  /** 1-based line of the keyword. */
  line: number;
}

/** A build stage: its `FROM` and the instructions up to the next `FROM`. */
export interface Stage {
  /** `AS name`, or the stage's index as a string. */
  name: string;
  /** Image or earlier stage it starts from (build args left unexpanded). */
  from: string;
  instructions: Instruction[];
}

/** A parsed Dockerfile. */
export interface Dockerfile {
  /** `ARG`s before the first `FROM`, with their defaults. */
  globalArgs: Record<string, string>;
  stages: Stage[];
}

const DIRECTIVE = /^#\s*[a-z]+\s*=/i;

function joinLines(text: string): Array<{ text: string; line: number }> {
  const out: Array<{ text: string; line: number }> = [];
  let current: { text: string; line: number } | undefined;
  let header = true;
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (header && DIRECTIVE.test(trimmed)) return;
    if (trimmed.startsWith('#') || (trimmed === '' && !current)) {
      if (trimmed !== '') header = false;
      return;
    }
    header = false;
    const continued = trimmed.endsWith('\\');
    const piece = continued ? trimmed.slice(0, -1).trim() : trimmed;
    if (current) current.text = `${current.text} ${piece}`.trim();
    else current = { text: piece, line: index + 1 };
    if (!continued) {
      out.push(current);
      current = undefined;
    }
  });
  if (current) out.push(current);
  return out;
}

function parseExec(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(args);
    return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}

function parseInstruction(text: string, line: number): Instruction {
  const match = /^(\S+)\s*(.*)$/s.exec(text);
  const keyword = (match?.[1] ?? '').toUpperCase();
  let rest = match?.[2] ?? '';
  const flags: Record<string, string> = {};
  for (;;) {
    const flag = /^--([a-z-]+)(?:=(\S*))?\s+/i.exec(rest);
    if (!flag) break;
    flags[flag[1]!] = flag[2] ?? 'true';
    rest = rest.slice(flag[0].length);
  }
  // HEALTHCHECK options precede its CMD; keep `CMD …` as the arguments.
  return { keyword, flags, args: rest.trim(), exec: parseExec(rest.trim()), line };
}

/** Parses Dockerfile text into global args and stages. Throws on an instruction before the first `FROM`. */
export function parseDockerfile(text: string): Dockerfile {
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const { text: source, line } of joinLines(text)) {
    const instruction = parseInstruction(source, line);
    if (instruction.keyword === 'FROM') {
      const [from = '', as, name] = instruction.args.split(/\s+/);
      const stageName = as?.toUpperCase() === 'AS' && name ? name : String(stages.length);
      stages.push({ name: stageName, from, instructions: [] });
      continue;
    }
    const stage = stages[stages.length - 1];
    if (stage) {
      stage.instructions.push(instruction);
    } else if (instruction.keyword === 'ARG') {
      const [key = '', value = ''] = instruction.args.split('=');
      globalArgs[key] = value;
    } else {
      throw new Error(`line ${line}: ${instruction.keyword} before the first FROM`);
    }
  }
  return { globalArgs, stages };
}

/** Replaces `${NAME}` / `$NAME` with `args` values. */
export function expandArgs(value: string, args: Record<string, string>): string {
  return value.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (whole, name: string) => args[name] ?? whole);
}

/** `ENV` values of a stage (both `K=V K2=V2` and legacy `K V` forms). */
export function stageEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const instruction of stage.instructions.filter((i) => i.keyword === 'ENV')) {
    if (!instruction.args.includes('=')) {
      const [key = '', ...value] = instruction.args.split(/\s+/);
      env[key] = value.join(' ');
      continue;
    }
    for (const pair of instruction.args.match(/[A-Za-z_][A-Za-z0-9_]*=("[^"]*"|\S*)/g) ?? []) {
      const [key = '', ...value] = pair.split('=');
      env[key] = value.join('=').replace(/^"|"$/g, '');
    }
  }
  return env;
}

/** Compiled .dockerignore rules. */
export interface IgnoreRule {
  negate: boolean;
  regex: RegExp;
}

function globToRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*' && pattern[i + 1] === '*') {
      source += '.*';
      i++;
      if (pattern[i + 1] === '/') i++;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Parses .dockerignore: one pattern a line, `#` comments, `!` re-includes; paths are context-relative. */
export function parseDockerignore(text: string): IgnoreRule[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const pattern = (negate ? line.slice(1) : line).trim().replace(/^\/+/, '').replace(/\/+$/, '');
      return { negate, regex: globToRegex(pattern) };
    });
}

/**
 * True when `path` (relative, `/`-separated) is left out of the build context. As in Docker, a rule that
 * matches a parent folder applies to everything below it, and the last matching rule wins.
 */
export function isIgnored(rules: IgnoreRule[], path: string): boolean {
  const parts = path.split('/');
  const candidates = parts.map((_, index) => parts.slice(0, index + 1).join('/'));
  let ignored = false;
  for (const rule of rules) {
    if (candidates.some((candidate) => rule.regex.test(candidate))) ignored = !rule.negate;
  }
  return ignored;
}
