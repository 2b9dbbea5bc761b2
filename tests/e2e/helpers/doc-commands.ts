/**
 * Finds the command lines the docs show for `specmint` and `specmint-server` — in ```sh / ```yaml blocks
 * and in inline code — and turns each into the argv a user would run. Doc notation is expanded the way a
 * reader takes it: `[--json]` is an option they may add, `create|list|revoke` are alternatives, a
 * `# comment`, a pipe, a redirect, environment assignments and an `npx [--yes] specmint@x` prefix are
 * not part of the command.
 */

/** One command line shown in a doc. */
export interface DocCommand {
  /** Doc file (relative) and 1-based line, for messages. */
  where: string;
  /** The text as the doc shows it (from the binary on). */
  text: string;
  bin: 'specmint' | 'specmint-server';
  /** Arguments after the binary, one alternative of the doc notation. */
  argv: string[];
}

const FENCE = /^\s*```(\S*)\s*$/;
const BLOCK_LANGUAGES = new Set(['sh', 'bash', 'shell', 'console', 'yaml', 'yml']);
const BINARY = /^(specmint|specmint-server)(@\S+)?$/;
const ENV_ASSIGNMENT = /^[A-Z_][A-Z0-9_]*=/;

/** Splits shell words: whitespace outside quotes; quotes are removed. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: '"' | "'" | undefined;
  let inWord = false;
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = undefined;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/** The text up to an unquoted `#` comment (a `#` after whitespace). */
function stripComment(text: string): string {
  let quote: string | undefined;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] ?? '';
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '#' && (index === 0 || /\s/.test(text[index - 1] ?? ''))) return text.slice(0, index);
  }
  return text;
}

