import type { InclusionProofJson } from '../ledger/proof-json.js';
import { html, queryString } from './html.js';
import { page, type PageUser } from './layout.js';
import { time, tokenValue } from './fragments.js';

/** A listed event (`GET /api/v1/events`): people and addresses as tokens, geography as is. */
export interface EventRow {
  readonly source: string;
  readonly id: string;
  readonly published: string;
  readonly eventType: string;
  readonly actor: string | null;
  readonly ip: string | null;
  readonly country: string | null;
  readonly city: string | null;
  readonly outcome: string | null;
  readonly summary: string | null;
}

export interface EventsView {
  readonly filter: Readonly<Record<string, string | number | undefined>>;
  readonly events: readonly EventRow[];
  readonly timeline: {
    readonly bucketSeconds: number;
    readonly buckets: readonly { readonly start: string; readonly count: number }[];
  };
}

export interface EventView {
  readonly source: string;
  readonly id: string;
  readonly row: EventRow;
  /** The stored event, tokenised. */
  readonly event: unknown;
  readonly leafIndex: number;
  /** Against the latest checkpoint; null when the event's leaf is not yet under a checkpoint. */
  readonly proof: InclusionProofJson | null;
  readonly checkpoint: string;
}

const FIELDS: readonly [string, string][] = [
  ['source', 'Source'],
  ['from', 'From (RFC 3339)'],
  ['to', 'To'],
  ['type', 'Event type (prefix*)'],
  ['actor', 'Actor (id, login or token)'],
  ['target', 'Target'],
  ['ip', 'IP (or token)'],
  ['outcome', 'Outcome'],
  ['text', 'Text'],
];

export function eventsPage(view: EventsView, user: PageUser): string {
  const f = view.filter;
  const max = Math.max(1, ...view.timeline.buckets.map((b) => b.count));
  const canReveal = user.role !== 'viewer';
  return page({
    title: 'Events',
    principal: user,
    current: '/events',
    body: html`<h1>Events</h1>
      <form class="filters" method="get" action="/events" role="search" aria-label="Search events">
        ${FIELDS.map(
          ([name, label]) =>
            html`<label
              >${label}
              <input name="${name}" value="${f[name] === undefined ? '' : String(f[name])}" size="16"
            /></label>`,
        )}
        <input
          type="hidden"
          name="context"
          value="${f['context'] === undefined ? '' : String(f['context'])}"
        />
        <label
          >Limit <input name="limit" type="number" min="1" max="1000" value="${String(f['limit'] ?? 100)}"
        /></label>
        <button type="submit">Search</button>
      </form>
      <section aria-labelledby="timeline">
        <h2 id="timeline">Timeline</h2>
        ${
          view.timeline.buckets.length === 0
            ? html`<p class="muted">No events.</p>`
            : html`<table class="timeline">
                <caption class="sr">
                  Events per ${view.timeline.bucketSeconds === 3600 ? 'hour' : 'day'}
                </caption>
                <tbody>
                  ${view.timeline.buckets.map(
                    (b) =>
                      html`<tr>
                        <th scope="row">${time(b.start)}</th>
                        <td><meter min="0" max="${max}" value="${b.count}">${b.count}</meter> ${b.count}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
        }
      </section>
      <section aria-labelledby="found">
        <h2 id="found">${view.events.length} event(s), newest first</h2>
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
            ${view.events.map((e) => {
              const context = { kind: 'event' as const, source: e.source, id: e.id };
              return html`<tr>
                <td><a href="/events/${e.source}/${e.id}">${time(e.published)}</a></td>
                <td>${e.eventType}</td>
                <td>
                  ${tokenValue(e.actor, context, canReveal)}${e.actor ? html` <a class="follow" href="/events${queryString({ actor: e.actor, context: `${e.source}/${e.id}` })}">events</a>` : ''}
                </td>
                <td>
                  ${tokenValue(e.ip, context, canReveal)}${e.ip ? html` <a class="follow" href="/events${queryString({ ip: e.ip, context: `${e.source}/${e.id}` })}">events</a>` : ''}
                </td>
                <td>${[e.city, e.country].filter((x) => x).join(', ')}</td>
                <td>${e.outcome ?? ''}</td>
              </tr>`;
            })}
          </tbody>
        </table>
      </section>`,
  });
}

export function eventPage(view: EventView, user: PageUser): string {
  const e = view.row;
  const context = { kind: 'event' as const, source: view.source, id: view.id };
  const canReveal = user.role !== 'viewer';
  return page({
    title: `Event ${view.id}`,
    principal: user,
    current: '/events',
    body: html`<p><a href="/events">← Events</a></p>
      <h1>${e.eventType}</h1>
      <dl class="facts">
        <dt>Published</dt>
        <dd>${time(e.published)}</dd>
        <dt>Actor</dt>
        <dd>${tokenValue(e.actor, context, canReveal)}</dd>
        <dt>IP</dt>
        <dd>${tokenValue(e.ip, context, canReveal)}</dd>
        <dt>Place</dt>
        <dd>${[e.city, e.country].filter((x) => x).join(', ')}</dd>
        <dt>Outcome</dt>
        <dd>${e.outcome ?? ''}</dd>
        <dt>Source</dt>
        <dd>${view.source}</dd>
        <dt>Event id</dt>
        <dd><code>${view.id}</code></dd>
        <dt>Ledger leaf</dt>
        <dd>${view.leafIndex}</dd>
      </dl>
      <section aria-labelledby="proof">
        <h2 id="proof">Inclusion proof</h2>
        ${
          view.proof
            ? html`<p>
                  Leaf ${view.proof.leafIndex} of a tree of ${view.proof.treeSize}, root
                  <code>${view.proof.rootHash}</code>. Check it with <code>vigil verify-bundle</code> or Go's
                  <code>sumdb/tlog</code> (docs/custody.md).
                </p>
                <pre class="proof">${JSON.stringify(view.proof, null, 2)}</pre>
                <h3>Signed checkpoint</h3>
                <pre class="proof">${view.checkpoint}</pre>`
            : html`<p>Not yet under a signed checkpoint.</p>`
        }
      </section>
      <section aria-labelledby="json">
        <h2 id="json">The event (personal data as tokens)</h2>
        <pre class="event-json">${JSON.stringify(view.event, null, 2)}</pre>
      </section>`,
  });
}
