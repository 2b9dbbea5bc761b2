import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.ts';
import { printError } from './print-error.ts';

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

describe('printError', () => {
  it('prints a typed error with its hint and returns its exit code', () => {
    const out = sink();
    const err = sink();
    const code = printError(
      new InputError('Spec x.yaml: file not found', { hint: 'Check the path.', code: 'SPEC_NOT_FOUND' }),
      {
        json: true,
        debug: false,
        stdout: out.stream,
        stderr: err.stream,
      },
    );
    expect(code).toBe(1);
    expect(err.text()).toContain('error: Spec x.yaml: file not found');
    expect(err.text()).toContain('hint: Check the path.');
    expect(err.text()).not.toContain('at ');
    expect(JSON.parse(out.text())).toEqual({
      ok: false,
      error: { code: 'SPEC_NOT_FOUND', message: 'Spec x.yaml: file not found', hint: 'Check the path.' },
    });
  });

  it('treats anything else as an internal error (exit 70), with the stack only under --debug', () => {
    const err = sink();
    const out = sink();
    const code = printError(new TypeError('boom'), {
      json: false,
      debug: true,
      stdout: out.stream,
      stderr: err.stream,
    });
    expect(code).toBe(70);
    expect(err.text()).toContain('internal error: boom');
    expect(err.text()).toContain('--debug');
    expect(err.text()).toContain('TypeError: boom\n    at ');
    expect(out.text()).toBe('');
  });
});
