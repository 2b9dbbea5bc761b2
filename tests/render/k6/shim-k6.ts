/**
 * A stand-in for the `k6` module: `check` evaluates and records every named check under the current group, and
 * `group` nests, as k6 does; the harness (run-k6-shim.ts) turns what they recorded into k6's end-of-test data.
 */

/** A group as k6's summary data holds it: its checks and sub-groups. */
export interface ShimGroup {
  name: string;
  path: string;
  groups: ShimGroup[];
  checks: Array<{ name: string; path: string; passes: number; fails: number }>;
}

/** The root group (k6's `root_group`). */
export const rootGroup: ShimGroup = { name: '', path: '', groups: [], checks: [] };

/** Check name (with its group path) → passes and fails, read by the harness after a run. */
export const results: Record<string, { passes: number; fails: number }> = {};

/** Passes and fails of every check, for k6's built-in `checks` rate. */
export const checkTotals = { passes: 0, fails: 0 };

let current = rootGroup;

/** Like k6's `group`: runs `fn` inside a sub-group of the current one. */
export function group<T>(name: string, fn: () => T): T {
  if (name.includes('::')) throw new Error(`group name ${name} contains '::'`);
  const parent = current;
  let child = parent.groups.find((g) => g.name === name);
  if (!child) {
    child = { name, path: `${parent.path}::${name}`, groups: [], checks: [] };
    parent.groups.push(child);
  }
  current = child;
  try {
    return fn();
  } finally {
    current = parent;
  }
}

/** Like k6's `check`: runs each predicate on `value`, records the outcome, returns whether all passed. */
export function check<T>(value: T, checks: Record<string, (value: T) => boolean>): boolean {
  let all = true;
  for (const [name, predicate] of Object.entries(checks)) {
    let ok = false;
    try {
      ok = predicate(value) === true;
    } catch {
      ok = false;
    }
    let entry = current.checks.find((c) => c.name === name);
    if (!entry) {
      entry = { name, path: `${current.path}::${name}`, passes: 0, fails: 0 };
      current.checks.push(entry);
    }
    const key = current === rootGroup ? name : `${current.name} › ${name}`;
    const total = results[key] ?? { passes: 0, fails: 0 };
    if (ok) {
      entry.passes += 1;
      total.passes += 1;
      checkTotals.passes += 1;
    } else {
      entry.fails += 1;
      total.fails += 1;
      checkTotals.fails += 1;
    }
    results[key] = total;
    all &&= ok;
  }
  return all;
}

export default { check, group };
