import type { Finding } from './verification-report.js';

/** An alert as stored: its id, its current status, the source it came from. */
export interface StoredAlertStatus {
  readonly id: string;
  readonly status: string;
  readonly source: string | null;
}

/** One recorded status change of an alert. */
export interface StoredAlertTransition {
  readonly alertId: string;
  readonly seq: number;
  readonly from: string;
  readonly to: string;
}

/** The alert lifecycle (src/alerts/alert-status.ts), given by the caller: verify knows no alerts module. */
export interface AlertLifecycle {
  /** The status every alert is created with. */
  readonly initial: string;
  canTransition(from: string, to: string): boolean;
}

/**
 * Alerts are a record of what was seen and who acted: an alert's status must be what its recorded
 * transitions lead to, from the status it was created with, one allowed step at a time, numbered
 * without gaps; and no transition may outlive its alert. A status edited in place (an alert
 * "resolved" with no one resolving it), transitions deleted or rewritten, or an alert row deleted
 * while its history stays, each fails naming the alert. (An alert deleted with its whole history
 * leaves nothing to compare: only ledgering alerts would show that.)
 */
export function checkAlertHistory(
  alerts: readonly StoredAlertStatus[],
  transitions: readonly StoredAlertTransition[],
  lifecycle: AlertLifecycle,
): Finding[] {
  const findings: Finding[] = [];
  const byAlert = new Map<string, StoredAlertTransition[]>();
  for (const t of transitions) byAlert.set(t.alertId, [...(byAlert.get(t.alertId) ?? []), t]);
  const add = (alertSource: string | null, message: string) =>
    findings.push({ code: 'ALERT_HISTORY_INCONSISTENT', source: alertSource ?? 'alerts', message });
  for (const alert of alerts) {
    const steps = (byAlert.get(alert.id) ?? []).sort((a, b) => a.seq - b.seq);
    byAlert.delete(alert.id);
    let status = lifecycle.initial;
    let broken = false;
    steps.forEach((step, i) => {
      if (broken) return;
      const why =
        step.seq !== i + 1
          ? `transition ${i + 1} is numbered ${step.seq} (one is missing)`
          : step.from !== status
            ? `transition ${step.seq} starts from ${step.from}, but the alert was ${status}`
            : !lifecycle.canTransition(step.from, step.to)
              ? `transition ${step.seq} from ${step.from} to ${step.to} is not allowed`
              : undefined;
      if (why === undefined) status = step.to;
      else {
        broken = true;
        add(alert.source, `alert ${alert.id}: ${why}`);
      }
    });
    if (!broken && status !== alert.status)
      add(
        alert.source,
        `alert ${alert.id} is ${alert.status}, but its recorded transitions leave it ${status}: its status was changed without a transition`,
      );
  }
  for (const [alertId] of byAlert)
    add(null, `alert ${alertId} has recorded transitions but no longer exists: it was deleted`);
  return findings;
}
