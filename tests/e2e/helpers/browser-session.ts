/**
 * What a browser does on the licence server's pages, over plain HTTP: sign up (keeping the session
 * cookie), then look up and approve or deny a device code — the endpoints the `/device` page calls.
 */

/** A signed-in browser: its cookie jar and origin. */
export interface BrowserSession {
  cookie: string;
  /** The session token (usable as `Authorization: Bearer` thanks to better-auth's bearer plugin). */
  token: string;
  /** The server's public origin; sent as `Origin` like a browser on its pages would. */
  origin: string;
  url: string;
}

function cookiesFrom(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

async function expectOk(response: Response, what: string): Promise<void> {
  if (!response.ok) throw new Error(`${what} failed: HTTP ${response.status} ${await response.text()}`);
}

/** Signs up with email + password (`POST /api/auth/sign-up/email`) and keeps the session cookie. */
export async function signUp(options: {
  url: string;
  origin: string;
  email: string;
  password: string;
}): Promise<BrowserSession> {
  const response = await fetch(`${options.url}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: options.origin },
    body: JSON.stringify({
      email: options.email,
      password: options.password,
      name: options.email.split('@')[0],
    }),
  });
  await expectOk(response, 'sign-up');
  const cookie = cookiesFrom(response);
  if (!cookie) throw new Error('sign-up set no session cookie');
  const { token } = (await response.json()) as { token?: string };
  if (!token) throw new Error('sign-up answered no session token');
  return { cookie, token, origin: options.origin, url: options.url };
}

/** Opens `/device?user_code=…` (claims the code for this user) then approves or denies it. */
export async function decideDevice(
  session: BrowserSession,
  userCode: string,
  decision: 'approve' | 'deny',
): Promise<void> {
  const headers = { cookie: session.cookie, origin: session.origin };
  const lookup = await fetch(`${session.url}/api/auth/device?user_code=${encodeURIComponent(userCode)}`, {
    headers,
  });
  await expectOk(lookup, 'device code lookup');
  const response = await fetch(`${session.url}/api/auth/device/${decision}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ userCode }),
  });
  await expectOk(response, `device ${decision}`);
}
