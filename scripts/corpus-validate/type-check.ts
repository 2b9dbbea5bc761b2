/**
 * vitest, playwright: the suites type-check with tsc under the compiler options of their own generated
 * `tsconfig.json` (strict). jest: the JavaScript is checked by tsc with `allowJs` + `checkJs` (CommonJS,
 * Jest's globals from `@jest/globals`) — syntax, unknown names, `@type` annotations such as the config's
 * `import('jest').Config`. The jest runtime (`specmint.runtime.js`) is one fixed template, identical for
 * every spec, so only its syntax is taken from tsc: checkJs reports two false positives in it (the CommonJS
 * default export of ajv-formats, and `redirect: 'manual'` widened to `string`) that Node never sees.
 *
 * tsc has a large fixed start-up cost and checks one big program faster than many small ones, so many
 * specs are checked per tsc process: a generated tsconfig at the run root includes each spec's folder, and
 * every diagnostic is attributed back to its spec and format by path. The root must sit inside the
 * repository so the suites' imports (vitest, @playwright/test, ajv, @types/node) resolve from its
 * node_modules, as the repository's own type-check tests do (tests/render/js/validity.test.ts).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { type CheckResult, failed, PASSED, type SpecChecks, TSC_CHECKS, type TscCheck } from './checks.ts';
import { directoryBytes, runProcess } from './files.ts';

const REPO = join(import.meta.dirname, '../..');
const TSC = join(REPO, 'node_modules/.bin/tsc');

/** Jest runs the suite as CommonJS with its globals injected; the options a Jest user's editor would use. */
const JEST_OPTIONS = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  lib: ['ES2023'],
  types: ['node'],
  allowJs: true,
  checkJs: true,
  strict: false,
  noEmit: true,
  skipLibCheck: true,
};

const JEST_GLOBALS_FILE = 'corpus-validate.jest-globals.d.ts';
const JEST_GLOBALS = `import type * as jest from '@jest/globals';
declare global {
${['describe', 'test', 'it', 'expect', 'beforeAll', 'afterAll', 'beforeEach', 'afterEach', 'jest']
  .map((name) => `  const ${name}: typeof jest.${name};`)
  .join('\n')}
}
export {};
`;

/** The fixed jest runtime template: semantic diagnostics in it are not counted (see the file comment). */
const JEST_RUNTIME = 'specmint.runtime.js';

/** One spec's suite of one format, with its compiler options and file patterns relative to the run root. */
interface Member {
  spec: string;
  check: TscCheck;
  bytes: number;
  compilerOptions: Record<string, unknown>;
  include: string[];
  exclude: string[];
}

/** Suites with the same compiler options, checked by one tsc process. */
interface Program {
  members: Member[];
  bytes: number;
}

interface Diagnostic {
  file?: string;
  line?: number;
  column?: number;
  code: string;
  message: string;
}

const DIAGNOSTIC = /^(?:(.+?)\((\d+),(\d+)\): )?error (TS\d+): (.*)$/;

function parseDiagnostics(output: string, root: string): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const line of output.split('\n')) {
    const match = DIAGNOSTIC.exec(line.trimEnd());
    if (!match) continue;
    const [, file, row, column, code, message] = match;
    const path = file === undefined ? undefined : relative(root, join(root, file)).split(sep).join('/');
    found.push({ file: path, line: Number(row), column: Number(column), code: code!, message: message! });
  }
  return found;
}

