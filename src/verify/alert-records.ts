import { canonicalize } from '../ledger/jcs.js';

/**
 * What the alert tables are checked against (issue 19): every alert raised, every rise in its
 * severity and every recorded transition is ledgered as a record of kind `alerts` in the log
 * `<source>/alerts` (`vigil/alerts` for an alert of no source), in the transaction that changes the
 * tables. The alert store writes them (alerts/alert-ledger.ts); `vigil verify` reads them back here
 * and compares (alert-ledger-check.ts). A record carries ids, statuses and who acted, never the
 * alert's entity or description: the tables keep those.
 *
 * Record ids, unique in their log: `<alertId>:raised`, `<alertId>:severity:<severity>` (severity
 * only rises, so each is written once), `<alertId>:transition:<seq>`.
 */
export type AlertRecord =
  | {
      readonly type: 'raised';
      readonly alertId: string;
      readonly ruleId: string;
      readonly severity: string;
      /** The status the alert was created with. */
      readonly status: string;
    }
  | { readonly type: 'severity'; readonly alertId: string; readonly severity: string }
  | {
      readonly type: 'transition';
      readonly alertId: string;
      readonly seq: number;
      readonly from: string;
      readonly to: string;
      readonly by: string;
      readonly atMs: number;
      readonly note: string | null;
    };

/** The source name of Vigil's own logs (audit/audit-log.ts): alerts of no source go to `vigil/alerts`. */
export const NO_SOURCE = 'vigil';

export function alertRecordId(record: AlertRecord): string {
  switch (record.type) {
    case 'raised':
      return `${record.alertId}:raised`;
    case 'severity':
      return `${record.alertId}:severity:${record.severity}`;
    case 'transition':
      return `${record.alertId}:transition:${record.seq}`;
  }
}

/** The record's exact stored bytes: canonical JSON with a version. */
export function encodeAlertRecord(record: AlertRecord): string {
  return canonicalize({ v: 1, ...record });
}

const isString = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** The record in `body`, or undefined when the bytes are not one (verify names that record). */
export function decodeAlertRecord(body: string): AlertRecord | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const r = parsed as Record<string, unknown>;
  if (r['v'] !== 1 || !isString(r['alertId'])) return undefined;
  const alertId = r['alertId'];
  let record: AlertRecord | undefined;
  if (r['type'] === 'raised' && isString(r['ruleId']) && isString(r['severity']) && isString(r['status']))
    record = { type: 'raised', alertId, ruleId: r['ruleId'], severity: r['severity'], status: r['status'] };
  else if (r['type'] === 'severity' && isString(r['severity']))
    record = { type: 'severity', alertId, severity: r['severity'] };
  else if (
    r['type'] === 'transition' &&
    Number.isSafeInteger(r['seq']) &&
    isString(r['from']) &&
    isString(r['to']) &&
    isString(r['by']) &&
    Number.isSafeInteger(r['atMs']) &&
    (r['note'] === null || typeof r['note'] === 'string')
  )
    record = {
      type: 'transition',
      alertId,
      seq: r['seq'] as number,
      from: r['from'],
      to: r['to'],
      by: r['by'],
      atMs: r['atMs'] as number,
      note: r['note'] as string | null,
    };
  // Only the exact bytes this module writes: nothing else may hide in a record.
  return record && encodeAlertRecord(record) === body ? record : undefined;
}
