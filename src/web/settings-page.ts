import { html } from './html.js';
import { page, type PageUser } from './layout.js';
import { apiForm } from './fragments.js';

const SEVERITY_NAMES = ['informational', 'low', 'medium', 'high', 'critical'];

/** `GET /api/v1/settings`: sources and sinks as vigil.yaml configures them, without any secret. */
export interface SettingsView {
  readonly admin: boolean;
  readonly sources: readonly { name: string; type: string; url: string | null; token: string }[];
  readonly collect: { readonly pollIntervalSeconds: number; readonly rateShare: number };
  readonly sinks: readonly { name: string; type: string; minSeverity: string; destination: string | null }[];
}

export function settingsPage(view: SettingsView, user: PageUser): string {
  return page({
    title: 'Settings',
    principal: user,
    current: '/settings',
    body: html`<h1>Settings</h1>
      <p class="muted">
        Read only here: <code>vigil.yaml</code> in the data directory is where these change (<code
          >vigil config check</code
        >).
      </p>
      <section aria-labelledby="sources">
        <h2 id="sources">Sources</h2>
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Org URL</th>
              <th scope="col">Token from</th>
            </tr>
          </thead>
          <tbody>
            ${view.sources.map(
              (s) =>
                html`<tr>
                  <td>${s.name}</td>
                  <td>${s.type}</td>
                  <td>${s.url ?? html`<span class="muted">admins only</span>`}</td>
                  <td>${s.token}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        <p>
          Polling every ${view.collect.pollIntervalSeconds} s, using
          ${Math.round(view.collect.rateShare * 100)}% of the provider's rate limit.
        </p>
      </section>
      <section aria-labelledby="sinks">
        <h2 id="sinks">Alert sinks</h2>
        ${view.sinks.length === 0 ? html`<p>No alert sinks configured.</p>` : ''}
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">At least</th>
              <th scope="col">Sends to</th>
              <th scope="col"><span class="sr">Test</span></th>
            </tr>
          </thead>
          <tbody>
            ${view.sinks.map(
              (s) =>
                html`<tr>
                  <td>${s.name}</td>
                  <td>${s.type}</td>
                  <td>${s.minSeverity}</td>
                  <td>${s.destination ?? html`<span class="muted">admins only</span>`}</td>
                  <td>
                    ${
                      view.admin
                        ? [
                            apiForm(`/api/v1/settings/sinks/${encodeURIComponent(s.name)}/test`, html``, {
                              label: 'Send a test alert',
                            }),
                            apiForm(
                              `/api/v1/settings/sinks/${encodeURIComponent(s.name)}`,
                              html`<label
                                >At least
                                <select name="minSeverity">
                                  ${SEVERITY_NAMES.map(
                                    (v) =>
                                      html`<option${v === s.minSeverity ? html` selected` : ''}>${v}</option>`,
                                  )}
                                </select></label
                              > `,
                              { label: 'Save' },
                            ),
                          ]
                        : ''
                    }
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </section>`,
  });
}