/** The compiler options and file patterns of one spec's suite, relative to the run root. */
function memberOf(root: string, spec: string, check: TscCheck): Member {
  const base = `${spec}/${check}`;
  const bytes = directoryBytes(join(root, base));
  if (check === 'jest') {
    const include = [JEST_GLOBALS_FILE, `${base}/**/*.js`];
    return { spec, check, bytes, compilerOptions: JEST_OPTIONS, include, exclude: [] };
  }
  const config = JSON.parse(readFileSync(join(root, base, 'tsconfig.json'), 'utf8')) as {
    compilerOptions?: Record<string, unknown>;
    include?: string[];
    exclude?: string[];
  };
  return {
    spec,
    check,
    bytes,
    compilerOptions: config.compilerOptions ?? {},
    include: (config.include ?? ['**/*']).map((pattern) => `${base}/${pattern}`),
    exclude: (config.exclude ?? []).map((pattern) => `${base}/${pattern}`),
  };
}

/** Groups the suites by compiler options, then splits each group into programs of at most `maxBytes`. */
function planPrograms(input: {
  root: string;
  specs: readonly string[];
  maxBytes: number;
  results: Map<string, SpecChecks>;
}): Program[] {
  const groups = new Map<string, Program[]>();
  for (const spec of input.specs) {
    for (const check of TSC_CHECKS) {
      if (!existsSync(join(input.root, spec, check))) continue;
      let member: Member;
      try {
        member = memberOf(input.root, spec, check);
      } catch (error) {
        input.results.get(spec)![check] = failed((error as Error).message, 'tsconfig.json');
        continue;
      }
      const key = JSON.stringify(member.compilerOptions);
      const programs = groups.get(key) ?? [];
      groups.set(key, programs);
      let program = programs.at(-1);
      if (!program || (program.bytes > 0 && program.bytes + member.bytes > input.maxBytes)) {
        program = { members: [], bytes: 0 };
        programs.push(program);
      }
      program.members.push(member);
      program.bytes += member.bytes;
    }
  }
  return [...groups.values()].flat();
}

/** The result of one suite from the diagnostics in its folder. */
function memberResult(member: Member, diagnostics: Diagnostic[]): CheckResult {
  const prefix = `${member.spec}/${member.check}/`;
  for (const d of diagnostics) {
    if (!d.file?.startsWith(prefix)) continue;
    const file = d.file.slice(prefix.length);
    if (member.check === 'jest' && file === JEST_RUNTIME && Number(d.code.slice(2)) >= 2000) continue;
    return failed(`${d.code}: ${d.message}`, `${file}(${d.line},${d.column})`);
  }
  return PASSED;
}

/** Syntax errors (TS1xxx): when a program has any, tsc reports no semantic diagnostics at all. */
function isSyntactic(diagnostic: Diagnostic): boolean {
  return Number(diagnostic.code.slice(2)) < 2000;
}

let programCount = 0;

/**
 * Runs tsc over one program. tsc skips the semantic check of the whole program when any file has a
 * syntax error, so the suites without diagnostics of such a run are checked again without the others.
 */
async function runProgram(root: string, program: Program): Promise<Map<Member, CheckResult>> {
  const config = join(root, `tsconfig.corpus-validate-${process.pid}-${++programCount}.json`);
  const { members } = program;
  const include = [...new Set(members.flatMap((m) => m.include))];
  const exclude = members.flatMap((m) => m.exclude);
  const compilerOptions = members[0]!.compilerOptions;
  // An explicit empty `exclude` would drop tsc's default one (node_modules).
  const project = exclude.length > 0 ? { compilerOptions, include, exclude } : { compilerOptions, include };
  writeFileSync(config, JSON.stringify(project, null, 2));
  const results = new Map<Member, CheckResult>();
  let run: Awaited<ReturnType<typeof runProcess>>;
  try {
    run = await runProcess(TSC, ['-p', config, '--pretty', 'false', '--noEmit'], {
      cwd: root,
      timeoutMs: 900_000,
    });
  } finally {
    rmSync(config, { force: true });
  }
  const output = `${run.stdout}\n${run.stderr}`;
  const diagnostics = parseDiagnostics(output, root);
  const prefixes = members.map((m) => `${m.spec}/${m.check}/`);
  const stray = diagnostics.find((d) => !d.file || !prefixes.some((prefix) => d.file!.startsWith(prefix)));
  for (const member of members) {
    if (run.timedOut || run.code === null) results.set(member, failed('tsc timed out or was killed'));
    else if (stray) results.set(member, failed(`tsc: ${stray.file ?? ''} ${stray.code}: ${stray.message}`));
    else if (run.code !== 0 && diagnostics.length === 0) results.set(member, failed(`tsc: ${output.trim()}`));
    else results.set(member, memberResult(member, diagnostics));
  }
  const clean = members.filter((member) => results.get(member)?.status === 'passed');
  if (!stray && diagnostics.some(isSyntactic) && clean.length > 0 && clean.length < members.length) {
    for (const [member, result] of await runProgram(root, { members: clean, bytes: 0 }))
      results.set(member, result);
  }
  return results;
}

