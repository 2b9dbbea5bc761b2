import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { callSut } from './test-client.ts';

const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));
let child: ChildProcess | undefined;

afterEach(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  child = undefined;
});

function runServe(args: string[]): ChildProcess {
  child = spawn(process.execPath, ['--import', 'tsx', SERVE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return child;
}

async function firstLine(proc: ChildProcess): Promise<string> {
  let out = '';
  for await (const chunk of proc.stdout ?? []) {
    out += String(chunk);
    if (out.includes('\n')) break;
  }
  return out.split('\n')[0] ?? '';
}

describe('serve.ts', () => {
  it('prints the URL of a running server with the chosen fault, and stops on SIGTERM', async () => {
    const proc = runServe(['--port', '0', '--fault', 'server-error']);
    const url = await firstLine(proc);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await callSut(url, '/health')).status).toBe(200);
    expect((await callSut(url, '/pets')).status).toBe(500);
    proc.kill('SIGTERM');
    const [code] = await once(proc, 'exit');
    expect(code).toBe(0);
  });

  it('exits 2 with the list of faults on an unknown fault', async () => {
    const proc = runServe(['--fault', 'nope']);
    let stderr = '';
    proc.stderr?.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const [code] = await once(proc, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain('unknown fault: nope');
    expect(stderr).toContain('delete-noop');
  });
});
