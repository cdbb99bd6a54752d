import { html } from './html.js';
import { page, type PageUser } from './layout.js';
import { severityBadge, time } from './fragments.js';

/** One source on the overview (`GET /api/v1/overview`). */
export interface SourceOverview {
  readonly source: string;
  readonly events: number;
  readonly lastEvent: string | null;
  readonly lagSeconds: number | null;
  readonly lastCheckpoint: { readonly treeSize: number; readonly signedAt: string } | null;
  readonly verification: { readonly ok: boolean; readonly at: string; readonly by: string } | null;
  readonly openAlerts: Readonly<Record<string, number>>;
  readonly posture: {
    readonly snapshot: string;
    readonly takenAt: string;
    readonly shadowAlerts: number;
  } | null;
  readonly canaries: { readonly pass: number; readonly fail: number; readonly lastAt: string } | null;
  readonly collection: { readonly lastRound: string | null } | null;
}

export interface OverviewView {
  readonly now: string;
  readonly sources: readonly SourceOverview[];
}

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'informational'];

function lag(seconds: number | null): string {
  if (seconds === null) return 'no events yet';
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} days`;
}

export function overviewPage(view: OverviewView, user: PageUser): string {
  const cards = view.sources.map(
    (s) =>
      html`<section class="card" aria-labelledby="src-${s.source}">
        <h2 id="src-${s.source}">${s.source}</h2>
        <dl class="facts">
          <dt>Events</dt>
          <dd>${s.events}</dd>
          <dt>Last event</dt>
          <dd>${s.lastEvent ? time(s.lastEvent) : 'none'}</dd>
          <dt>Collection lag</dt>
          <dd>${lag(s.lagSeconds)}</dd>
          <dt>Last checkpoint</dt>
          <dd>
            ${s.lastCheckpoint ? html`size ${s.lastCheckpoint.treeSize}, signed ${time(s.lastCheckpoint.signedAt)}` : 'none'}
          </dd>
          <dt>Verification</dt>
          <dd>
            ${
              s.verification
                ? html`<span class="${s.verification.ok ? 'ok' : 'bad'}"
                      >${s.verification.ok ? 'passed' : 'FAILED'}</span
                    >
                    ${time(s.verification.at)}`
                : html`not run from the console (<a href="/custody">run it</a>)`
            }
          </dd>
          <dt>Open alerts</dt>
          <dd>
            ${
              SEVERITIES.filter((sev) => (s.openAlerts[sev] ?? 0) > 0).length === 0
                ? 'none'
                : SEVERITIES.filter((sev) => (s.openAlerts[sev] ?? 0) > 0).map(
                    (sev) =>
                      html`<a href="/alerts?status=open&source=${s.source}&severity=${sev}"
                        >${severityBadge(sev)} ${s.openAlerts[sev] ?? 0}</a
                      > `,
                  )
            }
          </dd>
          <dt>Posture</dt>
          <dd>
            ${
              s.posture
                ? html`snapshot
                    ${time(s.posture.takenAt)}${s.posture.shadowAlerts > 0 ? html`, <span class="bad">${s.posture.shadowAlerts} shadow change alert(s)</span>` : ''}
                    (<a href="/posture?source=${s.source}">findings</a>)`
                : 'no snapshot yet'
            }
          </dd>
          <dt>Canaries</dt>
          <dd>
            ${
              s.canaries
                ? html`<span class="${s.canaries.fail > 0 ? 'bad' : 'ok'}"
                      >${s.canaries.pass} passed, ${s.canaries.fail} failed</span
                    >, last ${time(s.canaries.lastAt)}`
                : 'none run'
            }
          </dd>
          ${
            s.collection
              ? html`<dt>Collection here</dt>
                  <dd>
                    ${s.collection.lastRound ? html`last round ${time(s.collection.lastRound)}` : 'started, no round yet'}
                  </dd>`
              : ''
          }
        </dl>
      </section>`,
  );
  return page({
    title: 'Overview',
    principal: user,
    current: '/',
    body: html`<h1>Overview</h1>
      <p class="muted">As of ${time(view.now)}.</p>
      ${view.sources.length === 0 ? html`<p>No source has any events yet: add one with <code>vigil source add okta …</code> and collect.</p>` : cards}`,
  });
}
