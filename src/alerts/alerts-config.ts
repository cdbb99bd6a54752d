import { z } from 'zod';
import { DEFAULT_DEDUP_WINDOW_MS } from './alert-store.js';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from './delivery-policy.js';
import { sinkConfigSchema } from './sinks/sink-config.js';

/**
 * The `alerts:` section of vigil.yaml, parsed whole with the rest of the file (config/vigil-config.ts
 * names the sink at fault). Secrets stay references here; they are resolved when delivery starts.
 */
export const alertsConfigSchema = z
  .object({
    dedupWindowMinutes: z
      .number()
      .positive()
      .max(7 * 24 * 60)
      .default(DEFAULT_DEDUP_WINDOW_MS / 60_000),
    sinks: z.array(sinkConfigSchema).default([]),
    /** The outbox (issue 14): retries, expiry, and what a first backfill holds back. */
    delivery: z
      .object({
        expireAfterHours: z
          .number()
          .positive()
          .max(30 * 24)
          .default(DEFAULT_DELIVERY_POLICY.expireAfterMs / 3_600_000),
        retryBaseSeconds: z
          .number()
          .positive()
          .max(86_400) // a day; timers past 2^31-1 ms fire at once
          .default(DEFAULT_DELIVERY_POLICY.retryBaseMs / 1000),
        retryMaxSeconds: z
          .number()
          .positive()
          .max(86_400) // a day; timers past 2^31-1 ms fire at once
          .default(DEFAULT_DELIVERY_POLICY.retryMaxMs / 1000),
        /** Alerts about events older than this are stored and listed, not pushed; 0 pushes all. */
        holdOlderThanHours: z
          .number()
          .min(0)
          .default(DEFAULT_DELIVERY_POLICY.holdOlderThanMs / 3_600_000),
      })
      .strict()
      .default({}),
  })
  .strict()
  .default({});

export type AlertsConfig = z.infer<typeof alertsConfigSchema>;

/**
 * How messages name a sink entry, by position, type and name (`alerts.sinks.1 (syslog "siem")`),
 * never by a value that could be a secret. `entry` may be the raw YAML, so anything is accepted.
 */
export function sinkLabel(index: number, entry: unknown): string {
  const { type, name } = (entry ?? {}) as { type?: unknown; name?: unknown };
  const what = [
    typeof type === 'string' ? type : 'sink',
    typeof name === 'string' ? JSON.stringify(name) : '',
  ]
    .filter(Boolean)
    .join(' ');
  return `alerts.sinks.${index} (${what})`;
}

/** The `alerts.delivery` section in milliseconds. */
export const deliveryPolicyOf = (config: AlertsConfig): DeliveryPolicy => ({
  expireAfterMs: config.delivery.expireAfterHours * 3_600_000,
  retryBaseMs: config.delivery.retryBaseSeconds * 1000,
  retryMaxMs: Math.max(config.delivery.retryBaseSeconds, config.delivery.retryMaxSeconds) * 1000,
  holdOlderThanMs: config.delivery.holdOlderThanHours * 3_600_000,
});
