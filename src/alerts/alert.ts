import type { Detection } from '../detect/detection.js';

/** Issue 5 "Alerts": an alert is open until someone acknowledges it, and acknowledged until resolved. */
export type AlertStatus = 'open' | 'acknowledged' | 'resolved';

export const ALERT_STATUSES: readonly AlertStatus[] = ['open', 'acknowledged', 'resolved'];

/** One recorded status change: who moved the alert, when (Clock time), and from where to where. */
export interface AlertTransition {
  readonly from: AlertStatus;
  readonly to: AlertStatus;
  readonly by: string;
  readonly atMs: number;
  readonly note?: string;
}

/**
 * One rule that fired into an alert. Several rules telling the same story (one support reset firing
 * both "reset by Okta support" and "all factors reset") make one alert with one reason each.
 */
export interface AlertReason {
  readonly ruleId: string;
  readonly title: string;
  readonly description: string;
  readonly severity: Detection['severity'];
  readonly dedupKey: string;
}

/**
 * A stored, deduplicated detection. Repeats of the same `dedupKey` inside the dedup window fold
 * into one alert: `count` grows, `lastSeenMs` moves and the event ids are merged.
 */
export interface Alert extends Omit<Detection, 'timeMs'> {
  readonly id: string;
  readonly status: AlertStatus;
  readonly count: number;
  /** Detection time of the first occurrence (the detection's own `timeMs`). */
  readonly firstSeenMs: number;
  /** Detection time of the latest occurrence folded into this alert. */
  readonly lastSeenMs: number;
  /** Clock time the alert row was created. */
  readonly createdMs: number;
  readonly transitions: readonly AlertTransition[];
  /** Every rule that fired into this alert, the one that opened it first (its ruleId, title, ...). */
  readonly reasons: readonly AlertReason[];
  /** About events older than the hold-back age when raised (first backfill): stored, never pushed. */
  readonly heldBack: boolean;
}
