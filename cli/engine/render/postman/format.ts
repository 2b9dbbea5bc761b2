/** The `postman` format's facts (see ../format-module.ts). */
import type { FormatInfo } from '../format-module.ts';

export const postmanFormat = {
  format: 'postman',
  description:
    "Postman Collection v2.1: auth at collection level, the named checks in each request's Tests tab; runs under newman",
  runCommand: 'node specmint-run.mjs',
  sampleData: false,
  options: [],
  checks: [{ name: 'postman', kind: 'postman-collection' }],
  runner: 'newman',
} as const satisfies FormatInfo;
