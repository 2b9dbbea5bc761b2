/** The `postman` format's facts (see ../format-module.ts). */
import type { FormatInfo } from '../format-module.ts';

export const postmanFormat = {
  format: 'postman',
  description: 'Postman Collection v2.1 with pm.test checks and schema validation; runs under newman',
  runCommand: 'newman run *.postman_collection.json',
  sampleData: false,
  options: [],
  checks: [{ name: 'postman', kind: 'postman-collection' }],
  runner: 'newman',
} as const satisfies FormatInfo;
