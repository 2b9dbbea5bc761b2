import { setFlagsFromString } from 'node:v8';

/**
 * V8's optimising compiler (TurboFan) picks a function once it has run about 66 KB of bytecode, its default
 * "interrupt budget". A generation runs thousands of distinct functions (the planner, then eight renderers
 * one after another) for a few hundred milliseconds each, and `perf` showed TurboFan taking about 30 % of all
 * the CPU time of a run on GitHub's description: compiling functions that were about to go cold, on the second
 * core that the garbage collector's helpers also use. With a budget about nine times larger only what stays
 * hot is optimised: CPU time −21 % (7.8 → 6.2 s) and wall time −6 % on GitHub's description, all formats,
 * `--depth quick` (medians of seven interleaved runs). V8 reads the budget as each function warms up, so
 * setting it before the engine is loaded applies it to all of the engine's code.
 */
export function tuneV8ForGeneration(): void {
  setFlagsFromString('--interrupt-budget=600000');
}
