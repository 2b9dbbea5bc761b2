import type { Child } from 'hono/jsx';
import { ASSET_URLS } from '../assets/serve-assets.ts';
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
  children?: Child;
}

function NavLink(props: { href: string; path: string; children: Child }) {
  return (
    <li>
      <a href={props.href} aria-current={props.path === props.href ? 'page' : undefined}>
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
                    <NavLink href="/sign-in" path={props.path}>
                      Sign in
                    </NavLink>
                    <NavLink href="/sign-up" path={props.path}>
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
