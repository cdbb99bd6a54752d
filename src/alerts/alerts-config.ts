import { z } from 'zod';
import { DEFAULT_DEDUP_WINDOW_MS } from './alert-store.js';
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
  })
  .strict()
  .default({});

export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
