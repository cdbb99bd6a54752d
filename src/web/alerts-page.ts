import type { AlertView } from '../alerts/alert-view.js';
import type { EventSummary } from '../alerts/event-summary.js';
import { html, queryString, type SafeHtml } from './html.js';
import { page, type PageUser } from './layout.js';
import { apiForm, severityBadge, time, tokenValue } from './fragments.js';

/** An alert as the console lists it (`GET /api/v1/alerts`): the alert JSON and its assignee. */
export interface AlertRow extends AlertView {
  readonly assignee: string | null;
}

/** Related alerts told as one story (alerts/alert-grouping.ts): why they belong together in `sharedKeys`. */
export interface AlertStory {
  readonly id: string;
  readonly title: string;
  readonly severity: string;
  readonly alerts: readonly string[];
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly open: number;
  readonly sharedKeys: readonly string[];
}

export interface AlertsView {
  readonly filter: {
    readonly status?: string;
    readonly severity?: string;
    readonly source?: string;
    readonly rule?: string;
    readonly assignee?: string;
    readonly sort: string;
    readonly limit: number;
  };
  readonly alerts: readonly AlertRow[];
  readonly stories: readonly AlertStory[];
}

export interface AlertDetailView {
  readonly alert: AlertRow;
  readonly events: readonly EventSummary[];
  readonly missing: readonly string[];
}

const canTriage = (user: PageUser) => user.role !== 'viewer';

function select(
  name: string,
  label: string,
  options: readonly string[],
  chosen: string | undefined,
): SafeHtml {
  return html`<label
    >${label}
    <select name="${name}">
      <option value="">any</option>
      ${options.map((o) => html`<option value="${o}" ${o === chosen ? html` selected` : ''}>${o}</option>`)}
    </select></label
  >`;
}

function entityText(entity: AlertView['entity']): SafeHtml {
  return html`${entity.type} <code>${entity.display ?? entity.id}</code>`;
}

export function alertsPage(view: AlertsView, user: PageUser): string {
  const f = view.filter;
  const filters = html`<form
    class="filters"
    method="get"
    action="/alerts"
    role="search"
    aria-label="Filter alerts"
  >
    ${select('status', 'Status', ['open', 'acknowledged', 'resolved'], f.status)}
    ${select('severity', 'At least', ['informational', 'low', 'medium', 'high', 'critical'], f.severity)}
    <label>Source <input name="source" value="${f.source ?? ''}" size="10" /></label>
    <label>Rule <input name="rule" value="${f.rule ?? ''}" size="24" /></label>
    <label>Assignee <input name="assignee" value="${f.assignee ?? ''}" size="10" /></label>
    <label
      >Sort
      <select name="sort">
        ${['last-seen', 'first-seen', 'severity', 'count'].map(
          (s) => html`<option value="${s}" ${s === f.sort ? html` selected` : ''}>${s}</option>`,
        )}
      </select></label
    >
    <button type="submit">Filter</button>
  </form>`;
  const storyList = html`<section aria-labelledby="stories">
    <h2 id="stories">Stories</h2>
    <p class="muted">
      Alerts about the same entity, or sharing a session, an actor or a support case within an hour, newest
      first.
    </p>
    <ul class="stories">
      ${view.stories.map(
        (s) =>
          html`<li>
            ${severityBadge(s.severity)} ${s.title}: ${s.alerts.length} alert(s), ${s.open} open,
            ${time(s.firstSeen)} – ${time(s.lastSeen)}
            ${s.alerts.map((id) => html` <a href="/alerts/${id}">${id.slice(0, 8)}</a>`)}
            ${s.sharedKeys.length ? html`<span class="muted">(${s.sharedKeys.join(', ')})</span>` : ''}
          </li>`,
      )}
    </ul>
  </section>`;
  const rows = view.alerts.map(
    (a) =>
      html`<tr>
        ${canTriage(user) ? html`<td><input type="checkbox" name="ids" value="${a.id}" form="bulk" aria-label="select alert ${a.id}" /></td>` : ''}
        <td>${severityBadge(a.severity)}</td>
        <td><a href="/alerts/${a.id}">${a.rule.title}</a><br /><span class="muted">${a.rule.id}</span></td>
        <td>${entityText(a.entity)}</td>
        <td>${a.status}</td>
        <td>${a.assignee ?? html`<span class="muted">–</span>`}</td>
        <td>${a.count}</td>
        <td>${time(a.lastSeen)}</td>
        <td>${a.source ?? ''}</td>
      </tr>`,
  );
  const bulk = canTriage(user)
    ? html`<form
        id="bulk"
        class="bulk"
        method="post"
        action="/api/v1/alerts/bulk"
        data-api="/api/v1/alerts/bulk"
        aria-label="Bulk actions"
      >
        <label
          >Selected alerts:
          <select name="action">
            <option value="acknowledge">acknowledge</option>
            <option value="resolve">resolve</option>
            <option value="false-positive">false positive</option>
            <option value="assign">assign</option>
          </select></label
        >
        <label>Note <input name="note" size="30" /></label>
        <label>Assignee <input name="assignee" size="10" /></label>
        <button type="submit">Apply</button><output class="form-result" aria-live="polite"></output>
      </form>`
    : '';
  return page({
    title: 'Alerts',
    principal: user,
    current: '/alerts',
    body: html`<h1>Alerts</h1>
      ${filters} ${storyList}
      <section aria-labelledby="list">
        <h2 id="list">Alerts (${view.alerts.length})</h2>
        ${bulk}
        <table class="grid">
          <thead>
            <tr>
              ${canTriage(user) ? html`<th scope="col"><span class="sr">select</span></th>` : ''}
              <th scope="col">Severity</th>
              <th scope="col">Rule</th>
              <th scope="col">About</th>
              <th scope="col">Status</th>
              <th scope="col">Assignee</th>
              <th scope="col">Count</th>
              <th scope="col">Last seen</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            ${rows}
          </tbody>
        </table>
      </section>`,
  });
}

