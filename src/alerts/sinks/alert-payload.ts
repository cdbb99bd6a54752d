import type { Alert } from '../alert.js';
import { alertView, type AlertView } from '../alert-view.js';

/** The JSON document webhook receivers get: a versioned envelope around the alert's public view. */
export interface AlertPayload {
  readonly type: 'vigil.alert';
  readonly version: 1;
  readonly alert: AlertView;
}

export const alertPayload = (alert: Alert): AlertPayload => ({
  type: 'vigil.alert',
  version: 1,
  alert: alertView(alert),
});

/** One line a human reads first: severity, title and the entity concerned. */
export function alertHeadline(alert: Alert): string {
  const who = alert.entity.display ?? alert.entity.id;
  return `[${alert.severity.toUpperCase()}] ${alert.title} — ${alert.entity.type} ${who}`;
}

/**
 * The other rules that fired into a grouped alert (one story, several rules), one line each, for
 * the sinks that write text; none when the alert has one reason.
 */
export const otherReasons = (alert: Alert): string[] =>
  alert.reasons
    .filter((r) => r.ruleId !== alert.ruleId)
    .map((r) => `Also: ${r.title} (${r.ruleId}, ${r.severity})`);
