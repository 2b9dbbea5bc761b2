/** The `playwright` format's facts (see ../format-module.ts). */
import type { FormatInfo } from '../format-module.ts';

export const playwrightFormat = {
  format: 'playwright',
  description: 'Playwright Test API suite in TypeScript (request fixture + Ajv), one file per tag',
  runCommand: 'npm install && npx playwright test',
  sampleData: false,
  options: [],
  checks: [{ name: 'playwright', kind: 'typescript' }],
  runner: 'playwright',
} as const satisfies FormatInfo;