export function alertPage(view: AlertDetailView, user: PageUser): string {
  const a = view.alert;
  const context = { kind: 'alert' as const, id: a.id, ...(a.source ? { source: a.source } : {}) };
  const triage = canTriage(user)
    ? html`<section aria-labelledby="triage">
        <h2 id="triage">Triage</h2>
        ${apiForm(
          `/api/v1/alerts/${a.id}/transition`,
          html`<label
              >Action
              <select name="action">
                ${a.status === 'open' ? html`<option value="acknowledge">acknowledge</option>` : ''}
                <option value="resolve">resolve</option>
                <option value="false-positive">false positive</option>
              </select></label
            >
            <label>Note <input name="note" size="40" /></label> `,
          { label: 'Save', className: 'api-form triage' },
        )}
        ${apiForm(
          `/api/v1/alerts/${a.id}/assign`,
          html`<label>Assign to <input name="assignee" value="${a.assignee ?? ''}" size="12" /></label> `,
          { label: 'Assign', className: 'api-form assign' },
        )}
      </section>`
    : '';
  return page({
    title: a.rule.title,
    principal: user,
    current: '/alerts',
    body: html`<p><a href="/alerts">← Alerts</a></p>
      <h1>${severityBadge(a.severity)} ${a.rule.title}</h1>
      <dl class="facts">
        <dt>Status</dt>
        <dd class="alert-status">${a.status}</dd>
        <dt>About</dt>
        <dd>
          ${a.entity.type} ${tokenValue(a.entity.display ?? a.entity.id, context, user.role !== 'viewer')}
        </dd>
        <dt>Assignee</dt>
        <dd>${a.assignee ?? 'nobody'}</dd>
        <dt>Seen</dt>
        <dd>${a.count} time(s), ${time(a.firstSeen)} – ${time(a.lastSeen)}</dd>
        <dt>Source</dt>
        <dd>${a.source ?? ''}</dd>
        <dt>Id</dt>
        <dd><code>${a.id}</code></dd>
      </dl>
      <p>${a.description}</p>
      <h2>Why</h2>
      <ul>
        ${a.reasons.map((r) => html`<li>${severityBadge(r.severity)} <strong>${r.rule.title}</strong> (<code>${r.rule.id}</code>): ${r.description}</li>`)}
      </ul>
      ${triage}
      <section aria-labelledby="events">
        <h2 id="events">Triggering events</h2>
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">Published</th>
              <th scope="col">Type</th>
              <th scope="col">Actor</th>
              <th scope="col">IP</th>
              <th scope="col">Place</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            ${view.events.map(
              (e) =>
                html`<tr>
                  <td>
                    <a href="/events/${a.source ?? ''}/${e.id}${queryString({})}">${time(e.published)}</a>
                  </td>
                  <td>${e.eventType}</td>
                  <td>
                    ${tokenValue(e.actor, { kind: 'event', id: e.id, ...(a.source ? { source: a.source } : {}) }, user.role !== 'viewer')}
                  </td>
                  <td>
                    ${tokenValue(e.ip, { kind: 'event', id: e.id, ...(a.source ? { source: a.source } : {}) }, user.role !== 'viewer')}
                  </td>
                  <td>${e.place ?? ''}</td>
                  <td>${e.outcome ?? ''}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        ${view.missing.length ? html`<p class="bad">Not in the store: ${view.missing.join(', ')}</p>` : ''}
      </section>
      <section aria-labelledby="history">
        <h2 id="history">History</h2>
        <ol>
          ${a.transitions.map((t) => html`<li>${time(t.at)} ${t.by}: ${t.from} → ${t.to}${t.note ? html` (${t.note})` : ''}</li>`)}
        </ol>
      </section>`,
  });
}
