/**
 * Credentials as Postman users expect them: the collection's Authorization tab holds the credentials most
 * requests send (`{{BEARER_AUTH}}`…), and requests inherit them. A request that sends other credentials, none or
 * deliberately invalid ones has its own Authorization tab (`noauth`, or the scheme with an invalid value); what
 * Postman's auth types cannot express (API keys in cookies, a second scheme of an AND set, HTTP schemes other
 * than basic and bearer) is sent as headers, query parameters or cookies.
 * @see https://learning.postman.com/collection-format/reference/auth/
 */
import type { PlanSecurityScheme, StepAuth, TestCase, TestPlan } from '../../plan/types.ts';

/** A deliberately wrong credential for `invalid` auth steps. */
export const INVALID_CREDENTIAL = 'invalid-specmint-credential';
const INVALID_USERNAME = 'invalid-specmint-user';
const INVALID_PASSWORD = 'invalid-specmint-password';

/** A Postman v2.1 `auth` object. */
export type PostmanAuth = { type: string } & Record<string, unknown>;

/** What a step sends besides its own headers and query: an auth type, and credentials outside it. */
export interface StepCredentials {
  /** The request's own auth; `undefined` inherits the collection's. */
  auth?: PostmanAuth;
  headers: Array<{ key: string; value: string }>;
  query: Array<{ key: string; value: string }>;
  cookies: string[];
}

function attribute(key: string, value: string) {
  return { key, value, type: 'string' };
}

/** The Postman auth of one scheme, or `undefined` when no Postman auth type can send it. */
function schemeAuth(scheme: PlanSecurityScheme, invalid: boolean): PostmanAuth | undefined {
  const httpScheme = (scheme.scheme ?? '').toLowerCase();
  if (scheme.type === 'http' && httpScheme === 'basic') {
    return {
      type: 'basic',
      basic: [
        attribute('username', invalid ? INVALID_USERNAME : `{{${scheme.env.username}}}`),
        attribute('password', invalid ? INVALID_PASSWORD : `{{${scheme.env.password}}}`),
      ],
    };
  }
  const token = invalid ? INVALID_CREDENTIAL : `{{${scheme.env.token}}}`;
  if (scheme.type === 'apiKey') {
    if (scheme.in === 'cookie') return undefined;
    return {
      type: 'apikey',
      apikey: [
        attribute('key', scheme.name ?? scheme.key),
        attribute('value', token),
        attribute('in', scheme.in === 'query' ? 'query' : 'header'),
      ],
    };
  }
  if (scheme.type === 'http' && httpScheme !== '' && httpScheme !== 'bearer') return undefined;
  return { type: 'bearer', bearer: [attribute('token', token)] };
}

/** The same credentials sent as plain headers, query parameters or cookies. */
function sendRaw(scheme: PlanSecurityScheme, invalid: boolean, out: StepCredentials): void {
  const httpScheme = (scheme.scheme ?? '').toLowerCase();
  // A second basic scheme of an AND set: HTTP has one Authorization header, which the first one holds.
  if (scheme.type === 'http' && httpScheme === 'basic') return;
  const token = invalid ? INVALID_CREDENTIAL : `{{${scheme.env.token}}}`;
  if (scheme.type === 'apiKey') {
    const name = scheme.name ?? scheme.key;
    if (scheme.in === 'query') out.query.push({ key: encodeURIComponent(name), value: token });
    else if (scheme.in === 'cookie') out.cookies.push(`${name}=${token}`);
    else out.headers.push({ key: name, value: token });
  } else if (scheme.type === 'http' && httpScheme !== '' && httpScheme !== 'bearer') {
    const prefix = httpScheme.charAt(0).toUpperCase() + httpScheme.slice(1);
    out.headers.push({ key: 'Authorization', value: `${prefix} ${token}` });
  } else {
    out.headers.push({ key: 'Authorization', value: `Bearer ${token}` });
  }
}

/** The scheme keys a step's valid credentials use, as one key (`bearerAuth`, `a+b`). */
function setKey(auth: StepAuth): string {
  return [...auth.schemes].sort().join('+');
}

/**
 * The credentials most steps send, as the collection's auth (requests inherit it): the most common scheme of the
 * steps with valid credentials of one scheme that a Postman auth type can send. `noauth` when there is none.
 */
export function collectionAuth(
  plan: TestPlan,
  cases: readonly TestCase[],
): { auth: PostmanAuth; key: string | undefined } {
  const counts = new Map<string, number>();
  for (const testCase of cases) {
    for (const step of testCase.steps) {
      if (step.auth.mode !== 'valid' || step.auth.schemes.length !== 1) continue;
      const scheme = plan.securitySchemes[step.auth.schemes[0]!];
      if (!scheme || !schemeAuth(scheme, false)) continue;
      const key = setKey(step.auth);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const [best] = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (!best) return { auth: { type: 'noauth' }, key: undefined };
  return { auth: schemeAuth(plan.securitySchemes[best[0]]!, false)!, key: best[0] };
}

/**
 * What one step sends: nothing of its own when its credentials are the collection's; otherwise its own auth
 * (`noauth` for none) and whatever an auth type cannot carry.
 */
export function stepCredentials(
  plan: TestPlan,
  auth: StepAuth,
  inherited: string | undefined,
): StepCredentials {
  const out: StepCredentials = { headers: [], query: [], cookies: [] };
  const schemes = auth.schemes
    .map((key) => plan.securitySchemes[key])
    .filter((scheme): scheme is PlanSecurityScheme => scheme !== undefined);
  if (auth.mode === 'valid' && inherited !== undefined && setKey(auth) === inherited) return out;
  // The collection sends no credentials: a request that sends none inherits that.
  const sendsNone = auth.mode === 'none' || (auth.mode === 'valid' && schemes.length === 0);
  if (inherited === undefined && sendsNone) return out;
  let own: PostmanAuth | undefined;
  if (auth.mode !== 'none') {
    const invalid = auth.mode === 'invalid';
    for (const scheme of schemes) {
      const candidate = own ? undefined : schemeAuth(scheme, invalid);
      if (candidate) own = candidate;
      else sendRaw(scheme, invalid, out);
    }
  }
  out.auth = own ?? { type: 'noauth' };
  return out;
}
