/**
 * The `specmint` entry point: the commander table and the only place that prints fatal errors and exits.
 * Command implementations are imported lazily inside the actions so `specmint --help` and `--version`
 * start without loading the engine, undici, inquirer or ora.
 */
import { Command, CommanderError, Option } from 'commander';
import { FORMATS } from '../shared/plans.ts';
import { SPECMINT_VERSION } from '../shared/version.ts';
import type { CommandContext } from './commands/command-context.ts';
import { allFormatOptions } from './engine/render/formats.ts';
import { EXIT } from './errors.ts';
import { InterruptedError } from './ui/interrupted-error.ts';

const interrupt = new AbortController();
const ctx: CommandContext = {
  state: { json: false, debug: false },
  env: process.env,
  cwd: process.cwd(),
  signal: interrupt.signal,
};

function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}

const ENVIRONMENT = `
Environment:
  SPECMINT_TOKEN        CI token (beats the stored login)
  SPECMINT_API_URL      licence server (default http://127.0.0.1:8787)
  SPECMINT_CONFIG_DIR   where credentials and caches live
  SPECMINT_CREDENTIAL_STORE=file   keep credentials in a 0600 file instead of the OS keychain
  CI, NO_COLOR, HTTPS_PROXY/HTTP_PROXY/NO_PROXY, NODE_EXTRA_CA_CERTS

Exit codes: 0 ok · 1 bad input · 2 usage · 3 --check found stale files · 4 not logged in / plan / quota
            5 licence server or network unreachable · 70 internal error · 130 interrupted
`;

function addGenerate(program: Command): void {
  const generate = program
    .command('generate')
    .summary('generate test suites from an OpenAPI spec')
    .description(
      // One sentence per line: commander wraps each to the terminal width.
      'Load and validate the spec locally, get a licence for the run from the licence server, then write the ' +
        'suites atomically to --out.\n' +
        'A broken spec never costs quota; re-running on an unchanged spec is free.\n' +
        'Without --format/--seed/--path-param (and none in specmint.config.json) a re-run reuses those recorded in --out.',
    )
    .argument('[spec]', 'OpenAPI 3.0/3.1 or Swagger 2.0 file (JSON/YAML), http(s) URL, or - for stdin')
    .option('-f, --format <list>', `formats, comma-separated: ${FORMATS.join(',')}`)
    .option('-o, --out <dir>', 'output folder (default: ./specmint-tests)')
    .option('--seed <n>', 'seed for synthesised test data (default: 1)')
    .option('--tags <list>', 'only operations with one of these tags')
    .option('--operations <list>', 'only these operations (operationId)')
    .option('--categories <list>', 'contract,negative,boundary,auth,stateful (default: all)')
    .addOption(
      new Option(
        '--depth <depth>',
        'inputs per case: quick (one), standard (classes combined pairwise), deep (default: standard)',
      ).choices(['quick', 'standard', 'deep']),
    )
    .option(
      '--path-param <name=value>',
      'a path parameter value naming a resource that exists, e.g. owner=octocat (repeatable)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .addOption(
      new Option('--ai <provider>', 'AI-enhanced cases with your own key (Pro+)').choices([
        'openai',
        'anthropic',
      ]),
    )
    .option('--ai-model <model>', 'AI model (custom models: Enterprise)')
    .option('--ai-base-url <url>', 'AI endpoint (custom endpoints: Enterprise)')
    .option('--ai-redact', 'send the AI provider no descriptions or examples from the spec');
  // Each format's own options (--sql-dialect), declared by the format (cli/engine/render/<format>/format.ts).
  for (const option of allFormatOptions()) {
    generate.addOption(
      new Option(
        `--${option.flag} <${option.valueName}>`,
        `${option.description} (default: ${option.default})`,
      ).choices(option.values),
    );
  }
  generate
    .option('--dry-run', 'plan and list the files without writing or charging anything')
    .option('--check', 'exit 3 when the files in --out differ from what would be generated (no charge)')
    .option('--force', 'replace the format folders in an --out folder SpecMint did not write')
    .option('--json', 'print one JSON object on stdout at the end (logs go to stderr)')
    .option('-y, --yes', 'never prompt (missing values are an error naming the flag)')
    .option('--debug', 'print debug details, the time each stage took and stack traces')
    .addHelpText(
      'after',
      examples([
        'specmint generate openapi.yaml --format pytest,vitest',
        'specmint generate https://example.com/openapi.json --format postman --out api-tests',
        'cat openapi.yaml | specmint generate - --format jest --tags pets',
        'specmint generate openapi.yaml --dry-run',
        'specmint generate github.json --path-param owner=octocat --path-param repo=hello-world',
        'SPECMINT_TOKEN=smk_… specmint generate openapi.yaml --format pytest --json   # CI',
        'specmint generate openapi.yaml --check   # in CI: fail when committed tests are stale',
      ]) + ENVIRONMENT,
    )
    .action(async (spec: string | undefined, flags) => {
      const { tuneV8ForGeneration } = await import('./commands/generate/tune-v8.ts');
      tuneV8ForGeneration();
      const { runGenerate } = await import('./commands/generate/run-generate.ts');
      await runGenerate(spec, flags, ctx);
    });
}

