import { html } from './html.js';
import { page, type PageUser } from './layout.js';
import { time } from './fragments.js';

/** `GET /api/v1/audit`: the console's and the response commands' audit records, newest first. */
export interface AuditView {
  readonly filter: Readonly<Record<string, string | number | undefined>>;
  readonly records: readonly {
    readonly id: string;
    readonly time: string;
    readonly actor: string;
    readonly action: string;
    readonly target?: string;
    readonly reason?: string;
    readonly details?: Readonly<Record<string, unknown>>;
    readonly leafIndex: number;
  }[];
}

export function auditPage(view: AuditView, user: PageUser): string {
  const f = view.filter;
  const value = (name: string) => (f[name] === undefined ? '' : String(f[name]));
  return page({
    title: 'Audit log',
    principal: user,
    current: '/audit',
    body: html`<h1>Audit log</h1>
      <p class="muted">
        Ledgered in <code>vigil/audit</code>: <code>vigil verify</code> checks it,
        <code>vigil ledger prove --source vigil/audit --record ID</code> proves a record.
      </p>
      <form class="filters" method="get" action="/audit" role="search" aria-label="Filter the audit log">
        <label>Action <input name="action" value="${value('action')}" size="18" /></label>
        <label>Actor <input name="actor" value="${value('actor')}" size="12" /></label>
        <label>From <input name="from" value="${value('from')}" size="22" /></label>
        <label>To <input name="to" value="${value('to')}" size="22" /></label>
        <button type="submit">Filter</button>
      </form>
      <table class="grid audit">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Reason</th>
            <th scope="col">Details</th>
            <th scope="col">Leaf</th>
          </tr>
        </thead>
        <tbody>
          ${view.records.map(
            (r) =>
              html`<tr>
                <td>${time(r.time)}</td>
                <td>${r.actor}</td>
                <td>${r.action}</td>
                <td><code>${r.target ?? ''}</code></td>
                <td>${r.reason ?? ''}</td>
                <td><code>${r.details ? JSON.stringify(r.details) : ''}</code></td>
                <td>${r.leafIndex}</td>
              </tr>`,
          )}
        </tbody>
      </table>`,
  });
}
