/** A stand-in for `k6/metrics`: the custom metrics a script declares, with what was added to them. */

/** Every custom metric by name, read by the harness for the summary data. */
export const metrics: Record<string, { type: 'rate' | 'counter'; values: number[] }> = {};

/** Like k6's `Rate`: the share of non-zero values added. */
export class Rate {
  constructor(name: string) {
    metrics[name] = { type: 'rate', values: [] };
    this.name = name;
  }
  readonly name: string;
  add(value: number | boolean): void {
    metrics[this.name]!.values.push(value ? 1 : 0);
  }
}

/** Like k6's `Counter`: the sum of the values added. */
export class Counter {
  constructor(name: string) {
    metrics[name] = { type: 'counter', values: [] };
    this.name = name;
  }
  readonly name: string;
  add(value: number): void {
    metrics[this.name]!.values.push(value);
  }
}

export default { Rate, Counter };
