/** The `k6` format's facts (see ../format-module.ts). */
import type { FormatInfo } from '../format-module.ts';

export const k6Format = {
  format: 'k6',
  description: 'k6 load test: a scenario per operation from the contract cases, named checks and thresholds',
  runCommand: 'mkdir -p reports && k6 run load-test.js',
  sampleData: false,
  options: [],
  checks: [{ name: 'k6', kind: 'k6-script' }],
  // k6 itself cannot be installed here: the tests run the script under Node shims of k6's modules.
  runner: 'k6',
} as const satisfies FormatInfo;
