import type { DeliveryNotice } from './alert-dispatcher.js';

/** What a collect run did with alerts: its summary line and the `alerts` object of `--json`. */
export interface AlertRunSummary {
  /** New alerts stored in this run. */
  readonly raised: number;
  /** Of those, held back from the sinks (about events older than the hold-back age). */
  readonly heldBack: number;
  /** Deliveries that reached their sink in this run. */
  readonly delivered: number;
  /** Failed delivery attempts in this run (each is logged with the sink and the reason). */
  readonly failedAttempts: number;
  /** Deliveries given up in this run: past their deadline. */
  readonly expired: number;
  /** Deliveries still waiting in the outbox, from this run or earlier ones. */
  readonly pending: number;
}

/** Whether anything raised is not (yet) where it was meant to go: `collect --once` then exits 1. */
export const hasUndelivered = (s: AlertRunSummary): boolean => s.pending > 0 || s.expired > 0;

export const formatAlertRunSummary = (s: AlertRunSummary): string =>
  `alerts: ${s.raised} raised (${s.heldBack} held back as older than the hold-back age, not pushed), ` +
  `${s.delivered} delivered, ${s.failedAttempts} failed attempts, ${s.expired} expired, ${s.pending} undelivered\n`;

/** The log line for a failed or expired delivery, naming the sink and the reason; none for success. */
export function deliveryNoticeLine(notice: DeliveryNotice, iso: (ms: number) => string): string | undefined {
  const { delivery } = notice;
  if (notice.kind === 'failed')
    return notice.delivery.state === 'expired'
      ? undefined // the expiry line follows
      : `alert ${delivery.alertId} to sink ${delivery.sink} failed (attempt ${delivery.attempts}): ${notice.reason}; next attempt at ${iso(delivery.nextAttemptMs)}`;
  if (notice.kind === 'expired')
    return `alert ${delivery.alertId} to sink ${delivery.sink} expired undelivered after ${delivery.attempts} attempts${delivery.lastError ? `: ${delivery.lastError}` : ''}`;
  return undefined;
}
