/** The `jest` format's facts (see ../format-module.ts). */
import type { FormatInfo } from '../format-module.ts';

export const jestFormat = {
  format: 'jest',
  description: 'Jest suite in plain JavaScript (fetch + Ajv), one file per tag',
  runCommand: 'npm install && npm test',
  sampleData: false,
  options: [],
  checks: [{ name: 'jest', kind: 'javascript-commonjs' }],
  runner: 'jest',
} as const satisfies FormatInfo;
