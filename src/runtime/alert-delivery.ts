import path from 'node:path';
import type { Kysely } from 'kysely';
import { AlertDispatcher, type DeliveryNotice } from '../alerts/alert-dispatcher.js';
import { AlertIntake } from '../alerts/alert-intake.js';
import type { AlertLedger } from '../alerts/alert-ledger.js';
import { AlertOutbox } from '../alerts/alert-outbox.js';
import { AlertRouter, type AlertRoute, type DeliveryResult } from '../alerts/alert-router.js';
import { AlertStore } from '../alerts/alert-store.js';
import { deliveryPolicyOf, sinkLabel, type AlertsConfig } from '../alerts/alerts-config.js';
import type { AlertErrorCode } from '../alerts/errors.js';
import { sampleAlert } from '../alerts/sample-alert.js';
import { buildSink, type SinkRuntime } from '../alerts/sinks/sink-config.js';
import type { Clock } from '../core/clock.js';
import { createRandom } from '../core/seeded-random.js';
import { isVigilError, VigilError } from '../core/vigil-error.js';
import { CONFIG_FILE, loadConfig } from '../config/vigil-config.js';
import type { VigilDatabase } from '../store/database-schema.js';

/** What sinks need from outside: the environment and data directory for secrets, clock, randomness. */
export const sinkRuntime = (options: {
  readonly env: NodeJS.ProcessEnv;
  readonly dataDir: string;
  readonly clock: Clock;
}): SinkRuntime => ({
  env: options.env,
  baseDir: options.dataDir,
  clock: options.clock,
  random: createRandom(`alerts:${options.clock.now()}`),
});

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
  /** A writer's: alerts and their changes ledgered (alerts/alert-ledger.ts). */
  ledger?: AlertLedger,
): AlertDelivery {
  const { clock } = runtime;
  const policy = deliveryPolicyOf(config);
  const store = new AlertStore(db, {
    clock,
    dedupWindowMs: config.dedupWindowMinutes * 60_000,
    ...(ledger ? { ledger } : {}),
  });
  const outbox = new AlertOutbox(db, { clock, policy });
  const router = new AlertRouter(routes);
  return {
    intake: new AlertIntake(store, router, outbox, { clock, policy }),
    store,
    outbox,
    dispatcher: new AlertDispatcher(store, router, outbox, notify),
  };
}

/**
 * `vigil alerts test`: a sample alert sent now to each configured sink (or the one named), whatever
 * its minimum severity; nothing is stored. Sinks are built as collect builds them, secrets and all,
 * so a sink that passes here is one collect can reach.
 */
export async function testAlertSinks(
  options: { readonly env: NodeJS.ProcessEnv; readonly dataDir: string; readonly clock: Clock },
  only?: string,
): Promise<DeliveryResult[]> {
  // Only vigil.yaml is read: no store, no key, nothing created.
  const runtime = sinkRuntime(options);
  const routes = buildAlertRoutes(loadConfig(options.dataDir).alerts, runtime);
  if (routes.length === 0)
    throw new VigilError<AlertErrorCode>(
      'ALERT_NO_SINKS',
      `no alert sinks in ${path.join(options.dataDir, CONFIG_FILE)} (alerts.sinks); nothing to test`,
      { category: 'input' },
    );
  const chosen = only === undefined ? routes : routes.filter((r) => r.sink.name === only);
  if (only !== undefined && chosen.length === 0)
    throw new VigilError<AlertErrorCode>(
      'ALERT_UNKNOWN_SINK',
      `no alert sink is called ${JSON.stringify(only)}; configured: ${routes.map((r) => r.sink.name).join(', ') || 'none'}`,
      { category: 'input', details: { sink: only } },
    );
  return new AlertRouter(chosen).sendToEach(sampleAlert(runtime.clock.now()));
}
