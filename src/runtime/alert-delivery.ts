import type { Kysely } from 'kysely';
import { AlertIntake } from '../alerts/alert-intake.js';
import { AlertRouter, type AlertRoute } from '../alerts/alert-router.js';
import { AlertStore } from '../alerts/alert-store.js';
import { sinkLabel, type AlertsConfig } from '../alerts/alerts-config.js';
import { buildSink, type SinkRuntime } from '../alerts/sinks/sink-config.js';
import { isVigilError, VigilError } from '../core/vigil-error.js';
import type { VigilDatabase } from '../store/database-schema.js';

/**
 * The configured sinks, live, with their secrets resolved now: a missing secret fails at start-up,
 * naming the sink, rather than at the first alert.
 */
export function buildAlertRoutes(config: AlertsConfig, runtime: SinkRuntime): AlertRoute[] {
  return config.sinks.map((entry, i) => {
    try {
      return buildSink(entry, runtime);
    } catch (error) {
      if (!isVigilError(error)) throw error;
      throw new VigilError(error.code, `vigil.yaml: ${sinkLabel(i, entry)}: ${error.message}`, {
        category: error.category,
        details: { ...error.details, sink: i },
        cause: error,
      });
    }
  });
}

/** The `alerts:` section of vigil.yaml (parsed with the rest of the file) plus the store: one `AlertIntake`. */
export function openAlertDelivery(
  config: AlertsConfig,
  db: Kysely<VigilDatabase>,
  runtime: SinkRuntime,
  routes: readonly AlertRoute[] = buildAlertRoutes(config, runtime),
): { intake: AlertIntake; store: AlertStore } {
  const store = new AlertStore(db, {
    clock: runtime.clock,
    dedupWindowMs: config.dedupWindowMinutes * 60_000,
  });
  return { intake: new AlertIntake(store, new AlertRouter(routes)), store };
}
