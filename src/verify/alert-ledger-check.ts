import { alertRecordId, decodeAlertRecord, NO_SOURCE, type AlertRecord } from './alert-records.js';
import type { Finding } from './verification-report.js';

/** One stored record of kind `alerts`, as the store holds it (its bytes are checked against the ledger elsewhere). */
export interface LedgeredAlertRecord {
  /** `<source>/alerts`. */
  readonly log: string;
  readonly leafIndex: number;
  readonly recordId: string;
  readonly body: string;
}

/** An alert row: what must agree with its records. */
export interface StoredAlertRow {
  readonly id: string;
  readonly status: string;
  readonly severity: string;
  readonly source: string | null;
}

/** A transition row. */
export interface StoredTransitionRow {
  readonly alertId: string;
  readonly seq: number;
  readonly from: string;
  readonly to: string;
  readonly by: string;
  readonly atMs: number;
  readonly note: string | null;
}

const alertsLog = (source: string | null) => `${source ?? NO_SOURCE}/alerts`;

interface Ledgered {
  raised?: { record: Extract<AlertRecord, { type: 'raised' }>; log: string; recordId: string };
  /** The newest ledgered severity, in leaf order. */
  severity?: string;
  transitions: Map<number, Extract<AlertRecord, { type: 'transition' }>>;
  log: string;
}

const describe = (t: {
  seq: number;
  from: string;
  to: string;
  by: string;
  atMs: number;
  note: string | null;
}) =>
  `${t.from} → ${t.to} by ${JSON.stringify(t.by)} at ${new Date(t.atMs).toISOString()}${t.note === null ? '' : ` with a note`}`;

const sameTransition = (a: StoredTransitionRow, b: Extract<AlertRecord, { type: 'transition' }>) =>
  a.from === b.from && a.to === b.to && a.by === b.by && a.atMs === b.atMs && a.note === b.note;

/**
 * The alert tables against their ledgered records (issue 19): each alert raised must still be in
 * the table (`ALERT_MISSING`), each alert in the table must have been ledgered when raised
 * (`ALERT_UNLEDGERED`), and its status, severity and transitions must be what its records say
 * (`ALERT_LEDGER_MISMATCH`). Wiping alerts, resolving one with no one resolving it, or rewriting who
 * acknowledged it each fail, naming the alert and the record. Records must be given in leaf order
 * within each log.
 */
export function checkAlertLedger(
  alerts: readonly StoredAlertRow[],
  transitions: readonly StoredTransitionRow[],
  records: readonly LedgeredAlertRecord[],
): Finding[] {
  const findings: Finding[] = [];
  const add = (code: Finding['code'], source: string, message: string, recordId?: string) =>
    findings.push({ code, source, message, ...(recordId === undefined ? {} : { recordId }) });
  const ledgered = new Map<string, Ledgered>();
  for (const r of records) {
    const record = decodeAlertRecord(r.body);
    if (!record || alertRecordId(record) !== r.recordId) {
      add(
        'ALERT_LEDGER_MISMATCH',
        r.log,
        `record ${r.recordId} of ${r.log} is not an alert record (or not under its own id)`,
        r.recordId,
      );
      continue;
    }
    const entry: Ledgered = ledgered.get(record.alertId) ?? { transitions: new Map(), log: r.log };
    ledgered.set(record.alertId, entry);
    if (entry.log !== r.log) {
      add(
        'ALERT_LEDGER_MISMATCH',
        r.log,
        `alert ${record.alertId} has records in both ${entry.log} and ${r.log}`,
        r.recordId,
      );
      continue;
    }
    if (record.type === 'raised') {
      entry.raised = { record, log: r.log, recordId: r.recordId };
      entry.severity ??= record.severity;
    } else if (record.type === 'severity') entry.severity = record.severity;
    else entry.transitions.set(record.seq, record);
  }

  const byAlert = new Map<string, StoredTransitionRow[]>();
  for (const t of transitions) byAlert.set(t.alertId, [...(byAlert.get(t.alertId) ?? []), t]);

  for (const alert of alerts) {
    const log = alertsLog(alert.source);
    const entry = ledgered.get(alert.id);
    ledgered.delete(alert.id);
    if (!entry?.raised) {
      add(
        'ALERT_UNLEDGERED',
        log,
        `alert ${alert.id} is in the alert table but was never ledgered in ${log}: it was added behind Vigil's back (or the store was last written by a Vigil that did not ledger alerts: run vigil collect --once)`,
      );
      continue;
    }
    const { raised } = entry;
    if (raised.log !== log) {
      add(
        'ALERT_LEDGER_MISMATCH',
        log,
        `alert ${alert.id} names source ${alert.source ?? '(none)'}, but it was ledgered in ${raised.log}: its source was changed`,
        raised.recordId,
      );
      continue;
    }
    if (entry.severity !== alert.severity)
      add(
        'ALERT_LEDGER_MISMATCH',
        log,
        `alert ${alert.id} is ${alert.severity}, but its records make it ${entry.severity ?? '?'}: its severity was changed in place`,
        raised.recordId,
      );
    const rows = new Map((byAlert.get(alert.id) ?? []).map((t) => [t.seq, t]));
    byAlert.delete(alert.id);
    const seqs = [...new Set([...rows.keys(), ...entry.transitions.keys()])].sort((a, b) => a - b);
    for (const seq of seqs) {
      const row = rows.get(seq);
      const rec = entry.transitions.get(seq);
      const id = alertRecordId({
        type: 'transition',
        alertId: alert.id,
        seq,
        from: '',
        to: '',
        by: '',
        atMs: 0,
        note: null,
      });
      if (!rec)
        add(
          'ALERT_LEDGER_MISMATCH',
          log,
          `alert ${alert.id}: transition ${seq} (${describe(row!)}) is in the table but was never ledgered: it was added behind Vigil's back`,
        );
      else if (!row)
        add(
          'ALERT_LEDGER_MISMATCH',
          log,
          `alert ${alert.id}: transition ${seq} (${describe(rec)}) is ledgered but no longer in the table: it was deleted`,
          id,
        );
      else if (!sameTransition(row, rec))
        add(
          'ALERT_LEDGER_MISMATCH',
          log,
          `alert ${alert.id}: transition ${seq} reads ${describe(row)}, but its record says ${describe(rec)}: it was rewritten`,
          id,
        );
    }
    let status = raised.record.status;
    for (const seq of [...entry.transitions.keys()].sort((a, b) => a - b))
      status = entry.transitions.get(seq)!.to;
    if (status !== alert.status)
      add(
        'ALERT_LEDGER_MISMATCH',
        log,
        `alert ${alert.id} is ${alert.status}, but its ledgered transitions leave it ${status}: its status was changed without a transition record`,
        raised.recordId,
      );
  }
  for (const [alertId, entry] of ledgered) {
    if (entry.raised)
      add(
        'ALERT_MISSING',
        entry.log,
        `alert ${alertId} was raised (record ${entry.raised.recordId} of ${entry.log}) but is no longer in the alert table: it was deleted`,
        entry.raised.recordId,
      );
    else
      add(
        'ALERT_LEDGER_MISMATCH',
        entry.log,
        `${entry.log} holds records of alert ${alertId} but not its raising`,
      );
  }
  return findings;
}
