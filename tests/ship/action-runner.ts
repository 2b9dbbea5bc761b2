/**
 * Runs a composite action's steps the way GitHub's runner does, as far as it can be reproduced on one machine:
 * the inputs (with action.yml's defaults) are substituted into each step's `env` and `working-directory`,
 * each `run:` script goes through `bash --noprofile --norc -eo pipefail` (what `shell: bash` means on a
 * runner) with GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_ACTION_PATH and RUNNER_TEMP set, step outputs are
 * read back from GITHUB_OUTPUT, a failing step skips the rest, and the action's outputs are evaluated.
 *
 * Only the expressions action.yml needs are understood (`inputs.<name>`, `steps.<id>.outputs.<name>`);
 * anything else throws, so the action cannot start relying on runner behaviour this does not reproduce.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { parse } from 'yaml';

/** The parts of action.yml this runner reads. */
export interface CompositeAction {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: {
    using: string;
    steps: Array<{
      name?: string;
      id?: string;
      uses?: string;
      if?: string;
      shell?: string;
      run?: string;
      env?: Record<string, string>;
      'working-directory'?: string;
    }>;
  };
}

/** One step's run. */
export interface StepRun {
  id: string;
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

/** A whole action run. */
export interface ActionRun {
  /** The steps that ran (a failing step ends the list). */
  steps: StepRun[];
  /** 0 when every step passed, else the failing step's exit code. */
  code: number;
  outputs: Record<string, string>;
  /** What the steps appended to GITHUB_STEP_SUMMARY. */
  summary: string;
}

export function loadAction(path: string): CompositeAction {
  return parse(readFileSync(path, 'utf8')) as CompositeAction;
}

const EXPRESSION = /\$\{\{\s*(.*?)\s*\}\}/g;

/** Substitutes `${{ … }}` in `text` from the inputs and the step outputs so far. */
export function evaluate(
  text: string,
  context: { inputs: Record<string, string>; steps: Record<string, Record<string, string>> },
): string {
  return text.replace(EXPRESSION, (_, body: string) => {
    const input = /^inputs\.([\w-]+)$/.exec(body);
    if (input) {
      const value = context.inputs[input[1]!];
      if (value === undefined) throw new Error(`\${{ ${body} }}: no such input`);
      return value;
    }
    const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(body);
    if (output) return context.steps[output[1]!]?.[output[2]!] ?? '';
    throw new Error(`\${{ ${body} }}: this runner only evaluates inputs.* and steps.*.outputs.*`);
  });
}

/** Reads a GITHUB_OUTPUT file: `name=value` lines and `name<<DELIMITER` … `DELIMITER` blocks. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, index + 1);
      if (end < 0) throw new Error(`GITHUB_OUTPUT: ${heredoc[1]} has no closing ${heredoc[2]}`);
      outputs[heredoc[1]!] = lines.slice(index + 1, end).join('\n');
      index = end;
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}

function runBash(script: string, options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Options of {@link runAction}. */
export interface RunActionOptions {
  /** The folder holding action.yml: GITHUB_ACTION_PATH. */
  actionPath: string;
  /** The job's working directory (GITHUB_WORKSPACE); a step's `working-directory` is relative to it. */
  workspace: string;
  /** The `with:` of the workflow step. */
  with: Record<string, string>;
  /** The job's environment (PATH, CI, …). */
  env: NodeJS.ProcessEnv;
  /** RUNNER_TEMP, kept afterwards (the result file is there); without it a temp folder is made and removed. */
  runnerTemp?: string;
  /** @default 180000 per step */
  stepTimeoutMs?: number;
}

/** Runs action.yml's steps (see the file comment). */
export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const action = loadAction(join(options.actionPath, 'action.yml'));
  if (action.runs.using !== 'composite') throw new Error(`not a composite action: ${action.runs.using}`);
  const inputs: Record<string, string> = {};
  for (const [name, input] of Object.entries(action.inputs)) {
    const given = options.with[name];
    if (given === undefined && input.required) throw new Error(`input ${name} is required`);
    inputs[name] = given ?? input.default ?? '';
  }
  for (const name of Object.keys(options.with)) {
    if (!(name in action.inputs)) throw new Error(`unexpected input ${name}`);
  }
  const temp = options.runnerTemp ?? mkdtempSync(join(tmpdir(), 'specmint-runner-'));
  const runner = mkdtempSync(join(temp, 'runner-'));
  const summaryFile = join(runner, 'step-summary.md');
  writeFileSync(summaryFile, '');
  const steps: Record<string, Record<string, string>> = {};
  const runs: StepRun[] = [];
  let code = 0;
  try {
    for (const [index, step] of action.runs.steps.entries()) {
      if (step.uses || step.if) throw new Error(`step ${step.name}: uses/if are not reproduced here`);
      if (step.shell !== 'bash' || step.run === undefined)
        throw new Error(`step ${step.name}: not a bash step`);
      const id = step.id ?? `__${index}`;
      const context = { inputs, steps };
      const outputFile = join(runner, `output-${index}`);
      const script = join(runner, `step-${index}.sh`);
      writeFileSync(outputFile, '');
      writeFileSync(script, evaluate(step.run, context));
      const env: NodeJS.ProcessEnv = {
        ...options.env,
        GITHUB_ACTION_PATH: options.actionPath,
        GITHUB_WORKSPACE: options.workspace,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        RUNNER_TEMP: temp,
      };
      for (const [name, value] of Object.entries(step.env ?? {})) env[name] = evaluate(value, context);
      const directory = evaluate(step['working-directory'] ?? '.', context);
      const cwd = isAbsolute(directory) ? directory : join(options.workspace, directory);
      const result = await runBash(script, { cwd, env, timeoutMs: options.stepTimeoutMs ?? 180_000 });
      steps[id] = parseOutputFile(readFileSync(outputFile, 'utf8'));
      runs.push({ id, ...result, outputs: steps[id]! });
      if (result.code !== 0) {
        code = result.code;
        break;
      }
    }
    const outputs: Record<string, string> = {};
    for (const [name, output] of Object.entries(action.outputs)) {
      outputs[name] = evaluate(output.value, { inputs, steps });
    }
    return { steps: runs, code, outputs, summary: readFileSync(summaryFile, 'utf8') };
  } finally {
    rmSync(options.runnerTemp ? runner : temp, { recursive: true, force: true });
  }
}
