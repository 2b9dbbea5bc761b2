// The k6 suites run for real against the reference servers: see run-for-real.ts.
import { describeRunForReal } from './run-for-real.ts';

describeRunForReal('k6');
