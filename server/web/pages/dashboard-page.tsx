import type { TokenCreated } from '../../../shared/contracts.ts';
import { Alert } from '../components/form.tsx';
import { GettingStarted } from '../components/getting-started.tsx';
import { HistoryPanel } from '../components/history-panel.tsx';
import { Layout, type LayoutProps } from '../components/layout.tsx';
import { PlanPanel } from '../components/plan-panel.tsx';
import { TokensPanel } from '../components/tokens-panel.tsx';
import type { DashboardData } from '../data/load-dashboard.ts';

/** Messages and one-time values a dashboard request can carry. */
export interface DashboardExtras {
  notice?: string | undefined;
  billingError?: string | undefined;
  createdToken?: TokenCreated | undefined;
  tokenError?: string | undefined;
  tokenNameError?: string | undefined;
  tokenName?: string | undefined;
  tokenNotice?: string | undefined;
}

/** No generation yet (and no filter hiding them): the dashboard leads with the first steps. */
function isEmpty(data: DashboardData): boolean {
  const f = data.filters;
  return data.history.items.length === 0 && !f.q && !f.format && !f.from && !f.to && !f.cursor;
}

/** `/dashboard`: plan and usage, history, CI tokens; first steps while there is no generation. */
export function DashboardPage(
  props: Omit<LayoutProps, 'title' | 'children'> & { data: DashboardData; extras: DashboardExtras },
) {
  const { data, extras } = props;
  return (
    <Layout {...props} title="Dashboard">
      <h1>Dashboard</h1>
      <p class="lead">
        Signed in as <strong>{props.viewer?.email}</strong>.
      </p>
      {extras.notice ? <Alert kind="success">{extras.notice}</Alert> : null}
      {props.viewer && !props.viewer.emailVerified ? (
        <Alert kind="info" title="Verify your e-mail address">
          <p>
            The Free plan generates once your address is verified. We sent a link to {props.viewer.email}.{' '}
            <a href="/check-email">Get a new link</a>
          </p>
        </Alert>
      ) : null}
      {isEmpty(data) ? (
        <GettingStarted serverUrl={data.serverUrl} emailVerified={props.viewer?.emailVerified ?? true} />
      ) : null}
      <div class="split">
        <PlanPanel
          plan={data.plan}
          usage={data.usage}
          days={data.days}
          csrfToken={props.csrfToken}
          billingError={extras.billingError}
          billingConfigured={data.billingConfigured}
        />
        <TokensPanel
          plan={data.plan}
          tokens={data.tokens}
          csrfToken={props.csrfToken}
          created={extras.createdToken}
          error={extras.tokenError}
          nameError={extras.tokenNameError}
          nameValue={extras.tokenName}
          notice={extras.tokenNotice}
        />
      </div>
      <HistoryPanel history={data.history} filters={data.filters} filterError={data.filterError} />
    </Layout>
  );
}
