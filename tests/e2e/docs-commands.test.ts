/**
 * Every `specmint` and `specmint-server` command line in README.md and docs/*.md (```sh / ```yaml blocks
 * and inline code) runs on the built binaries, so the docs cannot drift from the CLI again (issue #19,
 * item 4: the README said `specmint tokens create --name ci` when only `tokens create ci` worked).
 *
 * A line that would log in, write or call a server is run with `--help` appended, which must show that
 * very command's help; because commander answers `--help` before it looks at the other options, every
 * option and argument of the line is also checked against that help. The other lines (`formats`,
 * `generate --dry-run` / `--check`, `--help`) run for real in a scratch project with the bundled pet
 * store as `openapi.yaml`, no credentials and no licence server: only a usage error (exit 2) or an
 * internal error (exit 70) fails them.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from './helpers/build-once.ts';
import {
  checkArgs,
  type DocCommand,
  extractDocCommands,
  type HelpFacts,
  parseHelp,
} from './helpers/doc-commands.ts';
import { cleanEnv, type ProcessResult, REPO_ROOT, waitForExit } from './helpers/licence-server.ts';

const DOC_FILES = [
  'README.md',
  ...readdirSync(join(REPO_ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];
const COMMANDS: DocCommand[] = DOC_FILES.flatMap((file) =>
  extractDocCommands(readFileSync(join(REPO_ROOT, file), 'utf8'), file),
);

let sandbox: string;
const helpCache = new Map<string, Promise<HelpFacts>>();

beforeAll(async () => {
  await buildOnce();
  sandbox = mkdtempSync(join(tmpdir(), 'specmint-docs-'));
  copyFileSync(join(REPO_ROOT, 'tests/fixtures/specs/sut/petstore.yaml'), join(sandbox, 'openapi.yaml'));
  // So `generate --check` / `--dry-run` lines without a spec or --format have them, as in a real project.
  writeFileSync(
    join(sandbox, 'specmint.config.json'),
    JSON.stringify({ spec: 'openapi.yaml', formats: ['pytest'] }),
  );
}, 300_000);

afterAll(() => {
  rmSync(sandbox, { recursive: true, force: true });
});

function run(bin: DocCommand['bin'], argv: string[]): Promise<ProcessResult> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', bin), ...argv], {
    cwd: sandbox,
    env: cleanEnv({
      SPECMINT_API_URL: 'http://127.0.0.1:9',
      SPECMINT_CONFIG_DIR: join(sandbox, '.config'),
      SPECMINT_CREDENTIAL_STORE: 'file',
      SPECMINT_DATA_DIR: join(sandbox, '.server'),
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return waitForExit(child).finally(() => clearTimeout(timer));
}

function help(bin: DocCommand['bin'], path: string[]): Promise<HelpFacts> {
  const key = [bin, ...path].join(' ');
  let facts = helpCache.get(key);
  if (!facts) {
    facts = run(bin, [...path, '--help']).then((result) => {
      if (result.code !== 0) throw new Error(`${key} --help exited ${result.code}:\n${result.stderr}`);
      return parseHelp(result.stdout);
    });
    helpCache.set(key, facts);
  }
  return facts;
}

/** The subcommand path of `argv` (`tokens create`) and its help; the rest are its arguments. */
async function resolve(command: DocCommand) {
  const path: string[] = [];
  let facts = await help(command.bin, path);
  let rest = command.argv;
  while (rest.length > 0 && facts.commands.includes(rest[0] ?? '')) {
    path.push(rest[0] ?? '');
    rest = rest.slice(1);
    facts = await help(command.bin, path);
  }
  return { path, facts, args: rest };
}

/** Lines that neither log in, write, nor call a server, so they can run for real. */
function runsForReal(command: DocCommand, path: string[], args: string[]): boolean {
  if (command.bin !== 'specmint') return false;
  if (path.length === 0) return args.every((arg) => ['--help', '-h', '--version', '-v'].includes(arg));
  if (path[0] === 'formats') return true;
  return path[0] === 'generate' && (args.includes('--dry-run') || args.includes('--check'));
}

describe('the docs show command lines', () => {
  it('finds them in README.md and docs/', () => {
    expect(COMMANDS.length).toBeGreaterThan(40);
    const lines = COMMANDS.map((command) => `${command.bin} ${command.argv.join(' ')}`);
    expect(lines).toContain('specmint tokens create --name ci');
    expect(lines).toContain('specmint generate openapi.yaml --format pytest --out tests/api --yes');
    expect(lines).toContain('specmint-server admin create-token --email user@example.com --name 1');
    // The documents that teach the CLI are all read (architecture.md and checks.md explain, they show none).
    for (const file of ['README.md', 'docs/billing.md', 'docs/ci-examples.md', 'docs/self-hosting.md']) {
      expect(DOC_FILES).toContain(file);
      expect(
        COMMANDS.some((command) => command.where.startsWith(`${file}:`)),
        file,
      ).toBe(true);
    }
  });
});

describe.each(
  COMMANDS.map((command) => [`${command.where}  ${command.bin} ${command.argv.join(' ')}`, command]),
)('%s', (_, command) => {
  it('runs', async () => {
    const { path, facts, args } = await resolve(command);
    expect(checkArgs(args, facts), `"${command.text}" (${command.where})`).toEqual([]);
    if (runsForReal(command, path, args)) {
      const result = await run(command.bin, command.argv);
      expect([2, 70], `exit ${result.code}:\n${result.stderr}`).not.toContain(result.code);
      return;
    }
    const result = await run(command.bin, [...command.argv, '--help']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: ${[command.bin, ...path].join(' ')} `));
  });
});

describe('the checker', () => {
  const facts = parseHelp(
    [
      'Usage: specmint tokens create [options] [name]',
      '',
      'Options:',
      '  --name <name>  a name',
      '  -f, --format <list>  formats',
      '  --no-browser   do not open it',
      '  -h, --help     show help',
    ].join('\n'),
  );

  it('refuses what commander would refuse but --help hides', () => {
    expect(checkArgs(['--name', 'ci'], facts)).toEqual([]);
    expect(checkArgs(['-f', 'pytest', '--no-browser', 'ci'], facts)).toEqual([]);
    expect(checkArgs(['--nme', 'ci'], facts)).toEqual(["unknown option '--nme'"]);
    expect(checkArgs(['a', 'b'], facts)).toEqual(['2 argument(s) given; it takes 1 (name)']);
    expect(checkArgs(['--name'], facts)).toEqual(["option '--name' needs a value"]);
  });

  it('reads command lines the way the docs write them', () => {
    const markdown = [
      'Run `specmint whoami [--json]` or `SPECMINT_API_URL=http://x specmint login`.',
      '```yaml',
      '- run: npx --yes "specmint@1.0.0" generate a.yaml --format pytest \\',
      '    --json > out.json',
      '```',
      '```sh',
      'specmint tokens create|list   # comment',
      'cat a.yaml | specmint generate - --tags pets',
      '```',
    ].join('\n');
    expect(extractDocCommands(markdown, 'x.md').map((command) => command.argv.join(' '))).toEqual([
      'whoami --json',
      'login',
      'generate a.yaml --format pytest --json',
      'tokens create',
      'tokens list',
      'generate - --tags pets',
    ]);
  });
});
