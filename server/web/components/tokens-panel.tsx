import type { TokenCreated, TokenSummary } from '../../../shared/contracts.ts';
import { PLANS, type PlanId } from '../../../shared/plans.ts';
import { Alert, CsrfInput, Field } from './form.tsx';
import { RichText } from './rich-text.tsx';

/** Properties of {@link TokensPanel}. */
export interface TokensPanelProps {
  plan: PlanId;
  tokens: readonly TokenSummary[];
  csrfToken: string;
  /** A token created by this request: its secret is shown this once. */
  created?: TokenCreated | undefined;
  error?: string | undefined;
  notice?: string | undefined;
  nameValue?: string | undefined;
  /** Inline message for the name field. */
  nameError?: string | undefined;
}

function date(iso: string | null): string {
  return iso ? iso.slice(0, 10) : 'Never';
}

function NewToken(props: { created: TokenCreated }) {
  return (
    <Alert kind="success" title={`Token “${props.created.name}” created`}>
      <p>Copy it now: it will not be shown again. Use it as SPECMINT_TOKEN in CI.</p>
      <div class="secret">
        <code id="new-token" data-testid="new-token">
          {props.created.token}
        </code>
        <button type="button" class="secondary" data-copy="new-token" hidden>
          Copy
        </button>
      </div>
      <p id="new-token-status" role="status" />
    </Alert>
  );
}

/** CI tokens: the one just created, the list with revoke buttons, and the create form. */
export function TokensPanel(props: TokensPanelProps) {
  const limit = PLANS[props.plan].ciTokens;
  return (
    <section class="card" id="tokens" aria-labelledby="tokens-title">
      <h2 id="tokens-title">CI tokens</h2>
      <p class="hint">
        {limit === null
          ? `${props.tokens.length} token${props.tokens.length === 1 ? '' : 's'} (unlimited on your plan).`
          : `${props.tokens.length} of ${limit} token${limit === 1 ? '' : 's'} your plan allows.`}
      </p>
      {props.created ? <NewToken created={props.created} /> : null}
      {props.notice ? <Alert kind="success">{props.notice}</Alert> : null}
      {props.error ? (
        <Alert kind="error">
          <RichText text={props.error} />
        </Alert>
      ) : null}
      {props.tokens.length > 0 ? (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Your CI tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Starts with</th>
                <th scope="col" class="optional">
                  Created
                </th>
                <th scope="col" class="optional">
                  Last used
                </th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.tokens.map((token) => (
                <tr data-token-id={token.id}>
                  <td>{token.name}</td>
                  <td>
                    <code>{token.prefix}…</code>
                  </td>
                  <td class="optional">{date(token.createdAt)}</td>
                  <td class="optional">{date(token.lastUsedAt)}</td>
                  <td>
                    <form
                      method="post"
                      action={`/dashboard/tokens/${token.id}/revoke`}
                      data-confirm={`Revoke the token “${token.name}”? CI jobs using it will stop working.`}
                    >
                      <CsrfInput token={props.csrfToken} />
                      <button type="submit" class="secondary" aria-label={`Revoke token ${token.name}`}>
                        Revoke
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>No CI tokens yet.</p>
      )}
      {limit !== null && props.tokens.length >= limit ? (
        <p id="token-limit">
          Your plan allows {limit} CI token{limit === 1 ? '' : 's'} and you have {props.tokens.length}. Revoke
          one to create another, or <a href="/pricing">upgrade your plan</a> for more.
        </p>
      ) : (
        <NewTokenForm {...props} />
      )}
    </section>
  );
}

function NewTokenForm(props: TokensPanelProps) {
  return (
    <form class="stack" method="post" action="/dashboard/tokens">
      <CsrfInput token={props.csrfToken} />
      <Field
        name="name"
        label="New token name"
        hint="For example the CI system or repository that will use it."
        value={props.nameValue}
        error={props.nameError}
        required
        maxLength={64}
      />
      <div>
        <button type="submit">Create token</button>
      </div>
    </form>
  );
}
