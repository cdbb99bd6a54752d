import type { Clock } from '../core/clock.js';
import type { Detection } from '../detect/detection.js';
import type { Alert } from './alert.js';
import type { AlertOutbox } from './alert-outbox.js';
import type { AlertRouter } from './alert-router.js';
import type { AlertStore } from './alert-store.js';
import { isHeldBack, type DeliveryPolicy } from './delivery-policy.js';

export interface IntakeResult {
  readonly alert: Alert;
  readonly isNew: boolean;
  /** The sinks the alert was queued for: a NEW one, or one made more severe; else empty. */
  readonly queued: readonly string[];
  /** A new alert about events too old to push (first backfill): stored, not queued. */
  readonly heldBack: boolean;
}

/**
 * Where detections become alerts: stored (grouped and deduplicated), and each NEW alert queued in the
 * outbox for the sinks that want it, in the same transaction, so a burst of repeats pages people
 * once and a crash never loses a queued alert. Delivery is the dispatcher's (alert-dispatcher.ts).
 */
export class AlertIntake {
  constructor(
    private readonly store: AlertStore,
    private readonly router: AlertRouter,
    private readonly outbox: AlertOutbox,
    private readonly options: { clock: Clock; policy: DeliveryPolicy },
  ) {}

  async ingest(detection: Detection): Promise<IntakeResult> {
    const heldBack = isHeldBack(this.options.policy, detection.timeMs, this.options.clock.now());
    let queued: string[] = [];
    const { alert, isNew } = await this.store.record(detection, {
      heldBack,
      onNew: async (db, created) => {
        if (created.heldBack) return;
        queued = this.router.sinksFor(created.severity).map((s) => s.name);
        await this.outbox.enqueue(db, created.id, queued);
      },
      // One story fires once, unless it gets worse: then it goes out again, at its new severity.
      onEscalated: async (db, escalated) => {
        if (escalated.heldBack || heldBack) return;
        queued = this.router.sinksFor(escalated.severity).map((s) => s.name);
        await this.outbox.enqueue(db, escalated.id, queued);
      },
    });
    return { alert, isNew, queued, heldBack: isNew && heldBack };
  }
}
