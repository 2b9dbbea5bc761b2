/**
 * Runs a generated k6 script under Node with the shims in this folder: bundles it with esbuild (k6 modules
 * resolved to the shims), then runs every scenario function once in a child process and returns the checks.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const SHIMS: Record<string, string> = {
  k6: resolve(import.meta.dirname, 'shim-k6.ts'),
  'k6/http': resolve(import.meta.dirname, 'shim-http.ts'),
  'k6/encoding': resolve(import.meta.dirname, 'shim-encoding.ts'),
};

/** Outcome of one shimmed run. */
export interface K6ShimRun {
  /** Check name → passes/fails. */
  results: Record<string, { passes: number; fails: number }>;
  sent: Array<{ method: string; url: string; status: number }>;
  /** Names of the scenarios in `options.scenarios`. */
  scenarios: string[];
  thresholds: Record<string, string[]>;
}

/** Options of {@link runK6Shim}. */
export interface RunK6ShimOptions {
  /** Absolute path of the generated `load-test.js`. */
  script: string;
  /** Scratch directory for the bundle. */
  workDir: string;
  /** `__ENV` of the run. */
  env: Record<string, string>;
}

/** Bundles and runs the script once per scenario; rejects when the process fails. */
export async function runK6Shim(options: RunK6ShimOptions): Promise<K6ShimRun> {
  mkdirSync(options.workDir, { recursive: true });
  const harness = join(options.workDir, 'harness.mjs');
  writeFileSync(
    harness,
    `import * as script from ${JSON.stringify(options.script)};
import { results } from 'k6';
import { sent } from 'k6/http';
const scenarios = script.options.scenarios;
for (const scenario of Object.values(scenarios)) script[scenario.exec]();
process.stdout.write(JSON.stringify({ results, sent, scenarios: Object.keys(scenarios), thresholds: script.options.thresholds }));
`,
  );
  const outfile = join(options.workDir, 'bundle.mjs');
  await build({
    entryPoints: [harness],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'silent',
    banner: { js: 'globalThis.__ENV = JSON.parse(process.env.K6_SHIM_ENV || "{}");' },
    plugins: [
      {
        name: 'k6-shims',
        setup(pluginBuild) {
          pluginBuild.onResolve({ filter: /^k6(\/.*)?$/ }, (args) => {
            const path = SHIMS[args.path];
            return path ? { path } : { errors: [{ text: `no shim for ${args.path}` }] };
          });
        },
      },
    ],
  });
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [outfile], {
      env: { ...process.env, K6_SHIM_ENV: JSON.stringify(options.env) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`k6 shim run exited ${code}: ${stderr}`));
      else resolvePromise(JSON.parse(stdout) as K6ShimRun);
    });
  });
}
