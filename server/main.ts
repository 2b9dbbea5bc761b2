/**
 * `specmint-server` — the licence server's entry point and the only module that exits the process.
 * Commands: `start [--port N]`, `migrate`, `admin create-user|set-plan|create-token|stats`.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import type { AdminStats } from '../shared/contracts.ts';
import { SPECMINT_VERSION } from '../shared/version.ts';
import type { AdminCommand } from './commands/admin.ts';
import { CommandError } from './commands/command-error.ts';
import { DataDirLockedError } from './db/data-dir-lock.ts';
import { EnvError, parseEnv, type ServerEnv } from './env.ts';
import { createLogger, type Logger } from './logger.ts';

const EXIT_OK = 0;
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;
const EXIT_INTERNAL = 70;
/** The licence server port `specmint` uses when SPECMINT_API_URL is not set. */
const DEFAULT_CLI_PORT = 8787;
/** Longest a graceful shutdown may take before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 15_000;

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new InvalidArgumentError('must be 0–65535');
  return port;
}

function printResult(result: unknown, json: boolean, human: string): void {
  process.stdout.write(json ? `${JSON.stringify(result)}\n` : `${human}\n`);
}

/** The one human line beside the JSON logs when a person started the server in a terminal. */
function readyLine(running: { url: string; baseUrl: string; port: number }): string {
  const login =
    running.url === `http://127.0.0.1:${DEFAULT_CLI_PORT}`
      ? '`specmint login`'
      : `\`SPECMINT_API_URL=${running.url} specmint login\``;
  return `Ready on ${running.baseUrl} — run ${login} in another terminal; Ctrl-C stops the server.`;
}

async function start(env: ServerEnv, logger: Logger, port: number | undefined): Promise<void> {
  // Commands load their (heavy) modules on demand so `--help` and config errors answer at once.
  const { startServer } = await import('./commands/start.ts');
  const running = await startServer({ env, logger, ...(port !== undefined ? { port } : {}) });
  // After the JSON `listening` line, which the logger writes on the next turn of the event loop.
  if (process.stderr.isTTY) setImmediate(() => process.stderr.write(`${readyLine(running)}\n`));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn('second signal: exiting without waiting', { signal });
      process.exit(EXIT_FAILURE);
    }
    stopping = true;
    logger.info('shutting down: finishing in-flight requests', { signal });
    const timer = setTimeout(() => {
      logger.error('graceful shutdown timed out');
      process.exit(EXIT_FAILURE);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    running.close().then(
      () => {
        logger.info('stopped');
        process.exit(EXIT_OK);
      },
      (error: unknown) => {
        logger.error('shutdown failed', { error });
        process.exit(EXIT_FAILURE);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function admin(env: ServerEnv, logger: Logger, command: AdminCommand, flags: Record<string, unknown>) {
  const { json, ...input } = flags;
  const { runAdminCommand } = await import('./commands/admin.ts');
  const result = (await runAdminCommand({
    env,
    logger,
    command,
    input,
    notice: (message) => process.stderr.write(`${message}\n`),
  })) as Record<string, unknown>;
  if (command === 'create-token') {
    // The token alone on stdout, so `TOKEN=$(specmint-server admin create-token …)` works.
    printResult(result, json === true, String(result.token));
  } else if (command === 'stats') {
    const { formatBillingStats } = await import('./admin/admin-stats.ts');
    printResult(result, json === true, formatBillingStats(result as unknown as AdminStats));
  } else {
    printResult(result, json === true, `${String(result.email)}: plan ${String(result.plan)}`);
  }
}

function buildProgram(
  run: (task: (env: ServerEnv, logger: Logger) => Promise<void>) => Promise<void>,
): Command {
  const program = new Command('specmint-server')
    .description('SpecMint licence server: accounts, device login, CI tokens, entitlements, usage tokens.')
    .version(SPECMINT_VERSION)
    .exitOverride()
    .showHelpAfterError();
  program
    .command('start')
    .description('apply migrations and serve HTTP (PORT, default 8787)')
    .option('--port <n>', 'port to listen on (0 = any free port)', parsePort)
    .action((options: { port?: number }) => run((env, logger) => start(env, logger, options.port)));
  program
    .command('migrate')
    .description('apply pending database migrations and exit')
    .action(() =>
      run(async (env, logger) => {
        const { runMigrateCommand } = await import('./commands/migrate.ts');
        await runMigrateCommand({ env, logger });
      }),
    );
  const adminCommand = program
    .command('admin')
    .description('operator commands (work with the server stopped)');
  adminCommand
    .command('create-user')
    .description('create an email + password account')
    .requiredOption('--email <email>', 'email address')
    .requiredOption('--password <password>', 'password (8–128 characters)')
    .option('--plan <plan>', 'free | pro | enterprise', 'free')
    .option('--name <name>', 'display name')
    .option('--json', 'print the result as JSON')
    .action((flags: Record<string, unknown>) =>
      run((env, logger) => admin(env, logger, 'create-user', flags)),
    );
  adminCommand
    .command('set-plan')
    .description("change a user's plan")
    .requiredOption('--email <email>', 'email address')
    .requiredOption('--plan <plan>', 'free | pro | enterprise')
    .option('--json', 'print the result as JSON')
    .action((flags: Record<string, unknown>) => run((env, logger) => admin(env, logger, 'set-plan', flags)));
  adminCommand
    .command('create-token')
    .description('create a CI token and print it on stdout')
    .requiredOption('--email <email>', 'email address')
    .option('--name <name>', 'token name', 'admin')
    .option('--json', 'print the result as JSON')
    .action((flags: Record<string, unknown>) =>
      run((env, logger) => admin(env, logger, 'create-token', flags)),
    );
  adminCommand
    .command('stats')
    .description('billing: active subscriptions by plan, MRR, new and churned this month, conversion')
    .option('--json', 'print the result as JSON')
    .action((flags: Record<string, unknown>) => run((env, logger) => admin(env, logger, 'stats', flags)));
  return program;
}

function report(error: unknown, logger: Logger | undefined): number {
  if (error instanceof EnvError || error instanceof CommandError || error instanceof DataDirLockedError) {
    process.stderr.write(`specmint-server: ${error.message}\n`);
    return error instanceof CommandError ? error.exitCode : EXIT_FAILURE;
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE' || code === 'EACCES') {
    process.stderr.write(
      `specmint-server: cannot listen: ${(error as Error).message}. Choose another --port.\n`,
    );
    return EXIT_FAILURE;
  }
  if (logger) logger.error('fatal error', { error });
  else process.stderr.write(`specmint-server: ${(error as Error)?.stack ?? String(error)}\n`);
  return EXIT_INTERNAL;
}

async function main(argv: string[]): Promise<void> {
  let logger: Logger | undefined;
  let failed: number | undefined;
  const run = async (task: (env: ServerEnv, logger: Logger) => Promise<void>) => {
    try {
      const env = parseEnv(process.env);
      logger = createLogger({ level: env.logLevel });
      await task(env, logger);
    } catch (error) {
      failed = report(error, logger);
    }
  };
  try {
    await buildProgram(run).parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exit(error.exitCode === 0 ? EXIT_OK : EXIT_USAGE);
    }
    failed = report(error, logger);
  }
  if (failed !== undefined) process.exit(failed);
  // `start` keeps running (the listening socket holds the event loop); other commands end here.
}

await main(process.argv);