function addAccount(program: Command): void {
  program
    .command('login')
    .summary('log in with a code approved in the browser')
    .description('Log in with the device-code flow: approve the code shown here in your browser.')
    .option('--no-browser', 'do not open the browser; just print the link')
    .option('--force', 'log in again even when already logged in (to switch accounts)')
    .option('--debug', 'print debug details')
    .addHelpText(
      'after',
      examples([
        'specmint login',
        'SPECMINT_API_URL=https://licence.example.com specmint login --no-browser',
        'specmint login --force   # switch to another account',
      ]),
    )
    .action(async (flags) => {
      const { runLogin } = await import('./commands/login/run-login.ts');
      await runLogin(flags, ctx);
    });
  program
    .command('logout')
    .description('end the session on the licence server and forget it locally')
    .option('--debug', 'print debug details')
    .addHelpText('after', examples(['specmint logout']))
    .action(async (flags) => {
      const { runLogout } = await import('./commands/logout/run-logout.ts');
      await runLogout(flags, ctx);
    });
  program
    .command('whoami')
    .description('show the user, plan, usage this period and when the period ends')
    .option('--json', 'print one JSON object')
    .option('--debug', 'print debug details')
    .addHelpText('after', examples(['specmint whoami', 'specmint whoami --json']))
    .action(async (flags) => {
      const { runWhoami } = await import('./commands/whoami/run-whoami.ts');
      await runWhoami(flags, ctx);
    });
}

function addProject(program: Command): void {
  program
    .command('formats')
    .description('list the output formats and whether your plan includes them')
    .option('--json', 'print one JSON object')
    .option('--debug', 'print debug details')
    .addHelpText('after', examples(['specmint formats', 'specmint formats --json']))
    .action(async (flags) => {
      const { runFormats } = await import('./commands/formats/run-formats.ts');
      await runFormats(flags, ctx);
    });
  program
    .command('init')
    .description('write specmint.config.json (with a $schema) in the current folder')
    .option('--spec <path>', 'the OpenAPI spec (default: openapi.yaml etc. when present)')
    .option('-f, --format <list>', 'formats to generate, comma-separated')
    .option('-o, --out <dir>', 'output folder (default: ./specmint-tests)')
    .option('--force', 'replace an existing specmint.config.json')
    .option('-y, --yes', 'never prompt')
    .option('--debug', 'print debug details')
    .addHelpText(
      'after',
      examples(['specmint init', 'specmint init --spec api/openapi.yaml --format pytest,postman --yes']),
    )
    .action(async (flags) => {
      const { runInit } = await import('./commands/init/run-init.ts');
      await runInit(flags, ctx);
    });
}

function addTokens(program: Command): void {
  const tokens = program
    .command('tokens')
    .description('manage CI tokens (use one as SPECMINT_TOKEN)')
    .addHelpText(
      'after',
      examples([
        'specmint tokens create --name github-actions',
        'specmint tokens list',
        'specmint tokens revoke <id>',
      ]),
    );
  tokens
    .command('create')
    .argument('[name]', 'a name to recognise it by (same as --name; default: ci)')
    .description('create a CI token; it is printed once, alone on stdout')
    .option('--name <name>', 'a name to recognise it by (default: ci)')
    .option('--json', 'print one JSON object')
    .option('--debug', 'print debug details')
    .addHelpText(
      'after',
      examples(['specmint tokens create --name ci', 'specmint tokens create github-actions > token.txt']),
    )
    .action(async (name: string | undefined, flags) => {
      const { runTokensCreate } = await import('./commands/tokens/run-tokens.ts');
      await runTokensCreate(name, flags, ctx);
    });
  tokens
    .command('list')
    .description('list your CI tokens')
    .option('--json', 'print one JSON object')
    .option('--debug', 'print debug details')
    .action(async (flags) => {
      const { runTokensList } = await import('./commands/tokens/run-tokens.ts');
      await runTokensList(flags, ctx);
    });
  tokens
    .command('revoke')
    .argument('<id>', 'token id (see `specmint tokens list`)')
    .description('revoke a CI token at once')
    .option('--json', 'print one JSON object')
    .option('--debug', 'print debug details')
    .action(async (id: string, flags) => {
      const { runTokensRevoke } = await import('./commands/tokens/run-tokens.ts');
      await runTokensRevoke(id, flags, ctx);
    });
}

