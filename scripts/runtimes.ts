/**
 * Writes the runtime files made from other runtime files: today the jest suites' CommonJS runtime,
 * cli/engine/render/js-common/runtime/specmint.runtime.generated.js, from specmint.runtime.ts + fetch.ts.
 * Run after editing those: `npm run runtimes`. `--check` only reports whether the files are up to date
 * (tests/scripts/runtimes.test.ts fails when they are not).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { generatedRuntimeFiles } from './runtimes/generated-files.ts';

const check = process.argv.includes('--check');
let stale = 0;
for (const file of generatedRuntimeFiles()) {
  let current = '';
  try {
    current = readFileSync(file.path, 'utf8');
  } catch {}
  if (current === file.contents) continue;
  stale += 1;
  if (check) console.error(`out of date: ${file.path} (run npm run runtimes)`);
  else {
    writeFileSync(file.path, file.contents);
    console.log(`wrote ${file.path}`);
  }
}
if (check && stale > 0) process.exitCode = 1;
else if (stale === 0) console.log('runtime files are up to date');
