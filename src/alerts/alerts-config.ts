import { z } from 'zod';
import { DEFAULT_DEDUP_WINDOW_MS } from './alert-store.js';

/**
 * The `alerts:` section of vigil.yaml. Sink entries stay `unknown` here and are validated one by one
 * with `parseSinkConfig` (src/alerts/sinks/sink-config.ts), so an error names the entry at fault.
 */
export const alertsConfigSchema = z
  .object({
    dedupWindowMinutes: z
      .number()
      .positive()
      .max(7 * 24 * 60)
      .default(DEFAULT_DEDUP_WINDOW_MS / 60_000),
    sinks: z.array(z.unknown()).default([]),
  })
  .strict()
  .default({});

export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
