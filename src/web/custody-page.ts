import { html } from './html.js';
import { page, type PageUser } from './layout.js';
import { apiForm, time } from './fragments.js';

/** `GET /api/v1/custody`: each ledger log's latest checkpoint, and the console's verify runs and exports. */
export interface CustodyView {
  readonly logs: readonly {
    readonly log: string;
    readonly kind: string;
    readonly treeSize: number;
    readonly checkpoints: number;
    readonly signedAt: string;
    readonly note: string;
  }[];
  readonly verifications: readonly { at: string; by: string; ok: boolean; findings: number }[];
  readonly exports: readonly { at: string; by: string; source: string; events: number; folder: string }[];
}

export function custodyPage(view: CustodyView, user: PageUser): string {
  const eventLogs = view.logs.filter((l) => l.kind === 'events');
  return page({
    title: 'Custody',
    principal: user,
    current: '/custody',
    body: html`<h1>Custody</h1>
      <section aria-labelledby="logs">
        <h2 id="logs">Ledger logs</h2>
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">Log</th>
              <th scope="col">Kind</th>
              <th scope="col">Tree size</th>
              <th scope="col">Checkpoints</th>
              <th scope="col">Latest signed</th>
            </tr>
          </thead>
          <tbody>
            ${view.logs.map(
              (l) =>
                html`<tr>
                  <td>${l.log}</td>
                  <td>${l.kind}</td>
                  <td>${l.treeSize}</td>
                  <td>${l.checkpoints}</td>
                  <td>${time(l.signedAt)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        ${view.logs.map(
          (l) =>
            html`<details>
              <summary>Latest checkpoint of ${l.log}</summary>
              <pre class="proof">${l.note}</pre>
            </details>`,
        )}
      </section>
      <section aria-labelledby="verify">
        <h2 id="verify">Verification</h2>
        ${user.role === 'viewer' ? html`<p class="muted">Analysts and admins can run a verification.</p>` : apiForm('/api/v1/custody/verify', html``, { label: 'Verify the whole store now' })}
        <ul>
          ${view.verifications.map(
            (v) =>
              html`<li>
                ${time(v.at)} by ${v.by}:
                <span class="${v.ok ? 'ok' : 'bad'}"
                  >${v.ok ? 'passed' : `FAILED (${v.findings} finding(s))`}</span
                >
              </li>`,
          )}
        </ul>
      </section>
      <section aria-labelledby="export">
        <h2 id="export">Evidence bundles</h2>
        ${
          user.role === 'admin'
            ? apiForm(
                '/api/v1/custody/export',
                html`<label
                    >Source
                    <select name="source">
                      ${eventLogs.map((l) => html`<option>${l.log}</option>`)}
                    </select></label
                  >
                  <label>From <input name="from" placeholder="2026-11-01T00:00:00Z" /></label>
                  <label>To <input name="to" /></label> `,
                { label: 'Export (verbatim events: recorded in the audit log)' },
              )
            : html`<p class="muted">
                An evidence bundle holds events verbatim: admins export them, and each export is recorded.
              </p>`
        }
        <ul>
          ${view.exports.map((e) => html`<li>${time(e.at)} by ${e.by}: ${e.source}, ${e.events} events, <code>${e.folder}</code></li>`)}
        </ul>
      </section>`,
  });
}
