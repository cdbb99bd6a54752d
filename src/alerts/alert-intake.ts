import type { Detection } from '../detect/detection.js';
import type { Alert } from './alert.js';
import type { AlertRouter, DeliveryResult } from './alert-router.js';
import type { AlertStore } from './alert-store.js';

export interface IntakeResult {
  readonly alert: Alert;
  readonly isNew: boolean;
  /** One entry per sink the alert went to; empty for repeats folded into an existing alert. */
  readonly deliveries: readonly DeliveryResult[];
}

/**
 * Where detections become alerts: store (with dedup), then route only NEW alerts to the sinks, so a
 * burst of repeats pages people once. `vigil collect` calls `ingest` for every detection.
 */
export class AlertIntake {
  readonly #store: AlertStore;
  readonly #router: AlertRouter;

  constructor(store: AlertStore, router: AlertRouter) {
    this.#store = store;
    this.#router = router;
  }

  async ingest(detection: Detection): Promise<IntakeResult> {
    const { alert, isNew } = await this.#store.record(detection);
    const deliveries = isNew ? await this.#router.route(alert) : [];
    return { alert, isNew, deliveries };
  }
}
