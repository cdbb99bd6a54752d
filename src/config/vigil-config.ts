import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { VigilError } from '../core/vigil-error.js';
import { alertsConfigSchema, sinkLabel } from '../alerts/alerts-config.js';
import { witnessesConfigSchema } from '../witness/witness-config.js';

import type { ConfigErrorCode } from './errors.js';

export const CONFIG_FILE = 'vigil.yaml';

/** A source never holds its secret: only where to read it (docs/design.md "Data directory"). */
const oktaSourceSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes'),
    type: z.literal('okta'),
    url: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//.test(u), 'http(s) URL'),
    tokenEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/)
      .optional(),
    tokenFile: z.string().optional(),
  })
  .strict()
  .refine(
    (s) => (s.tokenEnv === undefined) !== (s.tokenFile === undefined),
    'exactly one of tokenEnv or tokenFile',
  );

export const vigilConfigSchema = z
  .object({
    sources: z.array(oktaSourceSchema).default([]),
    collect: z
      .object({
        /** Share of the provider's rate-limit budget Vigil may use (the bucket is shared with other integrations). */
        rateShare: z.number().gt(0).lte(1).default(0.5),
        pollIntervalSeconds: z.number().int().min(1).default(60),
        requestTimeoutMs: z.number().int().min(100).default(30_000),
        pageLimit: z.number().int().min(1).max(1000).default(1000),
      })
      .strict()
      .default({}),
    /** Detection for `collect`: folders of custom Sigma rules beside the pack, relative to the data directory. */
    detection: z
      .object({ rulesDirs: z.array(z.string().min(1)).default([]) })
      .strict()
      .default({}),
    /** Alert dedup window and sinks (src/alerts); sink secrets are resolved when delivery starts. */
    alerts: alertsConfigSchema,
    /** Witnesses every log's checkpoints go to, with their cosignature keys (src/witness). */
    witnesses: witnessesConfigSchema,
  })
  .strict();

export type VigilConfig = z.infer<typeof vigilConfigSchema>;
export type SourceConfig = VigilConfig['sources'][number];

const invalid = (file: string, why: string) =>
  new VigilError<ConfigErrorCode>('CONFIG_INVALID', `${file}: ${why}`, {
    category: 'input',
    details: { file },
  });

export function loadConfig(dataDir: string): VigilConfig {
  const file = path.join(dataDir, CONFIG_FILE);
  if (!existsSync(file)) return vigilConfigSchema.parse({});
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw invalid(file, `not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = vigilConfigSchema.safeParse(doc ?? {});
  if (!result.success) throw invalid(file, describeIssue(result.error.issues[0]!, doc));
  return result.data;
}

/**
 * One schema problem, named by its key path; an alert sink is also named by its type and name, so
 * the user sees which sink is wrong (`alerts.sinks.1 (syslog "soc")`). Values are never printed:
 * they may be secrets.
 */
function describeIssue(issue: z.ZodIssue, doc: unknown): string {
  const [section, list, index, ...rest] = issue.path;
  if (section === 'alerts' && list === 'sinks' && typeof index === 'number') {
    const entry = (doc as { alerts?: { sinks?: unknown[] } }).alerts?.sinks?.[index];
    return `${sinkLabel(index, entry)}: ${rest.length ? `${rest.join('.')}: ` : ''}${issue.message}`;
  }
  return `${issue.path.join('.') || '(root)'}: ${issue.message}`;
}

export function saveConfig(dataDir: string, config: VigilConfig): void {
  const file = path.join(dataDir, CONFIG_FILE);
  writeFileSync(file, stringify(vigilConfigSchema.parse(config)), { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** Reads a source's token from its environment variable or file; a file others can read is refused. */
export function resolveToken(source: SourceConfig, env: NodeJS.ProcessEnv): string {
  if (source.tokenEnv) {
    const value = env[source.tokenEnv];
    if (!value) {
      throw new VigilError<ConfigErrorCode>(
        'CONFIG_SECRET_UNAVAILABLE',
        `source ${source.name}: environment variable ${source.tokenEnv} is not set`,
        {
          category: 'input',
        },
      );
    }
    return value.trim();
  }
  const file = source.tokenFile!;
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch {
    throw new VigilError<ConfigErrorCode>(
      'CONFIG_SECRET_UNAVAILABLE',
      `source ${source.name}: token file ${file} cannot be read`,
      { category: 'input' },
    );
  }
  if ((mode & 0o077) !== 0) {
    throw new VigilError<ConfigErrorCode>(
      'CONFIG_SECRET_UNAVAILABLE',
      `source ${source.name}: token file ${file} is readable by others (chmod 600 it)`,
      {
        category: 'input',
      },
    );
  }
  return readFileSync(file, 'utf8').trim();
}
