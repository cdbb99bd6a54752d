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
