/**
 * Runs the pet store SUT by hand:
 *   npx tsx tests/sut/serve.ts --port 4010 [--fault name] [--bearer-token T] [--api-key K]
 * Prints the base URL; Ctrl-C stops it.
 */
import { parseArgs } from 'node:util';
import { isSutFault, SUT_FAULTS, startSut } from './petstore-server.ts';

const USAGE = `usage: tsx tests/sut/serve.ts [--port N] [--fault NAME] [--bearer-token T] [--api-key K]
faults:
${Object.entries(SUT_FAULTS)
  .map(([name, description]) => `  ${name.padEnd(26)} ${description}`)
  .join('\n')}`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseCli() {
  return parseArgs({
    options: {
      port: { type: 'string', default: '4010' },
      fault: { type: 'string' },
      'bearer-token': { type: 'string' },
      'api-key': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }).values;
}
let values: ReturnType<typeof parseCli>;
try {
  values = parseCli();
} catch (error) {
  fail((error as Error).message);
}

if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0..65535 (got ${values.port})`);
const fault = values.fault;
if (fault !== undefined && !isSutFault(fault)) fail(`unknown fault: ${fault}`);

const sut = await startSut({
  port,
  fault,
  bearerToken: values['bearer-token'],
  apiKey: values['api-key'],
});
// stdout carries only the URL so scripts can read it; the rest goes to stderr.
process.stdout.write(`${sut.url}\n`);
process.stderr.write(`pet store SUT ${fault ? `with fault ${fault}` : '(conforming)'}; Ctrl-C stops it\n`);

const stop = (): void => {
  sut.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
