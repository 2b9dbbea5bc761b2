/** The `json` format's facts (see ../format-module.ts). */
import type { FormatInfo } from '../format-module.ts';

export const jsonFormat = {
  format: 'json',
  description: 'The test plan as canonical JSON, for your own tooling',
  sampleData: true,
  options: [],
  checks: [{ name: 'json', kind: 'json-plan' }],
} as const satisfies FormatInfo;
