import type { VerificationReport } from '../verify/verification-report.js';
import type { CanaryDrillResult } from './canary-drill.js';
import type { IncidentReportSummary } from './incident-report-drill.js';

/** What `vigil demo --json` prints (issue 6): alerts, missed detections, verification. */
export interface DemoSummary {
  dataDir: string;
  simulator: { users: number; days: number; seed: number; scenarios: string[] };
  collected: { events: number; pages: number; duplicatesSkipped: number; retries: number };
  alerts: {
    rule: { id: string; title: string };
    /** Every rule that fired into this alert (the first is `rule`). */
    reasons: string[];
    severity: string;
    entity: string;
    time: string;
    events: string[];
  }[];
  missed: { scenario: string; detection: string }[];
  /** The posture drill (demo/posture-drill.ts): what was caught as a shadow change, what the log explained. */
  posture: { snapshots: string[]; shadowChanges: string[]; explained: string[]; failedChecks: string[] };
  /** The canary drills (demo/canary-drill.ts): enforcement-bypass and log-suppression. */
  canaries: CanaryDrillResult;
  verification: {
    ok: boolean;
    findings: number;
    leaves: number;
    checkpoints: number;
    rootHash: string | null;
  };
  checkpoint: string;
  verifierKey: string;
  report: string;
  /** The lapsus-2022 breach as its provider announced it, and the incident report (demo/incident-report-drill.ts). */
  incident?: IncidentReportSummary;
}

export function verificationSummary(report: VerificationReport): DemoSummary['verification'] {
  const s = report.sources[0];
  return {
    ok: report.ok,
    findings: report.findings.length + report.truncated,
    leaves: s?.leaves ?? 0,
    checkpoints: s?.checkpoints ?? 0,
    rootHash: s?.rootHash ?? null,
  };
}

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** A self-contained HTML page of the same summary the terminal shows. */
export function demoHtml(summary: DemoSummary): string {
  const rows = summary.alerts
    .map(
      (a) =>
        `<tr><td>${esc(a.time)}</td><td>${esc(a.severity)}</td><td>${esc(a.rule.title)}</td><td>${esc(a.entity)}</td><td>${a.events.length}</td></tr>`,
    )
    .join('\n');
  const missed = summary.missed.map((m) => `<li>${esc(m.scenario)}: ${esc(m.detection)}</li>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Vigil demo</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left}.ok{color:#070}.bad{color:#b00}pre{background:#f6f6f6;padding:1em;overflow:auto}</style></head><body>
<h1>Vigil demo</h1>
<p>${summary.collected.events} events collected from the simulated Okta org (${summary.simulator.users} users, ${summary.simulator.days} days, seed ${summary.simulator.seed}; scenarios: ${esc(summary.simulator.scenarios.join(', ') || 'none')}).</p>
<h2>Custody</h2>
<p class="${summary.verification.ok ? 'ok' : 'bad'}">vigil verify: ${summary.verification.ok ? 'OK' : 'FAILED'} — ${summary.verification.leaves} leaves, ${summary.verification.checkpoints} signed checkpoints.</p>
<pre>${esc(summary.checkpoint)}</pre><p>Verifier key: <code>${esc(summary.verifierKey)}</code></p>
<h2>Alerts (${summary.alerts.length})</h2>
<table><tr><th>time</th><th>severity</th><th>detection</th><th>entity</th><th>events</th></tr>${rows}</table>
<h2>Configuration posture</h2>
<p>Snapshots ${summary.posture.snapshots.map((id) => `<code>${esc(id)}</code>`).join(' and ')}, ledgered in <code>okta/config-snapshots</code>.</p>
<ul>${summary.posture.shadowChanges.map((d) => `<li class="bad">Shadow change: ${esc(d)}</li>`).join('')}${summary.posture.explained.map((d) => `<li>Explained: ${esc(d)}</li>`).join('')}${summary.posture.failedChecks.map((d) => `<li class="bad">Baseline: ${esc(d)}</li>`).join('')}</ul>
<h2>Canary sign-ins</h2>
<ul><li class="${summary.canaries.bypass.status === 'pass' ? '' : 'bad'}">enforcement-bypass: ${esc(summary.canaries.canary)} ${esc(summary.canaries.bypass.probe)}: ${esc(summary.canaries.bypass.status)}, observed ${esc(summary.canaries.bypass.observed)}; configuration changes posture saw meanwhile: ${summary.canaries.configChanges}</li>
<li class="${summary.canaries.suppressed.logCheck === 'pass' ? '' : 'bad'}">log-suppression: ${esc(summary.canaries.canary)} ${esc(summary.canaries.suppressed.probe)}: log check ${esc(summary.canaries.suppressed.logCheck)}${summary.canaries.suppressed.missing.map((m) => `, missing ${esc(m)}`).join('')}</li></ul>
${summary.incident ? incidentHtml(summary.incident) : ''}
<h2>Missed</h2><ul>${missed || '<li>nothing: every expected detection fired</li>'}</ul>
</body></html>
`;
}

function incidentHtml(r: IncidentReportSummary): string {
  const rows = r.timeline
    .map(
      (e) =>
        `<tr><td>${esc(e.published)}</td><td>${esc(e.eventType)}</td><td>${esc(e.actor)}</td><td>${esc(e.why.join(' '))}</td></tr>`,
    )
    .join('\n');
  return `<h2>Incident: ${esc(r.scenario)}</h2>
<p>Incident <code>${esc(r.incident)}</code>, the provider's window ${esc(r.from)} to ${esc(r.to)}, ${r.indicators} indicators: ${r.cited} events cited, each with an inclusion proof (the attack's ${r.attackCited} of ${r.attackEvents}); ${r.principals.length} people named; ${r.support.actions} support actions, ${r.support.matched} matched to an approved ticket. The whole report: <a href="${esc(r.report)}">${esc(r.report)}</a>.</p>
<table><tr><th>published</th><th>type</th><th>actor</th><th>why cited</th></tr>${rows}</table>`;
}
