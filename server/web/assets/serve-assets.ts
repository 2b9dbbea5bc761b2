import { createHash } from 'node:crypto';
import type { Hono } from 'hono';
import type { WebEnv } from '../web-env.ts';
import { PAGE_SCRIPT } from './page-script.ts';
import { STYLESHEET } from './stylesheet.ts';

function hashed(name: string, ext: string, body: string): string {
  return `/assets/${name}.${createHash('sha256').update(body).digest('hex').slice(0, 10)}.${ext}`;
}

/** Content-hashed URLs of the assets (safe to cache for a year). */
export const ASSET_URLS = {
  stylesheet: hashed('specmint', 'css', STYLESHEET),
  script: hashed('specmint', 'js', PAGE_SCRIPT),
} as const;

/** Serves the stylesheet and the script at their hashed URLs. */
export function registerAssets(app: Hono<WebEnv>): void {
  const serve = (path: string, body: string, type: string) =>
    app.get(path, (c) => {
      c.header('Content-Type', type);
      c.header('Cache-Control', 'public, max-age=31536000, immutable');
      return c.body(body);
    });
  serve(ASSET_URLS.stylesheet, STYLESHEET, 'text/css; charset=utf-8');
  serve(ASSET_URLS.script, PAGE_SCRIPT, 'text/javascript; charset=utf-8');
}
