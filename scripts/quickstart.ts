/**
 * `npm run quickstart` (build, then `tsx scripts/quickstart.ts`): the whole product on a fresh machine
 * with no PostgreSQL. Starts the embedded licence server (PGlite in ./.specmint/quickstart), creates a
 * local account and a CI token with the admin commands, runs the built `specmint generate` on the bundled
 * pet store spec for the Free plan's formats, says where the suites are and how to run them against the
 * bundled example API. Re-runnable: the account and token are reused.
 *
 * Then either it stops the server and prints how to start it again to log in, or — with `--serve` — keeps
 * it running on port 8787 (what `specmint` talks to by default) until Ctrl-C, so `npx specmint login`
 * works at once.
 *
 *   npm run quickstart [-- --serve] [-- --port N] [-- --dir PATH]
 *
 * `--port` (default 8787 with `--serve`, else any free port) and `--dir` (default ./.specmint/quickstart)
 * exist for running it beside another server and for tests.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PLANS } from '../shared/plans.ts';
import {
  type LicenceServer,
  REPO_ROOT,
  startLicenceServer,
  waitForExit,
} from '../tests/e2e/helpers/licence-server.ts';
import { runCli } from '../tests/e2e/helpers/run-cli.ts';

const { values: options } = parseArgs({
  options: {
    serve: { type: 'boolean', default: false },
    port: { type: 'string' },
    dir: { type: 'string' },
  },
});
const DATA_DIR = resolve(options.dir ?? join(REPO_ROOT, '.specmint/quickstart'));
const SERVER_DIR = join(DATA_DIR, 'server');
const SPEC = join(REPO_ROOT, 'tests/fixtures/specs/sut/petstore.yaml');
const OUT_DIR = join(DATA_DIR, 'suites');
const EMAIL = 'quickstart@specmint.local';
const TOKEN_FILE = join(DATA_DIR, 'ci-token');
const PASSWORD_FILE = join(DATA_DIR, 'password');
/** The port `specmint` uses when SPECMINT_API_URL is not set. */
const DEFAULT_PORT = 8787;
const SUT_TOKEN = 'test-token';
const SUT_API_KEY = 'test-api-key';

function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

function readSecret(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}

async function ensureAccount(server: LicenceServer): Promise<void> {
  const password = readSecret(PASSWORD_FILE) ?? randomBytes(12).toString('base64url');
  writeFileSync(PASSWORD_FILE, `${password}\n`, { mode: 0o600 });
  const created = await server.admin([
    'create-user',
    '--email',
    EMAIL,
    '--password',
    password,
    '--plan',
    'free',
  ]);
  if (created.code === 0) say(`Created the local account ${EMAIL} (Free plan).`);
  else if (/already exists/.test(created.stderr)) say(`Reusing the local account ${EMAIL}.`);
  else throw new Error(`Could not create the local account:\n${created.stderr}`);
}

async function ensureToken(server: LicenceServer, cliEnv: Record<string, string>): Promise<string> {
  const stored = readSecret(TOKEN_FILE);
  if (stored) {
    const check = await runCli(['whoami', '--json'], {
      cwd: DATA_DIR,
      env: { ...cliEnv, SPECMINT_TOKEN: stored },
    });
    if (check.code === 0) {
      say('Reusing the CI token from the last run.');
      return stored;
    }
  }
  const created = await server.admin([
    'create-token',
    '--email',
    EMAIL,
    '--name',
    `quickstart-${Date.now()}`,
  ]);
  if (created.code !== 0) {
    throw new Error(
      `Could not create a CI token:\n${created.stderr}\nDelete ${relative(process.cwd(), DATA_DIR)} to start from scratch.`,
    );
  }
  const token = created.stdout.trim();
  writeFileSync(TOKEN_FILE, `${token}\n`, { mode: 0o600 });
  say('Created a CI token (kept in .specmint/quickstart/ci-token).');
  return token;
}

/** Free-plan formats this build can render (`specmint formats --json`). */
async function freeFormats(cliEnv: Record<string, string>): Promise<string[]> {
  const result = await runCli(['formats', '--json'], { cwd: DATA_DIR, env: cliEnv });
  if (result.code !== 0) throw new Error(`specmint formats failed:\n${result.stderr}`);
  const rows = (JSON.parse(result.stdout) as { formats: Array<{ format: string; available: boolean }> })
    .formats;
  const free = new Set<string>(PLANS.free.formats);
  return rows.filter((row) => row.available && free.has(row.format)).map((row) => row.format);
}

/** The "## Run" command of a suite's README, with the example API's URL and credentials filled in. */
function runCommand(suiteDir: string): string | undefined {
  const readme = join(suiteDir, 'README.md');
  if (!existsSync(readme)) return undefined;
  const block = /## Run[\s\S]*?```[a-z]*\n([\s\S]*?)```/.exec(readFileSync(readme, 'utf8'))?.[1];
  // Step 2 exports the variables, so the README's inline `VAR=… command` prefixes are dropped.
  return block?.trim().replace(/^(?:[A-Z][A-Z0-9_]*=\S+\s+)+/gm, '');
}

