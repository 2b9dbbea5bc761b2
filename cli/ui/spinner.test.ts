import { PassThrough } from 'node:stream';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { canAnimate, loadOra, type Spinner, startSpinner } from './spinner.ts';

function stream(columns: number | undefined): PassThrough & { columns?: number; isTTY?: boolean } {
  const out = new PassThrough() as PassThrough & { columns?: number; isTTY?: boolean };
  out.columns = columns;
  out.isTTY = true;
  // What ora calls on a terminal stream (tty.WriteStream) to redraw its line.
  Object.assign(out, {
    cursorTo: (_x: number, done?: () => void) => done?.() ?? true,
    moveCursor: (_dx: number, _dy: number, done?: () => void) => done?.() ?? true,
    clearLine: (_dir: number, done?: () => void) => done?.() ?? true,
  });
  return out;
}

/** A spinner on a terminal of `columns`, and everything written to it so far. */
function started(columns: number): { spinner: Spinner; written: () => string } {
  const out = stream(columns);
  let written = '';
  out.on('data', (chunk: Buffer) => {
    written += chunk.toString();
  });
  const spinner = startSpinner({
    text: 'Loading',
    stream: out,
    animate: true,
    style: new Chalk({ level: 0 }),
  });
  return { spinner, written: () => written };
}

describe('spinner', () => {
  it('animates only on a terminal that reports its width', () => {
    expect(canAnimate(stream(80))).toBe(true);
    expect(canAnimate(stream(0))).toBe(false);
    expect(canAnimate(stream(undefined))).toBe(false);
  });

  it('on a terminal of 0 columns, prints one plain line when the step ends (no redraw sequences)', async () => {
    const { spinner, written } = started(0);
    await loadOra();
    spinner.update('Rendering json (1/1)');
    spinner.succeed('Done');
    expect(written()).toBe('✔ Done\n');
  });

  it('on a terminal, draws once ora has loaded and ends with the step line', async () => {
    const { spinner, written } = started(80);
    await loadOra();
    spinner.update('Rendering json (1/1)');
    spinner.succeed('Done');
    expect(written()).toContain('Rendering json (1/1)');
    expect(written()).toMatch(/✔ Done\n$/);
  });

  it('a step that ends before ora has loaded prints its line and draws nothing after', async () => {
    const { spinner, written } = started(80);
    spinner.succeed('Quick');
    await loadOra();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(written()).toBe('✔ Quick\n');
  });
});
