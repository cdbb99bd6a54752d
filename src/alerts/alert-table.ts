import type { Alert } from './alert.js';

/**
 * The columns of `vigil alerts`, and which may be narrowed to fit the terminal (the CLI's one table
 * formatter, cli/text-table.ts, lays them out): the rule title and the entity, never the id.
 */
export const ALERT_TABLE_COLUMNS = [
  { header: 'ID' },
  { header: 'SEVERITY' },
  { header: 'STATUS' },
  { header: 'COUNT' },
  { header: 'LAST SEEN' },
  { header: 'RULE', shrink: true, min: 12 },
  { header: 'ENTITY', shrink: true, min: 12 },
] as const;

/** One alert as the cells of its row. */
export const alertTableRow = (a: Alert): string[] => [
  a.id,
  a.severity,
  a.status,
  String(a.count),
  new Date(a.lastSeenMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  a.reasons.length > 1
    ? `${a.title} (+${a.reasons.length - 1} more rule${a.reasons.length > 2 ? 's' : ''})`
    : a.title,
  `${a.entity.type}:${a.entity.display ?? a.entity.id}`,
];
