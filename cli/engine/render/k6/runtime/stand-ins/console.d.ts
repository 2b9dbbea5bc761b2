/**
 * k6's `console` (it writes to k6's log), which @types/k6 does not declare; for the runtime's type check only
 * (../tsconfig.json).
 * @see https://grafana.com/docs/k6/latest/javascript-api/#console
 */
declare const console: {
  log(...values: unknown[]): void;
  warn(...values: unknown[]): void;
  error(...values: unknown[]): void;
};