/** Shell commands of one line: split on ` | `, `&&`, `;`; each cut at a redirect. */
function shellCommands(line: string): string[] {
  return stripComment(line)
    .split(/\s\|\s|&&|;\s/)
    .map((part) => part.split(/\s\d?>>?\s?|\s<\s/)[0] ?? '')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** The docs' one-letter placeholders (`--port N`, `--email E`) and a value of the kind each stands for. */
const PLACEHOLDERS: Record<string, string> = { N: '1', E: 'user@example.com', P: 'correct-horse-battery' };

/** `[a]` → `a`, and `x|y` words → one argv per alternative (cartesian product); placeholders get values. */
function expandNotation(words: string[]): string[][] {
  let argvs: string[][] = [[]];
  for (const raw of words) {
    const bare = raw.replace(/[[\]]/g, '');
    const word = PLACEHOLDERS[bare] ?? bare;
    if (word === '') continue;
    const alternatives = word.includes('|') ? word.split('|').filter((alt) => alt !== '') : [word];
    argvs = argvs.flatMap((argv) => alternatives.map((alt) => [...argv, alt]));
  }
  return argvs;
}

/** The `specmint…` command in one shell command, if it is one. */
function docCommandsIn(command: string, where: string): DocCommand[] {
  // YAML list items and `run:` keys of CI files.
  const text = command.replace(/^(?:-\s+)?(?:run:\s*(?:\|\s*)?)?/, '').replace(/^\$\s+/, '');
  const words = shellWords(text);
  while (words.length > 0 && ENV_ASSIGNMENT.test(words[0] ?? '')) words.shift();
  if (words[0] === 'npx') {
    words.shift();
    while ((words[0] ?? '').startsWith('-')) words.shift();
  }
  const bin = BINARY.exec(words[0] ?? '')?.[1] as DocCommand['bin'] | undefined;
  if (!bin || words.length < 2) return [];
  const shown = text.slice(text.search(/"?specmint/)).trim();
  return expandNotation(words.slice(1)).map((argv) => ({ where, text: shown, bin, argv }));
}

/** Every `specmint` / `specmint-server` command line of a Markdown document. */
export function extractDocCommands(markdown: string, file: string): DocCommand[] {
  const lines = markdown.split('\n');
  const found: DocCommand[] = [];
  let block: { language: string } | undefined;
  let paragraph: { start: number; text: string } | undefined;
  const flushParagraph = () => {
    if (!paragraph) return;
    const spans = paragraph.text.split('`').filter((_, index) => index % 2 === 1);
    for (const span of spans) {
      for (const command of shellCommands(span))
        found.push(...docCommandsIn(command, `${file}:${paragraph.start}`));
    }
    paragraph = undefined;
  };
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const fence = FENCE.exec(line);
    if (fence) {
      flushParagraph();
      block = block ? undefined : { language: fence[1] ?? '' };
      continue;
    }
    if (block) {
      if (!BLOCK_LANGUAGES.has(block.language)) continue;
      let logical = line;
      const start = index + 1;
      while (logical.trimEnd().endsWith('\\') && index + 1 < lines.length) {
        index += 1;
        logical = `${logical.trimEnd().slice(0, -1)} ${lines[index]?.trim() ?? ''}`;
      }
      for (const command of shellCommands(logical)) found.push(...docCommandsIn(command, `${file}:${start}`));
      continue;
    }
    if (line.trim() === '') flushParagraph();
    else if (paragraph) paragraph.text += ` ${line}`;
    else paragraph = { start: index + 1, text: line };
  }
  flushParagraph();
  return found;
}

/** What a command's `--help` says about it. */
export interface HelpFacts {
  /** Subcommand names (for a command with subcommands). */
  commands: string[];
  /** Every option spelling (`-f`, `--format`) → whether it takes a value. */
  options: Map<string, boolean>;
  /** Positional arguments from the Usage line, e.g. `[spec]`, `<id>`. */
  positionals: Array<{ name: string; required: boolean }>;
}

/** Parses commander's help text. */
export function parseHelp(help: string): HelpFacts {
  const usage = /^Usage: \S+(?: [a-z][\w-]*)*((?: (?:\[[^\]]+\]|<[^>]+>))*)/m.exec(help)?.[1] ?? '';
  const positionals = [...usage.matchAll(/\[([^\]]+)\]|<([^>]+)>/g)]
    .map((match) => ({ name: match[1] ?? match[2] ?? '', required: match[2] !== undefined }))
    .filter((arg) => arg.name !== 'options' && arg.name !== 'command');
  const options = new Map<string, boolean>();
  const commands: string[] = [];
  let section = '';
  for (const line of help.split('\n')) {
    const heading = /^(\w[\w ]*):$/.exec(line);
    if (heading) {
      section = heading[1] ?? '';
      continue;
    }
    if (section === 'Options') {
      const flags = /^ {2}(-[^ ,]+(?:, -[^ ,]+)*(?: [<[][^>\]]+[>\]])?)(?: {2,}|$)/.exec(line)?.[1];
      if (!flags) continue;
      const takesValue = /[<[]/.test(flags);
      for (const flag of flags.split(/,\s*|\s+/).filter((part) => part.startsWith('-'))) {
        options.set(flag, takesValue);
      }
    } else if (section === 'Commands') {
      const name = /^ {2}([a-z][\w-]*)/.exec(line)?.[1];
      if (name && name !== 'help') commands.push(name);
    }
  }
  return { commands, options, positionals };
}

/**
 * Checks `args` (after the command path) against a command's help: every option exists (and gets its
 * value), and there are no more positional arguments than it takes. Returns the problems.
 */
export function checkArgs(args: string[], facts: HelpFacts): string[] {
  const problems: string[] = [];
  let positionals = 0;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? '';
    if (arg === '-' || !arg.startsWith('-')) {
      positionals += 1;
      continue;
    }
    const name = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
    const takesValue = facts.options.get(name);
    if (takesValue === undefined) {
      problems.push(`unknown option '${name}'`);
      continue;
    }
    if (takesValue && !arg.includes('=')) {
      if (index + 1 >= args.length) problems.push(`option '${name}' needs a value`);
      index += 1;
    }
  }
  if (positionals > facts.positionals.length) {
    problems.push(
      `${positionals} argument(s) given; it takes ${facts.positionals.length} (${facts.positionals.map((p) => p.name).join(', ') || 'none'})`,
    );
  }
  return problems;
}
