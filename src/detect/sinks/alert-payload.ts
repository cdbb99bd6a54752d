import type { Alert } from '../alerts/alert.js';

/** The JSON document webhook receivers get: a versioned envelope around the alert. */
export interface AlertPayload {
  readonly type: 'vigil.alert';
  readonly version: 1;
  readonly alert: {
    readonly id: string;
    readonly rule: { readonly id: string; readonly title: string };
    readonly severity: string;
    readonly status: string;
    readonly entity: Alert['entity'];
    readonly description: string;
    readonly events: readonly string[];
    readonly count: number;
    readonly firstSeen: string;
    readonly lastSeen: string;
    readonly dedupKey: string;
    readonly source?: string;
  };
}

export function alertPayload(alert: Alert): AlertPayload {
  return {
    type: 'vigil.alert',
    version: 1,
    alert: {
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
    },
  };
}

/** One line a human reads first: severity, title and the entity concerned. */
export function alertHeadline(alert: Alert): string {
  const who = alert.entity.display ?? alert.entity.id;
  return `[${alert.severity.toUpperCase()}] ${alert.title} — ${alert.entity.type} ${who}`;
}
