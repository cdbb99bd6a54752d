import type { Kysely } from 'kysely';
import { AlertIntake } from '../alerts/alert-intake.js';
import { AlertRouter } from '../alerts/alert-router.js';
import { AlertStore } from '../alerts/alert-store.js';
import type { AlertsConfig } from '../alerts/alerts-config.js';
import { buildSink, type SinkRuntime } from '../alerts/sinks/sink-config.js';
import { isVigilError, VigilError } from '../core/vigil-error.js';
import type { VigilDatabase } from '../store/database-schema.js';

/**
 * The `alerts:` section of vigil.yaml (parsed with the rest of the file) plus the store becomes one
 * `AlertIntake`. Sink secrets are resolved here, once, so a missing secret fails at start-up, naming
 * the sink, rather than at the first alert.
 */
export function openAlertDelivery(
  config: AlertsConfig,
  db: Kysely<VigilDatabase>,
  runtime: SinkRuntime,
): { intake: AlertIntake; store: AlertStore } {
  const routes = config.sinks.map((entry, i) => {
    try {
      return buildSink(entry, runtime);
    } catch (error) {
      if (!isVigilError(error)) throw error;
      const label = [entry.type, entry.name ? JSON.stringify(entry.name) : ''].filter(Boolean).join(' ');
      throw new VigilError(error.code, `vigil.yaml: alerts.sinks.${i} (${label}): ${error.message}`, {
        category: error.category,
        details: { ...error.details, sink: i },
        cause: error,
      });
    }
  });
  const store = new AlertStore(db, {
    clock: runtime.clock,
    dedupWindowMs: config.dedupWindowMinutes * 60_000,
  });
  return { intake: new AlertIntake(store, new AlertRouter(routes)), store };
}
