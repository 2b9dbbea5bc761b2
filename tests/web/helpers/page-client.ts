/**
 * A tiny browser for the pages over `app.request`: keeps cookies, sends our Origin on posts like a
 * browser on our pages does, and reads the form token out of the HTML.
 */
import { BASE_URL, type TestServer } from '../../server/harness.ts';

/** A page answer: status, headers and body text. */
export interface PageAnswer {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

/** A cookie-keeping client of the test server's pages. */
export class PageClient {
  readonly cookies = new Map<string, string>();
  constructor(private readonly server: TestServer) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private async send(path: string, init: RequestInit): Promise<PageAnswer> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', this.cookieHeader());
    const response = await this.server.request(path, { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      if (value === '' || /max-age=0/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return {
      status: response.status,
      headers: response.headers,
      text: await response.text(),
      location: response.headers.get('location'),
    };
  }

  /** GET a page. */
  get(path: string): Promise<PageAnswer> {
    return this.send(path, { method: 'GET' });
  }

  /** POST a form (url-encoded) with our Origin unless `origin` says otherwise (null = none). */
  post(path: string, form: Record<string, string>, origin: string | null = BASE_URL): Promise<PageAnswer> {
    return this.send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(origin ? { origin } : {}) },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** The form token of the page at `path` (GETs it). */
  async formToken(path = '/'): Promise<string> {
    const page = await this.get(path);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    if (!token) throw new Error(`no form token on ${path} (HTTP ${page.status})`);
    return token;
  }

  /** Signs up through the page and keeps the session cookie. */
  async signUp(email: string, password = 'correct horse battery'): Promise<void> {
    const answer = await this.post('/sign-up', {
      _csrf: await this.formToken('/sign-up'),
      name: 'Page User',
      email,
      password,
    });
    if (answer.status !== 303)
      throw new Error(`sign-up failed: HTTP ${answer.status}\n${answer.text.slice(0, 500)}`);
  }
}
