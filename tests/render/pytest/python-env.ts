/**
 * Finds Python interpreters that can run generated pytest suites (pytest, requests and jsonschema
 * importable). Tests skip with a visible reason when none is found — except in CI, where they fail.
 */
import { execFileSync } from 'node:child_process';

/** One usable interpreter and its library versions. */
export interface PythonEnv {
  command: string;
  versions: { python: string; pytest: string; requests: string; jsonschema: string };
}

const PROBE = `import importlib.metadata as m, platform, json, sys
print(json.dumps({"executable": sys.executable, "python": platform.python_version(), "pytest": m.version("pytest"), "requests": m.version("requests"), "jsonschema": m.version("jsonschema")}))`;

function probe(command: string): PythonEnv | undefined {
  try {
    const out = execFileSync(command, ['-c', PROBE], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const { executable, ...versions } = JSON.parse(out) as PythonEnv['versions'] & { executable: string };
    // The interpreter itself, not a launcher such as pyenv's shim (a shell script that costs seconds a run).
    return { command: executable || command, versions };
  } catch {
    return undefined;
  }
}

/** Distinct usable interpreters: `$PYTHON`, Debian's `/usr/bin/python3`, then `python3` on PATH. */
export function findPythons(): PythonEnv[] {
  const found: PythonEnv[] = [];
  for (const command of [process.env.PYTHON, '/usr/bin/python3', 'python3']) {
    if (!command) continue;
    const env = probe(command);
    if (env && !found.some((other) => JSON.stringify(other.versions) === JSON.stringify(env.versions)))
      found.push(env);
  }
  return found;
}

/** Why Python tests cannot run here, or undefined. In CI a missing Python is an error, not a skip. */
export function pythonSkipReason(pythons: PythonEnv[]): string | undefined {
  if (pythons.length > 0) return undefined;
  const reason =
    'python3 with pytest, requests and jsonschema not found (apt install python3-pytest python3-requests python3-jsonschema)';
  if (process.env.CI) throw new Error(`CI: ${reason}`);
  console.warn(`SKIP: ${reason}`);
  return reason;
}