/** Options of {@link typeCheckSpecs}. */
export interface TypeCheckOptions {
  /** Folder holding the specs' validation folders; inside the repository (see the file comment). */
  root: string;
  /** Names of spec folders under `root`. */
  specs: readonly string[];
  /** Most bytes of source per tsc program (bounds tsc's memory). @default 150_000_000 */
  maxProgramBytes?: number;
}

/** Type-checks the vitest, jest and playwright suites of many specs; results by spec folder name. */
export async function typeCheckSpecs(options: TypeCheckOptions): Promise<Map<string, SpecChecks>> {
  const root = resolve(options.root);
  const { specs } = options;
  const results = new Map<string, SpecChecks>(specs.map((spec) => [spec, {}]));
  writeFileSync(join(root, JEST_GLOBALS_FILE), JEST_GLOBALS);
  const programs = planPrograms({ root, specs, maxBytes: options.maxProgramBytes ?? 150_000_000, results });
  for (const program of programs) {
    for (const [member, result] of await runProgram(root, program))
      results.get(member.spec)![member.check] = result;
  }
  return results;
}

/** Options of {@link createTypeCheckQueue}. */
export interface TypeCheckQueueOptions {
  root: string;
  /** Type-check once this many specs are waiting. @default 16 */
  maxSpecs?: number;
  /** …or once this many bytes of suites are waiting (also the most per tsc program). @default 150_000_000 */
  maxBytes?: number;
  /** Receives each batch's results. */
  onResults: (results: Map<string, SpecChecks>) => void;
}

/**
 * Collects spec folders as their outputs are written and type-checks them in batches, one batch at a time,
 * while the caller carries on. A batch whose tsc run throws fails every suite of it with the error.
 */
export function createTypeCheckQueue(options: TypeCheckQueueOptions): {
  add: (spec: string, bytes: number) => void;
  /** Checks what is still waiting and resolves when every batch is done. */
  drain: () => Promise<void>;
} {
  const maxSpecs = options.maxSpecs ?? 16;
  const maxBytes = options.maxBytes ?? 150_000_000;
  let pending: string[] = [];
  let pendingBytes = 0;
  let chain = Promise.resolve();
  const flush = (): void => {
    const specs = pending;
    pending = [];
    pendingBytes = 0;
    if (specs.length === 0) return;
    chain = chain.then(async () => {
      try {
        options.onResults(await typeCheckSpecs({ root: options.root, specs, maxProgramBytes: maxBytes }));
      } catch (error) {
        const result = failed(`type check batch failed: ${(error as Error).message}`);
        const checksOf = (spec: string): SpecChecks =>
          Object.fromEntries(
            TSC_CHECKS.filter((check) => existsSync(join(options.root, spec, check))).map((c) => [c, result]),
          );
        options.onResults(new Map(specs.map((spec) => [spec, checksOf(spec)])));
      }
    });
  };
  return {
    add(spec, bytes) {
      pending.push(spec);
      pendingBytes += bytes;
      if (pending.length >= maxSpecs || pendingBytes >= maxBytes) flush();
    },
    async drain() {
      flush();
      await chain;
    },
  };
}