function addBilling(program: Command): void {
  program
    .command('upgrade')
    .argument('[plan]', 'pro or enterprise')
    .description('open Stripe Checkout for a paid plan (or print its URL)')
    .option('--no-browser', 'print the URL instead of opening it')
    .option('--json', 'print one JSON object with the URL')
    .option('--debug', 'print debug details')
    .addHelpText('after', examples(['specmint upgrade pro', 'specmint upgrade enterprise --no-browser']))
    .action(async (plan: string | undefined, flags) => {
      const { runUpgrade } = await import('./commands/billing/run-billing.ts');
      await runUpgrade(plan, flags, ctx);
    });
  program
    .command('billing')
    .description('open the Stripe billing portal (invoices, payment method, cancel)')
    .option('--no-browser', 'print the URL instead of opening it')
    .option('--json', 'print one JSON object with the URL')
    .option('--debug', 'print debug details')
    .addHelpText('after', examples(['specmint billing']))
    .action(async (flags) => {
      const { runBilling } = await import('./commands/billing/run-billing.ts');
      await runBilling(flags, ctx);
    });
}

/** Builds the commander program. */
function buildProgram(): Command {
  const program = new Command('specmint')
    .description('Turn an OpenAPI description into runnable API test suites.')
    .version(SPECMINT_VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help (every command has examples)')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage and examples)')
    .configureHelp({ sortSubcommands: false, showGlobalOptions: false })
    .addHelpText(
      'after',
      examples([
        'specmint login',
        'specmint generate openapi.yaml --format pytest,vitest',
        'specmint generate openapi.yaml --check',
        'specmint whoami',
      ]) + ENVIRONMENT,
    );
  addGenerate(program);
  addAccount(program);
  addProject(program);
  addTokens(program);
  addBilling(program);
  return program;
}

function wantsJson(argv: readonly string[]): boolean {
  return ctx.state.json || argv.includes('--json');
}

/** Runs the CLI and resolves the exit code. */
async function main(argv: readonly string[] = process.argv): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv]);
    return EXIT.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.OK;
      // Commander already printed the problem; bad flags, unknown commands and a bare `specmint` are usage errors.
      if (wantsJson(argv)) {
        process.stdout.write(
          `${JSON.stringify({ ok: false, error: { code: 'USAGE', message: error.message } }, null, 2)}\n`,
        );
      }
      return EXIT.USAGE;
    }
    const { printError } = await import('./ui/print-error.ts');
    return printError(error, { json: wantsJson(argv), debug: ctx.state.debug || argv.includes('--debug') });
  }
}

function exitInterrupted(): never {
  process.stderr.write('\nInterrupted.\n');
  if (wantsJson(process.argv)) {
    process.stdout.write(
      `${JSON.stringify({ ok: false, error: { code: 'INTERRUPTED', message: 'Interrupted.' } }, null, 2)}\n`,
    );
  }
  process.exit(EXIT.INTERRUPTED);
}

// Ctrl-C: a command that watches ctx.signal (generate) stops at its next checkpoint, leaves its output as it
// was and exits 130 through the normal error path; any other command, or a second Ctrl-C, exits at once.
process.on('SIGINT', () => {
  if (interrupt.signal.aborted || !ctx.state.cancellable) exitInterrupted();
  interrupt.abort(new InterruptedError());
  // A command that does not unwind within seconds is stopped anyway (a busy machine can take a few to let a
  // licence go and remove a half-written folder).
  setTimeout(exitInterrupted, 10_000).unref();
});

const code = await main();
process.exit(code);
