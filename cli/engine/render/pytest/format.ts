/** The `pytest` format's facts (see ../format-module.ts). */
import type { FormatInfo } from '../format-module.ts';

export const pytestFormat = {
  format: 'pytest',
  description:
    'pytest project: requests + jsonschema, named checks, markers per category, one module per tag, hooks.py, JUnit and coverage reports',
  runCommand: 'pip install -r requirements.txt && pytest',
  sampleData: false,
  options: [],
  checks: [{ name: 'pytest', kind: 'python' }],
  runner: 'pytest',
} as const satisfies FormatInfo;
