import type { Severity } from '../detect/severity.js';
import type { Alert } from './alert.js';

/**
 * The public JSON shape of an alert, shared by `vigil alerts --json` and the webhook body: `rule`
 * (id and title), `severity` and `events` as issue 5 names them for `vigil detect --json`, times in
 * ISO 8601. External scripts rely on it (docs/design.md "Contracts").
 */
export interface AlertView {
  readonly id: string;
  readonly rule: { readonly id: string; readonly title: string };
  readonly severity: Severity;
  readonly status: string;
  readonly entity: Alert['entity'];
  readonly description: string;
  readonly events: readonly string[];
  readonly count: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly dedupKey: string;
  readonly source?: string;
  readonly transitions: readonly { from: string; to: string; by: string; at: string; note?: string }[];
  /** Every rule that fired into this alert (one story, several rules), the one that opened it first. */
  readonly reasons: readonly {
    readonly rule: { readonly id: string; readonly title: string };
    readonly severity: Severity;
    readonly description: string;
  }[];
  /** Raised by a first backfill about events older than the hold-back age: stored, not pushed. */
  readonly heldBack: boolean;
}

export function alertView(alert: Alert): AlertView {
  return {
    id: alert.id,
    rule: { id: alert.ruleId, title: alert.title },
    severity: alert.severity,
    status: alert.status,
    entity: alert.entity,
    description: alert.description,
    events: alert.eventIds,
    count: alert.count,
    firstSeen: new Date(alert.firstSeenMs).toISOString(),
    lastSeen: new Date(alert.lastSeenMs).toISOString(),
    dedupKey: alert.dedupKey,
    ...(alert.source === undefined ? {} : { source: alert.source }),
    transitions: alert.transitions.map((t) => ({
      from: t.from,
      to: t.to,
      by: t.by,
      at: new Date(t.atMs).toISOString(),
      ...(t.note === undefined ? {} : { note: t.note }),
    })),
    reasons: alert.reasons.map((r) => ({
      rule: { id: r.ruleId, title: r.title },
      severity: r.severity,
      description: r.description,
    })),
    heldBack: alert.heldBack,
  };
}
