import type { Alert } from './alert.js';

const COLUMNS = ['ID', 'SEVERITY', 'STATUS', 'COUNT', 'LAST SEEN', 'RULE', 'ENTITY'] as const;

const row = (a: Alert): string[] => [
  a.id,
  a.severity,
  a.status,
  String(a.count),
  new Date(a.lastSeenMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  a.title,
  `${a.entity.type}:${a.entity.display ?? a.entity.id}`,
];

/** Plain-text table for `vigil alerts`: fixed columns padded to the widest cell, last column free. */
export function formatAlertTable(alerts: readonly Alert[]): string {
  if (alerts.length === 0) return 'no alerts\n';
  const rows = [[...COLUMNS], ...alerts.map(row)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}
