import { html } from './html.js';
import { page, type PageUser } from './layout.js';
import { time } from './fragments.js';

/** `GET /api/v1/canaries`: probe results and log checks, newest first. */
export interface CanariesView {
  readonly results: readonly {
    readonly source: string;
    readonly id: string;
    readonly leafIndex: number;
    readonly kind: 'probe' | 'log-check';
    readonly canary: string;
    readonly probe: string;
    readonly at: string;
    readonly status: string;
    readonly expected: string;
    readonly observed: string;
  }[];
}

export function canariesPage(view: CanariesView, user: PageUser): string {
  return page({
    title: 'Canaries',
    principal: user,
    current: '/canaries',
    body: html`<h1>Canaries</h1>
      <p class="muted">
        Real sign-ins with canary accounts prove the provider enforces its policies and logs them
        (docs/canaries.md).
      </p>
      ${
        view.results.length === 0
          ? html`<p>No canary has run yet.</p>`
          : html`<table class="grid">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Source</th>
                  <th scope="col">Canary</th>
                  <th scope="col">Probe</th>
                  <th scope="col">Result</th>
                  <th scope="col">Expected</th>
                  <th scope="col">Observed</th>
                </tr>
              </thead>
              <tbody>
                ${view.results.map(
                  (r) =>
                    html`<tr>
                      <td>${time(r.at)}</td>
                      <td>${r.source}</td>
                      <td><code>${r.canary}</code></td>
                      <td>${r.probe}</td>
                      <td><span class="${r.status === 'pass' ? 'ok' : 'bad'}">${r.status}</span></td>
                      <td>${r.expected}</td>
                      <td>${r.observed}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }`,
  });
}
