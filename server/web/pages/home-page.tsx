import type { Child } from 'hono/jsx';
import type { PlanId } from '../../../shared/plans.ts';
import { Layout, type LayoutProps } from '../components/layout.tsx';
import { PlanCards } from '../components/plan-cards.tsx';

type PageProps = Omit<LayoutProps, 'title' | 'children'> & {
  /** The signed-in viewer's plan (null when signed out). */
  currentPlan?: PlanId | null;
};

function GetStarted() {
  return (
    <section class="card" aria-labelledby="start">
      <h2 id="start">Start in a minute</h2>
      <ol class="steps">
        <li>
          Log in from your terminal: <code>npx specmint login</code> — it shows a code; approve it on the page
          it opens.
        </li>
        <li>
          Generate suites: <code>npx specmint generate openapi.yaml --format pytest,vitest</code>
        </li>
        <li>
          Run them against your API with <code>BASE_URL</code> set; the README next to each suite says how.
        </li>
      </ol>
      <pre>
        <code>{'npx specmint login\nnpx specmint generate openapi.yaml --format pytest,vitest'}</code>
      </pre>
    </section>
  );
}

function PlanAction(props: { signedIn: boolean; current: boolean; children?: Child }) {
  if (props.current) {
    return (
      <span class="button secondary" aria-disabled="true">
        Current plan
      </span>
    );
  }
  return (
    <a class="button secondary" href={props.signedIn ? '/dashboard#plan' : '/sign-up'}>
      {props.children}
    </a>
  );
}

/** `/`: what SpecMint does, the plans and how to start. */
export function HomePage(props: PageProps) {
  return (
    <Layout {...props} title="Runnable API test suites from your OpenAPI spec">
      <h1>Runnable API test suites from your OpenAPI spec</h1>
      <p class="lead">
        SpecMint reads an OpenAPI 3.0, 3.1 or Swagger 2.0 description and writes contract, negative, boundary,
        auth and stateful tests for pytest, vitest, jest, Postman, k6, Playwright and more. The generator runs
        inside the CLI: your spec never leaves your machine.
      </p>
      <GetStarted />
      <section aria-labelledby="plans">
        <h2 id="plans">Plans</h2>
        <PlanCards
          current={props.currentPlan ?? undefined}
          action={(id) => (
            <PlanAction signedIn={props.viewer !== null} current={props.currentPlan === id}>
              {id === 'free' ? 'Start free' : 'Choose plan'}
            </PlanAction>
          )}
        />
      </section>
    </Layout>
  );
}

/** `/pricing`: the plans in detail and how counting works. */
export function PricingPage(props: PageProps) {
  return (
    <Layout {...props} title="Pricing">
      <h1>Pricing</h1>
      <p class="lead">
        A generation counts once per distinct spec per billing period. Re-running on an unchanged spec — CI on
        every push, adding a format — is free.
      </p>
      <PlanCards
        current={props.currentPlan ?? undefined}
        action={(id) => (
          <PlanAction signedIn={props.viewer !== null} current={props.currentPlan === id}>
            {id === 'free' ? 'Start free' : 'Upgrade'}
          </PlanAction>
        )}
      />
      <GetStarted />
    </Layout>
  );
}
