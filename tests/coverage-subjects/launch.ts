/**
 * Starts one coverage subject by hand:
 *   node --import tsx tests/coverage-subjects/launch.ts <triangle|dates|numbers|strings> [--port N]
 * Prints the base URL on stdout; Ctrl-C stops it.
 */
import { parseArgs } from 'node:util';
import { serveUntilStopped } from './common/serve.ts';
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
serveUntilStopped((await SUBJECTS[name].load())(), Number(values.port));
