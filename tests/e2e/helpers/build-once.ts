/**
 * Builds `dist/` once for all CLI e2e files running in parallel: the first file to get the lock runs
 * `npm run build` (scripts/build.mjs); the others wait for it. Skipped when SPECMINT_E2E_SKIP_BUILD=1
 * (e.g. `npm test` has just built).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT } from './licence-server.ts';
import { assertBuilt } from './run-cli.ts';

const LOCK = join(REPO_ROOT, 'tests', '.tmp', 'cli-e2e-build.lock');
const STAMP = join(REPO_ROOT, 'tests', '.tmp', 'cli-e2e-build.done');
/** The test files of one vitest run are forks of one parent: its pid marks "built in this run". */
const RUN_ID = String(process.ppid);

function builtThisRun(): boolean {
  try {
    return readFileSync(STAMP, 'utf8').trim() === RUN_ID;
  } catch {
    return false;
  }
}

/** Ensures dist/ is built from the current sources. */
export async function buildOnce(): Promise<void> {
  if (process.env.SPECMINT_E2E_SKIP_BUILD === '1') {
    assertBuilt();
    return;
  }
  mkdirSync(join(REPO_ROOT, 'tests', '.tmp'), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (waited > 180_000) rmSync(LOCK, { recursive: true, force: true });
      await sleep(200);
    }
  }
  try {
    if (builtThisRun()) return;
    const result = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`npm run build failed:\n${result.stdout}\n${result.stderr}`);
    writeFileSync(STAMP, `${RUN_ID}\n`);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
  assertBuilt();
}
