/** The `vitest` format's facts (see ../format-module.ts). */
import type { FormatInfo } from '../format-module.ts';

export const vitestFormat = {
  format: 'vitest',
  description: 'Vitest suite in TypeScript (fetch + Ajv), one file per tag',
  runCommand: 'npm install && npm test',
  sampleData: false,
  options: [],
  checks: [{ name: 'vitest', kind: 'typescript' }],
  runner: 'vitest',
} as const satisfies FormatInfo;
