import { html } from './html.js';
import { page, type PageUser } from './layout.js';
import { time } from './fragments.js';

/** One finding as `vigil posture check --json` writes it (posture/posture-finding.ts), the fields shown. */
export interface PostureFindingView {
  readonly kind: string;
  readonly check: string | null;
  readonly title: string;
  readonly requirement: string | null;
  readonly references: readonly string[];
  readonly resource: string;
  readonly field: string | null;
  readonly status: 'pass' | 'fail' | 'warn' | 'not-applicable';
  readonly detail: string;
  readonly fix: string | null;
}

/** A posture review (posture/posture-service.ts `PostureReport`), the fields shown. */
export interface PostureReportView {
  readonly snapshot: { readonly id: string; readonly takenAt: string; readonly objects: number };
  readonly previous: { readonly id: string } | null;
  readonly findings: readonly PostureFindingView[];
}

/** `GET /api/v1/posture`: the latest snapshot's review per source, or null before the first snapshot. */
export interface PostureView {
  readonly reports: readonly { readonly source: string; readonly report: PostureReportView | null }[];
}

const ORDER = { fail: 0, warn: 1, pass: 2, 'not-applicable': 3 } as const;

export function posturePage(view: PostureView, user: PageUser): string {
  return page({
    title: 'Posture',
    principal: user,
    current: '/posture',
    body: html`<h1>Posture</h1>
      ${view.reports.length === 0 ? html`<p>No sources.</p>` : ''}
      ${view.reports.map(({ source, report }) =>
        report === null
          ? html`<section>
              <h2>${source}</h2>
              <p>
                No configuration snapshot yet (<code>vigil posture snapshot</code>, or collect with posture
                on).
              </p>
            </section>`
          : html`<section aria-labelledby="posture-${source}">
              <h2 id="posture-${source}">${source}</h2>
              <p>
                Snapshot <code>${report.snapshot.id}</code> taken ${time(report.snapshot.takenAt)},
                ${report.snapshot.objects}
                objects${
                  report.previous
                    ? html`, compared with <code>${report.previous.id}</code>`
                    : ', the first snapshot'
                }.
              </p>
              <table class="grid">
                <thead>
                  <tr>
                    <th scope="col">Status</th>
                    <th scope="col">Check</th>
                    <th scope="col">Finding</th>
                    <th scope="col">Fix</th>
                  </tr>
                </thead>
                <tbody>
                  ${[...report.findings]
                    .sort((a, b) => ORDER[a.status] - ORDER[b.status])
                    .map(
                      (f) =>
                        html`<tr class="finding-${f.status}">
                          <td>
                            <span
                              class="${f.status === 'fail' || f.kind === 'shadow-change' ? 'bad' : f.status === 'pass' ? 'ok' : ''}"
                              >${f.kind === 'shadow-change' ? 'SHADOW CHANGE' : f.status}</span
                            >
                          </td>
                          <td>
                            ${f.check ?? f.kind}<br /><span class="muted"
                              >${f.requirement ?? ''} ${f.references.join(', ')}</span
                            >
                          </td>
                          <td>
                            ${f.title}<br />${f.detail}<br /><code class="muted"
                              >${f.resource}${f.field ?? ''}</code
                            >
                          </td>
                          <td>${f.fix ?? ''}</td>
                        </tr>`,
                    )}
                </tbody>
              </table>
            </section>`,
      )}`,
  });
}
