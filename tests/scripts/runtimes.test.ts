/**
 * The committed runtime files made from other runtime files (jest's CommonJS runtime) are what
 * `npm run runtimes` makes from the current sources.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { expect, test } from 'vitest';
import { generatedRuntimeFiles } from '../../scripts/runtimes/generated-files.ts';

test.each(generatedRuntimeFiles().map((file) => [relative(process.cwd(), file.path), file] as const))(
  '%s is up to date (else run npm run runtimes)',
  (path, file) => {
    expect(
      readFileSync(file.path, 'utf8') === file.contents,
      `${path} is out of date: run npm run runtimes`,
    ).toBe(true);
  },
);
