import { PassThrough } from 'node:stream';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { canAnimate, startSpinner } from './spinner.ts';

function stream(columns: number | undefined): PassThrough & { columns?: number; isTTY?: boolean } {
  const out = new PassThrough() as PassThrough & { columns?: number; isTTY?: boolean };
  out.columns = columns;
  out.isTTY = true;
  return out;
}

describe('spinner', () => {
  it('animates only on a terminal that reports its width', () => {
    expect(canAnimate(stream(80))).toBe(true);
    expect(canAnimate(stream(0))).toBe(false);
    expect(canAnimate(stream(undefined))).toBe(false);
  });

  it('on a terminal of 0 columns, prints one plain line when the step ends (no redraw sequences)', () => {
    const out = stream(0);
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
    spinner.update('Rendering json (1/1)');
    spinner.succeed('Done');
    expect(written).toBe('✔ Done\n');
  });
});
