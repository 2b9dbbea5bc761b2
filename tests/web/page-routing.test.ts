import { describe, expect, it } from 'vitest';
import { isPagePath } from '../../server/web/register-web-routes.ts';

describe('page routing', () => {
  it('owns only the page paths', () => {
    expect(['/', '/pricing', '/device', '/dashboard/tokens', '/assets/x.css'].every(isPagePath)).toBe(true);
    expect(['/v1/me', '/api/auth/device', '/healthz', '/openapi.json', '/dashboards'].some(isPagePath)).toBe(
      false,
    );
  });
});
