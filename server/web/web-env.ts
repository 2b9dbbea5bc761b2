import type { AppDeps } from '../app-deps.ts';
import type { AppEnv } from '../http/principal.ts';

/** The signed-in user of a page request (from the session cookie). */
export interface Viewer {
  userId: string;
  email: string;
  name: string;
  createdAt: Date;
  /** The address was verified (the link in the verification e-mail was opened). */
  emailVerified: boolean;
  /** better-auth session id (binds CSRF tokens to the session). */
  sessionId: string;
}

/** Hono environment of the pages: the API's variables plus the viewer and the form token. */
export interface WebEnv {
  Variables: AppEnv['Variables'] & {
    viewer: Viewer | null;
    /** CSRF token to put in every form of the page. */
    csrfToken: string;
  };
}

/** What the page routes need besides the request. */
export interface WebContext {
  deps: AppDeps;
  /** Sends a request to the licence server's own API (`/v1/...`) in-process. */
  api: (request: Request, env?: unknown) => Response | Promise<Response>;
  /** Key of the CSRF HMAC. */
  secret: string;
  /** `Secure` cookies and HSTS: true when the public URL is https. */
  secure: boolean;
  /** The public origin, e.g. `https://licence.specmint.dev`. */
  origin: string;
  /** Social sign-in providers that are configured. */
  socialProviders: readonly SocialProvider[];
}

/** OAuth providers the sign-in page can offer. */
export type SocialProvider = 'github' | 'google';
