import type { Child } from 'hono/jsx';
import { ASSET_URLS } from '../assets/serve-assets.ts';
import { DEFAULT_NEXT } from '../security/safe-next.ts';
import type { Viewer } from '../web-env.ts';
import { CsrfInput } from './form.tsx';

/** Properties of {@link Layout}. */
export interface LayoutProps {
  title: string;
  viewer: Viewer | null;
  csrfToken: string;
  /** Path of the current page, to mark the navigation link. */
  path: string;
  /** Narrow column for forms. @default false */
  narrow?: boolean;
  /**
   * Where signing in leads back to (the sign-in and sign-up pages' `?next`): the header's "Sign in" and
   * "Create account" keep it, so a new user reached from /device lands back on the approval page.
   */
  next?: string | undefined;
  children?: Child;
}

/** `path?next=…` unless `next` is absent or the default (the dashboard). */
export function withNext(path: string, next: string | undefined): string {
  return next === undefined || next === DEFAULT_NEXT ? path : `${path}?next=${encodeURIComponent(next)}`;
}

function NavLink(props: { href: string; path: string; next?: string | undefined; children: Child }) {
  return (
    <li>
      <a
        href={withNext(props.href, props.next)}
        aria-current={props.path === props.href ? 'page' : undefined}
      >
        {props.children}
      </a>
    </li>
  );
}

/** The page frame: skip link, header with navigation, main landmark, footer. */
export function Layout(props: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>{`${props.title} · SpecMint`}</title>
        <link rel="stylesheet" href={ASSET_URLS.stylesheet} />
        <script src={ASSET_URLS.script} defer />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="site">
          <div class="bar">
            <a class="logo" href="/">
              Spec<span>Mint</span>
            </a>
            <nav class="main" aria-label="Main">
              <ul>
                <NavLink href="/pricing" path={props.path}>
                  Pricing
                </NavLink>
                {props.viewer ? (
                  <>
                    <NavLink href="/dashboard" path={props.path}>
                      Dashboard
                    </NavLink>
                    <NavLink href="/settings" path={props.path}>
                      Settings
                    </NavLink>
                    <li>
                      <form method="post" action="/sign-out">
                        <CsrfInput token={props.csrfToken} />
                        <button type="submit" class="link">
                          Sign out
                        </button>
                      </form>
                    </li>
                  </>
                ) : (
                  <>
                    <NavLink href="/sign-in" path={props.path} next={props.next}>
                      Sign in
                    </NavLink>
                    <NavLink href="/sign-up" path={props.path} next={props.next}>
                      Create account
                    </NavLink>
                  </>
                )}
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" class={props.narrow ? 'narrow' : undefined} tabindex={-1}>
          {props.children}
        </main>
        <footer class="site">
          <p>
            SpecMint turns OpenAPI descriptions into runnable API test suites. Your specs never leave your
            machine.
          </p>
        </footer>
      </body>
    </html>
  );
}
