/**
 * `?next=` handling for the sign-in and sign-up pages: only paths on this server are followed, so the
 * pages cannot be used as an open redirect (`//evil.com`, `https://evil.com`, `/\evil.com`, …).
 */

/** Where to go after signing in when `next` is absent or refused. */
export const DEFAULT_NEXT = '/dashboard';

const PLACEHOLDER_ORIGIN = 'http://specmint.invalid';

function hasBackslashOrControl(text: string): boolean {
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (char === '\\' || code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * Returns `next` as a same-origin path (`/path?query#hash`) or {@link DEFAULT_NEXT}. Refuses absolute
 * URLs, protocol-relative and backslash forms, control characters and anything a URL parser would move
 * to another origin.
 */
export function safeNextPath(next: string | undefined | null): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return DEFAULT_NEXT;
  // Browsers treat `\` like `/` and drop tabs/newlines, so `/\evil.com` and `/\t/evil.com` leave the site.
  if (!next.startsWith('/') || next.startsWith('//') || hasBackslashOrControl(next)) {
    return DEFAULT_NEXT;
  }
  let url: URL;
  try {
    url = new URL(next, PLACEHOLDER_ORIGIN);
  } catch {
    return DEFAULT_NEXT;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return DEFAULT_NEXT;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Checked again after normalising: dot segments collapse (`/.//evil.test`, `/a/..//evil.test`,
  // `/%2e//evil.test` all become `//evil.test`), and a path starting `//` is another host to a browser.
  if (!path.startsWith('/') || path.startsWith('//') || hasBackslashOrControl(path)) return DEFAULT_NEXT;
  return path;
}
