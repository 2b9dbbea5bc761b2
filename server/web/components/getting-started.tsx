import { DEFAULT_LICENCE_SERVER_URL } from '../../../shared/contracts.ts';

/** The CLI commands for a first generation against this server (it names itself unless it is the default). */
export function gettingStartedCommands(serverUrl: string): {
  install: string;
  login: string[];
  generate: string;
} {
  const own = serverUrl.replace(/\/+$/, '') !== DEFAULT_LICENCE_SERVER_URL;
  return {
    install: 'npm install --global specmint',
    login: own ? [`export SPECMINT_API_URL=${serverUrl}`, 'specmint login'] : ['specmint login'],
    generate: 'specmint generate openapi.yaml --format pytest --out api-tests',
  };
}

/** The empty dashboard's first steps: install, log in, generate — with the exact commands. */
export function GettingStarted(props: { serverUrl: string; emailVerified: boolean }) {
  const commands = gettingStartedCommands(props.serverUrl);
  return (
    <section class="card" id="getting-started" aria-labelledby="getting-started-title">
      <h2 id="getting-started-title">Get started</h2>
      <ol class="steps">
        {props.emailVerified ? null : (
          <li>
            Verify your e-mail address with the link we sent you (<a href="/check-email">get a new one</a>).
          </li>
        )}
        <li>
          Install the CLI (Node 20 or newer):
          <pre class="command">
            <code>{commands.install}</code>
          </pre>
        </li>
        <li>
          Log in from your terminal; it shows a code to approve on this site:
          <pre class="command">
            <code>{commands.login.join('\n')}</code>
          </pre>
        </li>
        <li>
          Generate test suites from your OpenAPI description (the spec never leaves your machine):
          <pre class="command">
            <code>{commands.generate}</code>
          </pre>
          The README in <code>api-tests/pytest</code> names the one command that runs them.
        </li>
      </ol>
    </section>
  );
}
