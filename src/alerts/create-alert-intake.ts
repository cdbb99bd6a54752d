import type { Kysely } from 'kysely';
import { buildSink, parseSinkConfig, type SinkRuntime } from './sinks/sink-config.js';
import { AlertIntake } from './alert-intake.js';
import { AlertRouter } from './alert-router.js';
import { AlertStore } from './alert-store.js';
import type { AlertDatabase } from './alert-tables.js';
import { alertsConfigSchema } from './alerts-config.js';

/**
 * Composition for `vigil collect` and `vigil demo`: the `alerts:` section of vigil.yaml (raw, as
 * parsed YAML) plus a database with the alert tables becomes one `AlertIntake`. Sink secrets are
 * resolved here, once, so a missing secret fails at start-up rather than at the first alert.
 */
export function createAlertIntake(
  alertsSection: unknown,
  db: Kysely<AlertDatabase>,
  runtime: SinkRuntime,
): { intake: AlertIntake; store: AlertStore; router: AlertRouter } {
  const config = alertsConfigSchema.parse(alertsSection ?? {});
  const routes = config.sinks.map((entry) => buildSink(parseSinkConfig(entry), runtime));
  const store = new AlertStore(db, {
    clock: runtime.clock,
    dedupWindowMs: config.dedupWindowMinutes * 60_000,
  });
  const router = new AlertRouter(routes);
  return { intake: new AlertIntake(store, router), store, router };
}
