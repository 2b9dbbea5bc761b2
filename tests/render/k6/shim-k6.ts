/** A stand-in for the `k6` module: `check` evaluates and records every named check. */

/** Check name → passes and fails, read by the harness after a run. */
export const results: Record<string, { passes: number; fails: number }> = {};

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
    const entry = results[name] ?? { passes: 0, fails: 0 };
    if (ok) entry.passes += 1;
    else entry.fails += 1;
    results[name] = entry;
    all &&= ok;
  }
  return all;
}
