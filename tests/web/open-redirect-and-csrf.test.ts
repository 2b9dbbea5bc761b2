import { describe, expect, it } from 'vitest';
import { csrfTokenFor, verifyCsrfToken } from '../../server/web/security/csrf-token.ts';
import { DEFAULT_NEXT, safeNextPath } from '../../server/web/security/safe-next.ts';

describe('safeNextPath (open-redirect guard)', () => {
  it.each([
    ['/dashboard', '/dashboard'],
    ['/device?user_code=ABCD-EFGH', '/device?user_code=ABCD-EFGH'],
    ['/settings#sessions', '/settings#sessions'],
    ['/a/../settings', '/settings'],
    [undefined, DEFAULT_NEXT],
    ['', DEFAULT_NEXT],
    ['//evil.com', DEFAULT_NEXT],
    ['//evil.com/path', DEFAULT_NEXT],
    ['https://evil.com', DEFAULT_NEXT],
    ['http://licence.test/dashboard', DEFAULT_NEXT],
    ['/\\evil.com', DEFAULT_NEXT],
    ['\\\\evil.com', DEFAULT_NEXT],
    ['/\t/evil.com', DEFAULT_NEXT],
    ['/\n/evil.com', DEFAULT_NEXT],
    ['javascript:alert(1)', DEFAULT_NEXT],
    ['dashboard', DEFAULT_NEXT],
    [`/${'a'.repeat(3000)}`, DEFAULT_NEXT],
  ])('%j → %j', (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });
});

describe('CSRF tokens', () => {
  const secret = 'x'.repeat(32);
  it('are bound to the browser cookie and the session', () => {
    const token = csrfTokenFor({ secret, cookieValue: 'cookie-a', sessionId: 's1' });
    expect(verifyCsrfToken({ secret, cookieValue: 'cookie-a', sessionId: 's1', given: token })).toBe(true);
    expect(verifyCsrfToken({ secret, cookieValue: 'cookie-b', sessionId: 's1', given: token })).toBe(false);
    expect(verifyCsrfToken({ secret, cookieValue: 'cookie-a', sessionId: 's2', given: token })).toBe(false);
    expect(verifyCsrfToken({ secret, cookieValue: 'cookie-a', sessionId: null, given: token })).toBe(false);
    expect(
      verifyCsrfToken({ secret: 'y'.repeat(32), cookieValue: 'cookie-a', sessionId: 's1', given: token }),
    ).toBe(false);
    expect(verifyCsrfToken({ secret, cookieValue: undefined, sessionId: 's1', given: token })).toBe(false);
    expect(verifyCsrfToken({ secret, cookieValue: 'cookie-a', sessionId: 's1', given: undefined })).toBe(
      false,
    );
  });
});
