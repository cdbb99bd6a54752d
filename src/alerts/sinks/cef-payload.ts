import type { Severity } from '../../detect/severity.js';
import type { Alert } from '../alert.js';

/**
 * ArcSight CEF ("Implementing ArcSight CEF", rev. 25): header fields escape `\` and `|`;
 * extension values escape `\` and `=` and write line breaks as `\n` / `\r`.
 */
export const escapeCefHeader = (value: string): string =>
  value
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n|\r/g, ' ');

export const escapeCefExtension = (value: string): string =>
  value.replace(/\\/g, '\\\\').replace(/=/g, '\\=').replace(/\r/g, '\\r').replace(/\n/g, '\\n');

/** CEF severity is 0–10; these sit in the spec's Low/Medium/High/Very-High bands. */
const CEF_SEVERITY: Record<Severity, number> = { informational: 1, low: 3, medium: 5, high: 8, critical: 10 };

export function cefPayload(alert: Alert, productVersion: string): string {
  const header = [
    'CEF:0',
    'Vigil',
    'Vigil',
    productVersion,
    alert.ruleId,
    alert.title,
    String(CEF_SEVERITY[alert.severity]),
  ].map((field, i) => (i === 0 ? field : escapeCefHeader(field)));
  // Standard CEF dictionary keys where one fits; cs1..cs3 carry the rest with their labels.
  const extension: [string, string][] = [
    ['rt', String(alert.lastSeenMs)],
    ['externalId', alert.id],
    ['cnt', String(alert.count)],
    ['suser', alert.entity.display ?? alert.entity.id],
    ['msg', alert.description],
    ['cs1Label', 'entityType'],
    ['cs1', alert.entity.type],
    ['cs2Label', 'eventIds'],
    ['cs2', alert.eventIds.join(',')],
    ['cs3Label', 'status'],
    ['cs3', alert.status],
  ];
  return `${header.join('|')}|${extension.map(([k, v]) => `${k}=${escapeCefExtension(v)}`).join(' ')}`;
}
