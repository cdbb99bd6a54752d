import type { AffectedPrincipal } from './affected-principals.js';
import type { IncidentReport, ProvenEvent } from './incident-report.js';

/** The report's section headings, in order: the HTML, the PDF and the tests use the same words. */
export const REPORT_SECTIONS = [
  'Evidence basis',
  'Timeline',
  'Blast radius',
  'Support-ticket reconciliation',
  'Alerts in the window',
  'Actions taken',
  'Chain of custody',
] as const;

const esc = (value: unknown): string =>
  String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const REMEDY_TEXT: Readonly<Record<AffectedPrincipal['recommended'][number], string>> = {
  'clear-sessions': 'clear their sessions',
  'reset-password': 'reset their password',
  'reset-factors': 're-enrol their MFA factors',
  'review-admin-grants': 'review their admin rights',
  suspend: 'suspend the account',
};

/**
 * The report as one self-contained HTML file (no script, no external resource, a style sheet in the
 * head): what the PDF is printed from. Every value is escaped: the events are the provider's,
 * and hostile.
 */
export function reportHtml(report: IncidentReport): string {
  const { header, evidence: ev, blastRadius: br } = report;
  const inc = header.incident;
  const [basis, timeline, radius, support, alerts, actions, custody] = REPORT_SECTIONS;
  const rows = (cells: readonly unknown[][]) =>
    cells.map((r) => `<tr>${r.map((c) => `<td>${c as string}</td>`).join('')}</tr>`).join('\n');
  const table = (head: readonly string[], body: readonly unknown[][], empty: string) =>
    body.length === 0
      ? `<p class="none">${esc(empty)}</p>`
      : `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows(body)}</tbody></table>`;
  const eventRow = (e: ProvenEvent) => [
    esc(e.published),
    `<code>${esc(e.uuid)}</code>`,
    esc(e.eventType),
    esc(e.outcome ?? ''),
    esc(`${e.actor.login ?? e.actor.id} (${e.actor.type})`),
    esc(e.targets.map((t) => `${t.type} ${t.name ?? t.id}`).join('; ')),
    esc(e.ip ?? ''),
    esc(e.why.join(', ')),
    String(e.leafIndex),
  ];
  const byUuid = new Map(report.timeline.map((e) => [e.uuid, e]));
  const principalRow = (p: AffectedPrincipal) => [
    esc(p.login ?? p.id) + (p.admin ? ' <strong>admin</strong>' : ''),
    `<code>${esc(p.id)}</code>`,
    p.happened.map((u) => esc(`${byUuid.get(u)?.eventType ?? 'event'} ${u}`)).join('<br>'),
    esc(p.by.join(', ')),
    esc(p.from.join(', ')),
    esc(p.recommended.map((r) => REMEDY_TEXT[r]).join('; ')),
  ];
  const sr = report.supportReconciliation;
  const supportBody = sr.available
    ? `<p>${sr.result.actions.length} support action(s) in the window, ${sr.result.tickets.length} ticket(s) on record, ${sr.result.matched.length} action(s) matched to an approved ticket, ${sr.result.findings.length} finding(s).</p>
${table(
  ['finding', 'severity', 'case', 'events', 'detail'],
  sr.result.findings.map((f) => [
    esc(f.kind),
    esc(f.severity),
    esc(f.caseNumber ?? 'none'),
    esc(f.eventIds.join(', ')),
    esc(f.detail),
  ]),
  'No finding: every support action matched an approved ticket.',
)}
${table(
  ['event', 'type', 'published', 'matched by', 'case'],
  sr.result.matched.map((m) => [
    `<code>${esc(m.eventId)}</code>`,
    esc(m.eventType),
    esc(m.published),
    esc(m.by),
    esc(m.caseNumber),
  ]),
  'No support action matched a ticket.',
)}`
    : `<p class="bad">Not available: ${esc(sr.reason)}</p>`;
  const cp = (c: { treeSize: number; rootHash: string; signedAt: string; witnesses: readonly string[] }) =>
    `size ${c.treeSize}, root <code>${esc(c.rootHash)}</code>, signed ${esc(c.signedAt)}${c.witnesses.length ? `, cosigned by ${esc(c.witnesses.join(', '))}` : ', no witness cosignature kept'}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Incident report: ${esc(inc.name)}</title>
<style>
body{font:12px system-ui,sans-serif;margin:2em;max-width:1200px;color:#111}
h1{font-size:20px}h2{font-size:16px;border-bottom:1px solid #999;margin-top:1.6em}
table{border-collapse:collapse;width:100%;margin:.5em 0}td,th{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top;word-break:break-word}
code,pre{font:11px ui-monospace,monospace}pre{background:#f6f6f6;padding:.6em;white-space:pre-wrap;word-break:break-all}
.bad{color:#a00}.none{color:#555;font-style:italic}dt{font-weight:bold}dd{margin:0 0 .3em 1.5em}
</style></head><body>
<h1>Incident report: ${esc(inc.name)}</h1>
<dl>
<dt>Incident</dt><dd><code>${esc(inc.id)}</code>, source <code>${esc(inc.source)}</code>, scope ${esc(inc.scope)}, ${esc(inc.status)}</dd>
<dt>Window (provider-stated)</dt><dd>${esc(inc.from)} to ${esc(inc.to)} (UTC)</dd>
<dt>Indicators</dt><dd>${inc.iocs.length === 0 ? 'none given' : esc(inc.iocs.map((i) => `${i.kind} ${i.value}`).join('; '))}</dd>
<dt>Report</dt><dd><code>${esc(header.reportId)}</code>, generated ${esc(header.generatedAt)} (UTC) by ${esc(header.generatedBy)} with ${esc(header.tool)}</dd>
<dt>Signer</dt><dd><code>${esc(header.verifierKey ?? 'no verifier key')}</code></dd>
<dt>Personal data</dt><dd>${header.revealed ? '<strong class="bad">revealed</strong> (recorded in the audit log)' : 'shown as tokens (user:…, ip:…)'}</dd>
</dl>

<h2>${basis}</h2>
<p>Every cited event is named by the provider's id (uuid) and carries an RFC 9162 inclusion proof against the checkpoint below (ledger <code>${esc(ev.log)}</code>, leaf index in the last column of the timeline).</p>
<dl>
<dt>Checkpoint the proofs are against</dt><dd>${cp(ev.checkpoint)}</dd>
<dt>First checkpoint signed after the window closed</dt><dd>${ev.firstAfterWindow ? cp(ev.firstAfterWindow) : 'none yet'}</dd>
<dt>Checkpoints signed during the window</dt><dd>${ev.checkpointsInWindow}</dd>
<dt>Events stored in the window</dt><dd>${ev.eventsInWindow}</dd>
<dt>Collected up to</dt><dd>${esc(ev.collectedUpTo ?? 'never collected')}; oldest stored event ${esc(ev.oldestStored ?? 'none')}</dd>
<dt>Configuration snapshots</dt><dd>before: ${ev.posture.before ? `<code>${esc(ev.posture.before.id)}</code>` : 'none'}; after: ${ev.posture.after ? `<code>${esc(ev.posture.after.id)}</code>` : 'none'}</dd>
<dt>Collection gaps</dt><dd>${ev.gaps.length === 0 ? 'none known' : `<ul>${ev.gaps.map((g) => `<li class="bad">${esc(g)}</li>`).join('')}</ul>`}</dd>
</dl>
<pre>${esc(ev.checkpoint.note)}</pre>

<h2>${timeline}</h2>
${table(['published (UTC)', 'uuid', 'event type', 'outcome', 'actor', 'targets', 'ip', 'why cited', 'leaf'], report.timeline.map(eventRow), 'No in-scope event in the window.')}

<h2>${radius}</h2>
${table(['who', 'id', 'what happened', 'by', 'from', 'what to do'], br.principals.map(principalRow), 'No user or admin was touched by a cited event.')}
<dl>
<dt>Support access</dt><dd>grants: ${esc(br.supportAccess.grants.join(', ') || 'none')}; impersonation sessions: ${esc(br.supportAccess.sessions.join(', ') || 'none')}</dd>
<dt>API tokens created</dt><dd>${esc(br.apiTokens.map((t) => `${t.name ?? t.id} (${t.id}, event ${t.uuid})`).join('; ') || 'none')}</dd>
<dt>Identity providers</dt><dd>${esc(br.identityProviders.map((i) => `${i.id} (event ${i.uuid})`).join('; ') || 'none')}</dd>
<dt>Policy changes</dt><dd>${esc(br.policyChanges.map((p) => `${p.policyId}${p.ruleId ? ` rule ${p.ruleId}` : ''} (event ${p.uuid})`).join('; ') || 'none')}</dd>
</dl>

<h2>${support}</h2>
${supportBody}

<h2>${alerts}</h2>
<p>${report.alerts.total} alert(s) in ${report.alerts.stories.length} stor${report.alerts.stories.length === 1 ? 'y' : 'ies'}.</p>
${report.alerts.stories
  .map(
    (s) =>
      `<h3>[${esc(s.severity)}] ${esc(s.title)}</h3><p>${esc(s.firstSeen)} to ${esc(s.lastSeen)}${s.sharedKeys.length ? `; shared: ${esc(s.sharedKeys.join(', '))}` : ''}</p>${table(
        ['alert', 'rule', 'severity', 'status', 'events'],
        s.alerts.map((a) => [
          `<code>${esc(a.id)}</code> ${esc(a.title)}`,
          esc(a.rule),
          esc(a.severity),
          esc(a.status),
          esc(a.events.join(', ')),
        ]),
        '',
      )}`,
  )
  .join('\n')}

<h2>${actions}</h2>
${table(
  ['time', 'record', 'leaf', 'action'],
  report.actions.map((a) => [
    esc(a.time),
    `<code>${esc(a.id)}</code>`,
    String(a.leafIndex),
    `<pre>${esc(JSON.stringify(a.record))}</pre>`,
  ]),
  'No containment action is ledgered for this source since the window opened.',
)}

<h2>${custody}</h2>
<p>Generated by ${esc(report.custody.generatedBy)} at ${esc(report.custody.generatedAt)} (UTC); the generation is recorded in Vigil's audit log (<code>vigil/audit</code>).</p>
${table(
  ['artifact', 'SHA-256', 'bytes'],
  report.custody.artifacts.map((a) => [esc(a.name), `<code>${esc(a.sha256)}</code>`, String(a.bytes)]),
  'No evidence bundle was written with this rendering (use --out).',
)}
<p>To check:</p><pre>${esc(report.custody.verify.join('\n'))}</pre>
</body></html>
`;
}