async function generate(
  cliEnv: Record<string, string>,
  formats: string[],
): Promise<{ files: string[]; usage: unknown }> {
  // stderr is inherited so the CLI's progress shows; stdout carries the --json result.
  const child = spawn(
    process.execPath,
    [
      join(REPO_ROOT, 'bin/specmint'),
      'generate',
      SPEC,
      '--format',
      formats.join(','),
      '--out',
      OUT_DIR,
      '--json',
    ],
    { cwd: DATA_DIR, env: { ...process.env, ...cliEnv }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const result = await waitForExit(child);
  if (result.code !== 0) throw new Error(`specmint generate exited with ${result.code}.`);
  return JSON.parse(result.stdout) as { files: string[]; usage: unknown };
}

/** Starts the server: on `port`, or — when that is taken and was not asked for — on any free port. */
async function startServer(): Promise<LicenceServer> {
  const wanted = options.port !== undefined ? Number(options.port) : options.serve ? DEFAULT_PORT : 0;
  try {
    return await startLicenceServer({ dataDir: SERVER_DIR, port: wanted });
  } catch (error) {
    if (
      wanted === 0 ||
      options.port !== undefined ||
      !/EADDRINUSE|address already in use/i.test(String(error))
    )
      throw error;
    say(`Port ${wanted} is in use; starting on another one.`);
    return startLicenceServer({ dataDir: SERVER_DIR, port: 0 });
  }
}

/** `specmint login` for this server: plain when it is on the default address, else with SPECMINT_API_URL. */
function loginCommand(server: LicenceServer): string {
  return server.url === `http://127.0.0.1:${DEFAULT_PORT}`
    ? 'npx specmint login'
    : `SPECMINT_API_URL=${server.url} npx specmint login`;
}

function printLoginHelp(server: LicenceServer, serving: boolean): void {
  const data = relative(process.cwd(), SERVER_DIR) || '.';
  const password = relative(process.cwd(), PASSWORD_FILE);
  say('');
  say('Log in as yourself (what you would do on a real licence server):');
  if (serving) {
    say(
      `  The licence server keeps running on ${server.baseUrl} until you press Ctrl-C. In another terminal:`,
    );
  } else {
    say('  1. Start the licence server on the quickstart data (it stopped when the quickstart ended):');
    say(`       SPECMINT_DATA_DIR=${data} npx specmint-server start`);
    say('     (or run `npm run quickstart -- --serve`, which keeps it running)');
    say('  2. In another terminal:');
  }
  const url = serving ? server.baseUrl : `http://localhost:${DEFAULT_PORT}`;
  say(`       ${serving ? loginCommand(server) : 'npx specmint login'}`);
  say(`     and approve the code in the browser: sign up at ${url}/sign-up, or sign in as ${EMAIL}`);
  say(`     (password in ${password}).`);
}

/** Resolves on the first Ctrl-C (SIGINT) or SIGTERM. */
function untilInterrupted(): Promise<void> {
  return new Promise((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
}

async function main(): Promise<void> {
  for (const bundle of ['dist/cli.js', 'dist/server.js']) {
    if (!existsSync(join(REPO_ROOT, bundle)))
      throw new Error(`${bundle} is missing: run \`npm run quickstart\` (it builds first).`);
  }
  mkdirSync(DATA_DIR, { recursive: true });
  say(
    `Starting the SpecMint licence server (embedded PGlite in ${relative(process.cwd(), SERVER_DIR) || '.'}; no PostgreSQL needed)…`,
  );
  const server = await startServer();
  try {
    say(`Licence server listening on ${server.url}.`);
    const cliEnv = {
      SPECMINT_API_URL: server.url,
      SPECMINT_CONFIG_DIR: join(DATA_DIR, 'cli-config'),
      SPECMINT_CREDENTIAL_STORE: 'file',
    };
    await ensureAccount(server);
    const token = await ensureToken(server, cliEnv);
    const formats = await freeFormats(cliEnv);
    say(`Generating ${formats.join(', ')} suites for ${relative(process.cwd(), SPEC)}…`);
    const result = await generate({ ...cliEnv, SPECMINT_TOKEN: token }, formats);
    const out = relative(process.cwd(), OUT_DIR) || '.';
    say('');
    say(`Done: ${result.files.length} files in ${out}/ (${formats.join(', ')}).`);
    say('');
    say('Run them against the bundled example API:');
    say(
      `  1. In another terminal:  npx tsx tests/sut/serve.ts --port 4010 --bearer-token ${SUT_TOKEN} --api-key ${SUT_API_KEY}`,
    );
    say(
      `  2. Point the suites at it:  export BASE_URL=http://localhost:4010 BEARER_AUTH=${SUT_TOKEN} API_KEY_AUTH=${SUT_API_KEY}`,
    );
    let step = 3;
    for (const format of formats) {
      const command = runCommand(join(OUT_DIR, format));
      if (!command) continue;
      say(`  ${step}. ${format}:  cd ${out}/${format}`);
      for (const line of command.split('\n')) say(`       ${line}`);
      step += 1;
    }
    say('');
    say(
      `Each suite's README.md lists the variables it reads. Re-run \`npm run quickstart\` any time; it reuses the account.`,
    );
    printLoginHelp(server, options.serve === true);
    if (options.serve) {
      await untilInterrupted();
      say('Stopping the licence server…');
    }
  } finally {
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`quickstart failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
