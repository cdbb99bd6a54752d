import type { AlertStore } from '../alerts/alert-store.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../core/clock.js';
import type { PiiTokenizer } from '../privacy/pii-tokenizer.js';
import type { Runtime } from '../runtime/runtime.js';
import type { CollectionHealth } from './collection-health.js';
import type { ConsoleMetrics } from './metrics.js';

/** What every console route works with, opened once from the runtime when the app is built. */
export interface ConsoleServices {
  readonly runtime: Runtime;
  readonly clock: Clock;
  /** Personal data as tokens: every API answer and page passes through it (app.ts). */
  readonly tokenizer: PiiTokenizer;
  readonly audit: AuditLog;
  readonly alerts: AlertStore;
  readonly metrics: ConsoleMetrics;
  readonly health: CollectionHealth;
}
