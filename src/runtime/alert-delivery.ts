import type { Kysely } from 'kysely';
import { AlertDispatcher, type DeliveryNotice } from '../alerts/alert-dispatcher.js';
import { AlertIntake } from '../alerts/alert-intake.js';
import { AlertOutbox } from '../alerts/alert-outbox.js';
import { AlertRouter, type AlertRoute } from '../alerts/alert-router.js';
import { AlertStore } from '../alerts/alert-store.js';
import { deliveryPolicyOf, sinkLabel, type AlertsConfig } from '../alerts/alerts-config.js';
import type { AlertErrorCode } from '../alerts/errors.js';
import { buildSink, type SinkRuntime } from '../alerts/sinks/sink-config.js';
import { isVigilError, VigilError } from '../core/vigil-error.js';
import type { VigilDatabase } from '../store/database-schema.js';

/**
 * The configured sinks, live, with their secrets resolved now: a missing secret fails at start-up,
 * naming the sink, rather than at the first alert. Sink names must differ: the outbox keys its
 * rows by them.
 */
export function buildAlertRoutes(config: AlertsConfig, runtime: SinkRuntime): AlertRoute[] {
  const routes = config.sinks.map((entry, i) => {
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
  routes.forEach((route, i) => {
    const first = routes.findIndex((r) => r.sink.name === route.sink.name);
    if (first !== i)
      throw new VigilError<AlertErrorCode>(
        'ALERT_SINK_NAME_TAKEN',
        `vigil.yaml: ${sinkLabel(i, config.sinks[i])}: another sink (alerts.sinks.${first}) is also called ${JSON.stringify(route.sink.name)}; give each sink its own name`,
        { category: 'input', details: { sink: i } },
      );
  });
  return routes;
}

export interface AlertDelivery {
  readonly intake: AlertIntake;
  readonly store: AlertStore;
  readonly outbox: AlertOutbox;
  readonly dispatcher: AlertDispatcher;
}

/**
 * The `alerts:` section of vigil.yaml (parsed with the rest of the file) plus the store: the intake
 * that stores and queues alerts, and the dispatcher that works the outbox.
 */
export function openAlertDelivery(
  config: AlertsConfig,
  db: Kysely<VigilDatabase>,
  runtime: SinkRuntime,
  routes: readonly AlertRoute[] = buildAlertRoutes(config, runtime),
  notify?: (notice: DeliveryNotice) => void,
): AlertDelivery {
  const { clock } = runtime;
  const policy = deliveryPolicyOf(config);
  const store = new AlertStore(db, { clock, dedupWindowMs: config.dedupWindowMinutes * 60_000 });
  const outbox = new AlertOutbox(db, { clock, policy });
  const router = new AlertRouter(routes);
  return {
    intake: new AlertIntake(store, router, outbox, { clock, policy }),
    store,
    outbox,
    dispatcher: new AlertDispatcher(store, router, outbox, notify),
  };
}
