/**
 * Starts one coverage subject on a free loopback port:
 *   node --import tsx tests/coverage-subjects/launch.ts <triangle|dates|numbers|strings> [--port N]
 * Prints the base URL on stdout. SIGTERM or SIGINT closes it and exits normally, so that a coverage run
 * (NODE_V8_COVERAGE) writes its data.
 */
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { isSubjectName, SUBJECTS } from './subjects.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { port: { type: 'string', default: '0' } },
});
const name = positionals[0] ?? '';
if (!isSubjectName(name)) {
  process.stderr.write(`usage: launch.ts <${Object.keys(SUBJECTS).join('|')}> [--port N]\n`);
  process.exit(2);
}
const server = (await SUBJECTS[name].load())();
server.listen(Number(values.port), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`http://127.0.0.1:${port}\n`);
});
const stop = (): void => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
