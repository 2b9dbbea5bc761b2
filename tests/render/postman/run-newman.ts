/** Runs a Postman collection with newman's Node API and summarises the outcome (tests only). */
import { createRequire } from 'node:module';

/** The parts of newman's run summary these tests read (newman ships no type definitions). */
interface NewmanSummary {
  run: {
    stats: Record<
      'requests' | 'assertions' | 'testScripts' | 'prerequestScripts',
      { total: number; failed: number }
    >;
    failures: Array<{ error: { name: string; message: string; test?: string }; source?: { name?: string } }>;
  };
}

type NewmanRun = (
  options: {
    collection: unknown;
    envVar: Array<{ key: string; value: string }>;
    reporters: string[];
    timeoutRequest?: number;
    timeoutScript?: number;
  },
  callback: (error: Error | null, summary: NewmanSummary) => void,
) => unknown;

const newman = createRequire(import.meta.url)('newman') as { run: NewmanRun };

/** Outcome of one newman run. */
export interface NewmanReport {
  requests: number;
  assertions: number;
  /** Failed assertions plus script errors. */
  failed: number;
  /** `request: test — message` of every failure. */
  failures: string[];
}

/** Runs the collection with the given variables (as `--env-var` would). */
export function runNewman(collection: unknown, vars: Record<string, string>): Promise<NewmanReport> {
  return new Promise((resolve, reject) => {
    newman.run(
      {
        collection,
        envVar: Object.entries(vars).map(([key, value]) => ({ key, value })),
        reporters: [],
        timeoutRequest: 30_000,
        // As the generated README runs it.
        timeoutScript: 30_000,
      },
      (error, summary) => {
        if (error) {
          reject(error);
          return;
        }
        const { stats, failures } = summary.run;
        resolve({
          requests: stats.requests.total,
          assertions: stats.assertions.total,
          failed: failures.length,
          failures: failures.map(
            (failure) =>
              `${failure.source?.name ?? '?'}: ${failure.error.test ?? failure.error.name} — ${failure.error.message}`,
          ),
        });
      },
    );
  });
}
