import type { Severity } from '../../detect/severity.js';
import type { Alert } from '../alert.js';
import { cefPayload } from './cef-payload.js';

/** RFC 5424 §6.2.1 severities: 2 critical, 3 error, 4 warning, 5 notice, 6 informational. */
const SYSLOG_SEVERITY: Record<Severity, number> = {
  critical: 2,
  high: 3,
  medium: 4,
  low: 5,
  informational: 6,
};

/** RFC 5424 §6.2.1 table 1, by keyword; numbers 0–23 are accepted too. */
export const SYSLOG_FACILITIES: Readonly<Record<string, number>> = {
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  cron: 9,
  authpriv: 10,
  ftp: 11,
  ntp: 12,
  audit: 13,
  alert: 14,
  clock: 15,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
};

/** PRI = facility × 8 + severity (RFC 5424 §6.2.1). */
export const syslogPri = (facility: number, severity: Severity): number =>
  facility * 8 + SYSLOG_SEVERITY[severity];

/** SD-ID with a private enterprise number; 32473 is the one RFC 5612 reserves for documentation. */
export const DEFAULT_SD_ID = 'vigil@32473';

/** RFC 5424 §6.3.3: inside PARAM-VALUE, `"`, `\` and `]` must be escaped with a backslash. */
export const escapeSdValue = (value: string): string => value.replace(/([\\"\]])/g, '\\$1');

/** RFC 5424 §6.2: header fields are PRINTUSASCII without spaces, limited in length; "-" when absent. */
const headerField = (value: string | undefined, max: number): string => {
  const clean = (value ?? '').replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return clean === '' ? '-' : clean;
};

export interface SyslogFormat {
  readonly facility: number;
  readonly hostname: string;
  readonly appName: string;
  readonly procId?: string;
  readonly sdId?: string;
  /** Put a CEF record in MSG instead of the plain headline. */
  readonly cef?: boolean;
  readonly productVersion?: string;
}

/** One RFC 5424 SYSLOG-MSG for an alert, timestamped with the alert's last-seen time. */
export function syslogMessage(alert: Alert, format: SyslogFormat): string {
  const pri = syslogPri(format.facility, alert.severity);
  const header = [
    `<${pri}>1`,
    new Date(alert.lastSeenMs).toISOString(),
    headerField(format.hostname, 255),
    headerField(format.appName, 48),
    headerField(format.procId, 128),
    headerField(alert.ruleId, 32),
  ].join(' ');
  const params: [string, string][] = [
    ['alertId', alert.id],
    ['ruleId', alert.ruleId],
    ['severity', alert.severity],
    ['status', alert.status],
    ['count', String(alert.count)],
    ['entityType', alert.entity.type],
    ['entityId', alert.entity.id],
    ['events', alert.eventIds.join(',')],
  ];
  const sd = `[${format.sdId ?? DEFAULT_SD_ID} ${params.map(([k, v]) => `${k}="${escapeSdValue(v)}"`).join(' ')}]`;
  const msg = format.cef
    ? cefPayload(alert, format.productVersion ?? '0.1.0')
    : `${alert.title}: ${alert.description}`.replace(/\r?\n/g, ' ');
  // RFC 5424 §6.4: a UTF-8 MSG starts with the BOM. CEF consumers expect "CEF:" first, so no BOM there.
  return `${header} ${sd} ${format.cef ? '' : '\uFEFF'}${msg}`;
}
