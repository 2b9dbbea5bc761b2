/**
 * What the generated load-test.js declares around the runtime fragments (settings.js, helpers.js), for their
 * type check only (../tsconfig.json): the k6 modules it imports, and the data tables it writes. The fragments
 * are scripts, so their own top-level names are shared the same way.
 */
import type * as k6 from 'k6';
import type * as k6Encoding from 'k6/encoding';
import type * as k6Http from 'k6/http';

declare global {
  const http: typeof k6Http;
  const check: typeof k6.check;
  const encoding: typeof k6Encoding;
  const SECURITY_SCHEMES: Record<string, SecurityScheme>;
  const OPERATIONS: Record<string, Operation>;
}
