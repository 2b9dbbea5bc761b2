import type { TokenCreated } from '../../../shared/contracts.ts';
import { Alert } from '../components/form.tsx';
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

/** `/dashboard`: plan and usage, history, CI tokens. */
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
      <div class="split">
        <PlanPanel
          plan={data.plan}
          usage={data.usage}
          days={data.days}
          csrfToken={props.csrfToken}
          billingError={extras.billingError}
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
