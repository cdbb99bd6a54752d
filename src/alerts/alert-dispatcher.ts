import type { AlertOutbox, Delivery } from './alert-outbox.js';
import { failureOf, type AlertRouter } from './alert-router.js';
import type { AlertStore } from './alert-store.js';

/** What one delivery pass did to one row, for the log: a failure names the sink and the reason. */
export type DeliveryNotice =
  | { readonly kind: 'delivered'; readonly delivery: Delivery }
  | { readonly kind: 'failed'; readonly delivery: Delivery; readonly reason: string }
  | { readonly kind: 'expired'; readonly delivery: Delivery };

export interface DeliveryTotals {
  delivered: number;
  /** Failed attempts (a delivery retried three times and failing counts three). */
  failed: number;
  expired: number;
}

const BATCH = 500;

/**
 * Works the outbox: expires what is past its deadline, then sends every due delivery through its
 * sink and records the outcome (alert-outbox.ts). Once a sink fails in a pass, its other due
 * deliveries wait for the next pass instead of each waiting out the same outage.
 */
export class AlertDispatcher {
  readonly totals: DeliveryTotals = { delivered: 0, failed: 0, expired: 0 };

  constructor(
    private readonly store: AlertStore,
    private readonly router: AlertRouter,
    private readonly outbox: AlertOutbox,
    private readonly notify: (notice: DeliveryNotice) => void = () => undefined,
  ) {}

  async deliverDue(): Promise<void> {
    for (const delivery of await this.outbox.expireOverdue()) {
      this.totals.expired++;
      this.notify({ kind: 'expired', delivery });
    }
    const down = new Set<string>();
    for (;;) {
      const due = (await this.outbox.due(BATCH)).filter((d) => !down.has(d.sink));
      if (due.length === 0) return;
      for (const delivery of due) {
        if (down.has(delivery.sink)) continue;
        const reason = await this.#send(delivery);
        if (reason === undefined) {
          await this.outbox.delivered(delivery);
          this.totals.delivered++;
          this.notify({ kind: 'delivered', delivery });
          continue;
        }
        down.add(delivery.sink);
        const after = await this.outbox.failed(delivery, reason);
        this.totals.failed++;
        this.notify({ kind: 'failed', delivery: after, reason });
        if (after.state === 'expired') {
          this.totals.expired++;
          this.notify({ kind: 'expired', delivery: after });
        }
      }
    }
  }

  /** Deliveries still waiting in the outbox. */
  pending(): Promise<number> {
    return this.outbox.pendingCount();
  }

  /** Undefined when the sink has the alert, else why not. */
  async #send(delivery: Delivery): Promise<string | undefined> {
    const sink = this.router.sink(delivery.sink);
    if (!sink) return `sink ${delivery.sink} is not configured any more`;
    const alert = await this.store.get(delivery.alertId);
    if (!alert) return `alert ${delivery.alertId} is not in the store`;
    try {
      await sink.send(alert);
      return undefined;
    } catch (error) {
      const failure = failureOf(sink.name, error);
      return failure.code ? `${failure.message} [${failure.code}]` : (failure.message ?? 'failed');
    }
  }
}
