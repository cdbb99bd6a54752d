import type { PostureFinding } from './posture-finding.js';
import type { PostureReport } from './posture-service.js';

const CSV_COLUMNS = [
  'kind',
  'check',
  'requirement',
  'status',
  'title',
  'resource',
  'field',
  'before',
  'after',
  'explainedBy',
  'detail',
  'fix',
  'references',
] as const;

const cellText = (value: unknown): string =>
  value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);

/**
 * RFC 4180 CSV, one row per finding (ScubaGear ships the same three forms: JSON, HTML, CSV). A cell
 * that a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with `'`: provider text
 * reaches these cells.
 */
export function postureCsv(report: PostureReport): string {
  const cell = (value: unknown) => {
    let text = cellText(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const row = (f: PostureFinding) =>
    CSV_COLUMNS.map((c) =>
      cell(c === 'explainedBy' || c === 'references' ? (f[c] as readonly string[]).join(' ') : f[c]),
    ).join(',');
  return [CSV_COLUMNS.join(','), ...report.findings.map(row)].join('\r\n') + '\r\n';
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STATUS_ORDER = { fail: 0, warn: 1, pass: 2, 'not-applicable': 3 } as const;

/** A self-contained HTML report (no scripts, no remote resources); every value escaped. */
export function postureHtml(report: PostureReport): string {
  const s = report.snapshot;
  const findings = [...report.findings].sort(
    (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || (a.check ?? '').localeCompare(b.check ?? ''),
  );
  const counts = (status: PostureFinding['status']) =>
    report.findings.filter((f) => f.status === status).length;
  const rows = findings
    .map(
      (f) =>
        `<tr class="${f.status}"><td>${escapeHtml(f.status)}</td><td>${escapeHtml(f.kind)}</td><td>${escapeHtml(
          f.check ?? '',
        )}<br><small>${escapeHtml(f.requirement ?? '')}</small></td><td>${escapeHtml(f.title)}<br><small>${escapeHtml(
          f.detail,
        )}</small></td><td><code>${escapeHtml(f.resource)}</code>${
          f.field ? `<br><code>${escapeHtml(f.field)}</code>` : ''
        }</td><td>${escapeHtml(f.fix ?? '')}</td><td>${escapeHtml(f.references.join('; '))}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Vigil posture: ${escapeHtml(s.source)} ${escapeHtml(s.takenAt)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#1b1f24}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #d0d7de;padding:.4rem;text-align:left;vertical-align:top}
tr.fail td:first-child{color:#b42318;font-weight:600}tr.warn td:first-child{color:#9a6700;font-weight:600}
tr.pass td:first-child{color:#1a7f37}small{color:#57606a}code{font-size:12px}
</style></head><body>
<h1>Configuration posture of ${escapeHtml(s.source)}</h1>
<p>Snapshot <code>${escapeHtml(s.id)}</code> taken ${escapeHtml(s.takenAt)} (${s.objects} objects, ledger leaf ${s.leafIndex})${
    report.previous ? `, compared with <code>${escapeHtml(report.previous.id)}</code>` : ''
  }. System Log last read ${escapeHtml(report.logReadAt ?? 'never')}.</p>
<p>${counts('fail')} failed, ${counts('warn')} warnings, ${counts('pass')} passed, ${counts('not-applicable')} not applicable.</p>
<table><thead><tr><th>Result</th><th>Kind</th><th>Check</th><th>Finding</th><th>Evidence</th><th>Fix</th><th>References</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`;
}
